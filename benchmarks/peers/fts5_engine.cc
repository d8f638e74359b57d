// SQLite FTS5 with the unicode61 tokenizer (remove_diacritics 2), the usual
// embedded choice. Article metadata lives in an ordinary table joined on
// rowid; facets are counted from the rows of one query.
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "engine.h"

namespace tim::bench {

namespace {

namespace fs = std::filesystem;

// unicode61 strips diacritics by decomposition, and đ (U+0111) has none:
// without this, "dam" would not find "đàm".
std::string FoldD(std::string text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '\xC4' && (text[i + 1] == '\x91' || text[i + 1] == '\x90')) {
      text.replace(i, 2, text[i + 1] == '\x91' ? "d" : "D");
    }
  }
  return text;
}

class Db {
 public:
  Db(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw std::runtime_error("sqlite: " + path + ": " + message);
    }
  }
  ~Db() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error("sqlite: " + message + " in: " + sql);
    }
  }

  // A prepared statement, reset and cached by its text.
  sqlite3_stmt* Statement(const std::string& sql) {
    sqlite3_stmt*& statement = statements_[sql];
    if (!statement &&
        sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + sql);
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return statement;
  }

  void Check(int code) {
    if (code != SQLITE_OK && code != SQLITE_DONE && code != SQLITE_ROW) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
  }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

void Bind(sqlite3_stmt* statement, int index, const std::string& text) {
  sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
}

std::string Column(sqlite3_stmt* statement, int index) {
  const auto* text = sqlite3_column_text(statement, index);
  return text ? reinterpret_cast<const char*>(text) : "";
}

std::string DbFile(const std::string& dir) { return dir + "/fts5.db"; }

class Fts5Builder : public Builder {
 public:
  Fts5Builder(const std::string& dir, bool append) : db_(Open(dir, append), kFlags) {
    if (!append) {
      db_.Exec(
          "CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, source TEXT,"
          " year TEXT, month TEXT, day TEXT);"
          "CREATE VIRTUAL TABLE fts USING fts5(title, body,"
          " tokenize = 'unicode61 remove_diacritics 2')");
    }
    sqlite3_stmt* last = db_.Statement("SELECT coalesce(max(rowid), 0) FROM meta");
    db_.Check(sqlite3_step(last));
    rowid_ = sqlite3_column_int64(last, 0);
    db_.Exec("BEGIN");
  }

  void Add(const Article& article) override {
    const PeerFields fields = FieldsOf(article);
    sqlite3_stmt* meta = db_.Statement(
        "INSERT INTO meta(rowid, id, source, year, month, day)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    sqlite3_bind_int64(meta, 1, ++rowid_);
    Bind(meta, 2, article.id);
    Bind(meta, 3, fields.source);
    Bind(meta, 4, fields.year);
    Bind(meta, 5, fields.month);
    if (!fields.day.empty()) Bind(meta, 6, fields.day);
    db_.Check(sqlite3_step(meta));
    sqlite3_stmt* text = db_.Statement("INSERT INTO fts(rowid, title, body) VALUES(?1, ?2, ?3)");
    sqlite3_bind_int64(text, 1, rowid_);
    Bind(text, 2, FoldD(article.title));
    Bind(text, 3, FoldD(article.body));
    db_.Check(sqlite3_step(text));
  }

  void Finish() override { db_.Exec("COMMIT"); }

 private:
  static constexpr int kFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  static std::string Open(const std::string& dir, bool append) {
    if (!append) fs::remove_all(dir);
    fs::create_directories(dir);
    return DbFile(dir);
  }

  Db db_;
  sqlite3_int64 rowid_ = 0;
};

// Every loose word quoted, so that FTS5 syntax in the text means nothing
// and the words are ANDed: "a" "b". (SplitQuotes leaves no quote in them.)
std::string LooseWords(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    out += out.empty() ? "\"" : " \"";
    for (; i < text.size() && text[i] != ' '; ++i) out += text[i];
    out += '"';
  }
  return out;
}

// A quoted span of the query is one FTS5 string, which FTS5 matches as a
// phrase of its tokens; the rest are loose words.
std::string MatchExpression(const std::string& text) {
  std::string out;
  for (const QuerySpan& span : SplitQuotes(FoldD(text))) {
    const bool blank = span.text.find_first_not_of(' ') == std::string::npos;
    if (blank) continue;
    const std::string part = span.quoted ? "\"" + span.text + "\"" : LooseWords(span.text);
    out += (out.empty() ? "" : " ") + part;
  }
  return out;
}

class Fts5Session : public Session {
 public:
  explicit Fts5Session(const std::string& dir)
      : db_(DbFile(dir), SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX) {
    db_.Exec("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536");
  }

  BenchResult Search(const BenchQuery& query) override {
    const bool filtered =
        !query.source.empty() || !query.from.empty() || !query.to.empty();
    std::string where = " WHERE fts MATCH ?1";
    if (!query.source.empty()) where += " AND m.source = ?2";
    if (!query.from.empty()) where += " AND m.day >= ?3";
    if (!query.to.empty()) where += " AND m.day <= ?4";
    const std::string from = " FROM fts JOIN meta m ON m.rowid = fts.rowid";
    BenchResult result;
    if (query.facets) {
      sqlite3_stmt* rows = Prepare("SELECT m.source, m.year, m.month" + from + where, query);
      while (Step(rows)) {
        ++result.total;
        ++result.facets.source[Column(rows, 0)];
        ++result.facets.year[Column(rows, 1)];
        ++result.facets.month[Column(rows, 2)];
      }
    } else {
      sqlite3_stmt* count = Prepare(
          "SELECT count(*)" + (filtered ? from : std::string(" FROM fts")) + where, query);
      if (Step(count)) result.total = static_cast<uint64_t>(sqlite3_column_int64(count, 0));
    }
    const std::string order = query.newest_first
                                  ? " ORDER BY m.day DESC NULLS LAST, fts.rank"
                                  : " ORDER BY fts.rank";
    sqlite3_stmt* page =
        Prepare("SELECT m.id" + from + where + order + " LIMIT ?5 OFFSET ?6", query);
    sqlite3_bind_int64(page, 5, static_cast<sqlite3_int64>(query.limit));
    sqlite3_bind_int64(page, 6, static_cast<sqlite3_int64>(query.offset));
    while (Step(page)) result.ids.push_back(Column(page, 0));
    return result;
  }

 private:
  sqlite3_stmt* Prepare(const std::string& sql, const BenchQuery& query) {
    sqlite3_stmt* statement = db_.Statement(sql);
    Bind(statement, 1, MatchExpression(query.text));
    if (!query.source.empty()) Bind(statement, 2, query.source);
    if (!query.from.empty()) Bind(statement, 3, DayKey(query.from));
    if (!query.to.empty()) Bind(statement, 4, DayKey(query.to));
    return statement;
  }

  bool Step(sqlite3_stmt* statement) {
    const int code = sqlite3_step(statement);
    db_.Check(code);
    return code == SQLITE_ROW;
  }

  Db db_;
};

class Fts5Index : public SessionPerDirectory<Fts5Session> {
 public:
  explicit Fts5Index(const std::string& dir) : SessionPerDirectory(dir) {
    if (!fs::exists(DbFile(dir))) throw std::runtime_error("no FTS5 database in " + dir);
  }
};

}  // namespace

Engine Fts5Engine() {
  Engine engine;
  engine.name = "fts5";
  engine.version = std::string("SQLite ") + sqlite3_libversion();
  engine.notes = {
      "fts5(title, body, tokenize = 'unicode61 remove_diacritics 2'), content "
      "stored; metadata in a rowid table. unicode61 cannot fold đ, so the "
      "adapter maps đ to d in text and queries; no exact-accent layer, no "
      "adjacency boost; rank = bm25. Loose words are each quoted and ANDed, "
      "a quoted span is one FTS5 phrase. Unlike tim it keeps the i/y "
      "spellings apart (sĩ/sỹ, lý/lí, tỷ/tỉ: fewer matches for words holding one).",
      "Exact total: count(*) (facet classes: one query returns the source, "
      "year and month of every match, counted in C++). mmap 1 GiB, cache 64 MiB."};
  engine.create = CreateBuilder<Fts5Builder>;
  engine.open = OpenIndex<Fts5Index>;
  engine.compact = [](const std::string& dir, const std::string& out) {
    fs::create_directories(out);
    fs::copy_file(DbFile(dir), DbFile(out));
    Db db(DbFile(out), SQLITE_OPEN_READWRITE);
    db.Exec("INSERT INTO fts(fts) VALUES('optimize'); VACUUM");
  };
  return engine;
}

}  // namespace tim::bench
