#include "fts5_index.h"

#include <sqlite3.h>

#include <stdexcept>

namespace tim::bench {

namespace {

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db));
  }
}

}  // namespace

Fts5Index::Fts5Index(const std::string& path) {
  Check(db_, sqlite3_open(path.c_str(), &db_), path.c_str());
  // The benchmark rebuilds the file when in doubt; durability buys nothing.
  Execute("PRAGMA journal_mode = OFF");
  Execute("PRAGMA synchronous = OFF");
  Execute(
      "CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(title, body, "
      "tokenize = 'unicode61 remove_diacritics 2')");
  insert_ = Prepare("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)");
}

Fts5Index::~Fts5Index() {
  sqlite3_finalize(insert_);
  for (auto& [weight, statement] : searches_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

void Fts5Index::Begin() { Execute("BEGIN"); }

void Fts5Index::Commit() { Execute("COMMIT"); }

void Fts5Index::Add(int64_t rowid, std::string_view title, std::string_view body) {
  sqlite3_reset(insert_);
  sqlite3_bind_int64(insert_, 1, rowid);
  sqlite3_bind_text(insert_, 2, title.data(), static_cast<int>(title.size()), SQLITE_STATIC);
  sqlite3_bind_text(insert_, 3, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
  Check(db_, sqlite3_step(insert_), "insert");
}

std::vector<int64_t> Fts5Index::Search(std::string_view query, double title_weight,
                                       int limit, bool any_word) {
  sqlite3_stmt* statement = nullptr;
  for (auto& [weight, prepared] : searches_) {
    if (weight == title_weight) statement = prepared;
  }
  if (!statement) {
    statement = Prepare("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, " +
                        std::to_string(title_weight) + ", 1.0) LIMIT ?");
    searches_.emplace_back(title_weight, statement);
  }
  const std::string expression = MatchExpression(query, any_word);
  std::vector<int64_t> rowids;
  if (expression.empty()) return rowids;
  sqlite3_reset(statement);
  sqlite3_bind_text(statement, 1, expression.data(), static_cast<int>(expression.size()),
                    SQLITE_STATIC);
  sqlite3_bind_int(statement, 2, limit);
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    rowids.push_back(sqlite3_column_int64(statement, 0));
  }
  Check(db_, rc, "search");
  return rowids;
}

std::string Fts5Index::MatchExpression(std::string_view query, bool any_word) {
  std::string out;
  size_t i = 0;
  while (i < query.size()) {
    if (query[i] == ' ' || query[i] == '\t' || query[i] == '\n') {
      ++i;
      continue;
    }
    if (!out.empty()) out += any_word ? " OR " : " ";
    out += '"';
    for (; i < query.size() && query[i] != ' ' && query[i] != '\t' && query[i] != '\n'; ++i) {
      if (query[i] == '"') out += '"';  // FTS5 escapes a quote by doubling it
      out += query[i];
    }
    out += '"';
  }
  return out;
}

void Fts5Index::Execute(const char* sql) {
  Check(db_, sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql);
}

sqlite3_stmt* Fts5Index::Prepare(const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  Check(db_, sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), sql.c_str());
  return statement;
}

}  // namespace tim::bench
