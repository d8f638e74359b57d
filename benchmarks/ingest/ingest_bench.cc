// tim_bench_ingest: builds an index of the shared corpus with tim and with
// two peers, each in a child process of its own, in the same run, and prints
// docs/s, MB/s, CPU use, peak RSS and index size (as built and compacted):
//
//   tim   tim::IngestPaths, its full Vietnamese analysis, articles stored
//   xapian  a bare Xapian indexer: TermGenerator with default settings over
//         title and body, title+body as document data, commits left to
//         Xapian (every XAPIAN_FLUSH_THRESHOLD documents)
//   fts5  SQLite FTS5, unicode61 remove_diacritics 2, title and body, no
//         stored text (content='')
//
// Usage: tim_bench_ingest [--corpus FILE] [--limit N] [--work DIR]
//                         [--engines tim,xapian,fts5] [--jobs N] [--keep]
// The corpus (.jsonl or .jsonl.gz; default: the shared vnnews corpus) is
// first copied, decompressed, to WORK/corpus.jsonl, which every engine then
// reads. Numbers, never pass or fail.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <xapian.h>
#ifdef TIM_BENCH_HAVE_SQLITE
#include <sqlite3.h>
#endif

#include "corpus.h"
#include "tim/error.h"
#include "tim/index_writer.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Result {
  std::string engine;
  uint64_t docs = 0;
  double wall_seconds = 0;
  double cpu_seconds = 0;   // user + system, all threads
  double peak_rss_mb = 0;
  double index_mb = 0;
  double compacted_mb = 0;  // 0: not measured
  std::string error;
};

uint64_t PathBytes(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  uint64_t bytes = 0;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file(ec)) bytes += it->file_size(ec);
  }
  return bytes;
}

double Mb(uint64_t bytes) { return bytes / 1e6; }

// Copies the first `limit` lines (0: all) of `from` (plain or gzip) to `to`.
uint64_t CopyCorpus(const std::string& from, const fs::path& to, size_t limit) {
  gzFile in = gzopen(from.c_str(), "rb");
  if (!in) throw std::runtime_error("cannot open " + from);
  std::FILE* out = std::fopen(to.c_str(), "wb");
  if (!out) throw std::runtime_error("cannot write " + to.string());
  std::vector<char> buffer(1 << 20);
  uint64_t lines = 0;
  while (limit == 0 || lines < limit) {
    if (!gzgets(in, buffer.data(), static_cast<int>(buffer.size()))) break;
    const size_t n = std::strlen(buffer.data());
    std::fwrite(buffer.data(), 1, n, out);
    if (n > 0 && buffer[n - 1] == '\n') ++lines;
  }
  gzclose(in);
  std::fclose(out);
  return lines;
}

// ---------------------------------------------------------------------------
// The engines, each run in a child process; they return the documents built.

uint64_t BuildTim(const std::string& corpus, const fs::path& db, unsigned jobs) {
  tim::IngestOptions options;
  options.jobs = jobs;
  return tim::IngestPaths(db.string(), {corpus}, options).added;
}

uint64_t BuildXapian(const std::string& corpus, const fs::path& db) {
  Xapian::WritableDatabase out(db.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator indexer;
  uint64_t docs = 0;
  tim::bench::ReadCorpus(corpus, 0, [&](const tim::Article& article) {
    Xapian::Document doc;
    doc.set_data(article.title + "\n" + article.body);
    indexer.set_document(doc);
    indexer.index_text(article.title);
    indexer.increase_termpos();
    indexer.index_text(article.body);
    doc.add_boolean_term("Q" + article.id);
    out.add_document(doc);
    ++docs;
    return true;
  });
  out.commit();
  return docs;
}

#ifdef TIM_BENCH_HAVE_SQLITE
void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "?";
    sqlite3_free(error);
    throw std::runtime_error(std::string(sql) + ": " + message);
  }
}

uint64_t BuildFts5(const std::string& corpus, const fs::path& dir) {
  fs::create_directories(dir);
  sqlite3* db = nullptr;
  if (sqlite3_open((dir / "fts5.db").c_str(), &db) != SQLITE_OK) {
    throw std::runtime_error("cannot create the FTS5 database");
  }
  Exec(db,
       "CREATE VIRTUAL TABLE docs USING fts5(title, body, content='', "
       "tokenize='unicode61 remove_diacritics 2')");
  Exec(db, "BEGIN");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, title, body) VALUES(?, ?, ?)",
                     -1, &insert, nullptr);
  uint64_t docs = 0;
  tim::bench::ReadCorpus(corpus, 0, [&](const tim::Article& article) {
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(++docs));
    sqlite3_bind_text(insert, 2, article.title.data(),
                      static_cast<int>(article.title.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, article.body.data(),
                      static_cast<int>(article.body.size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      throw std::runtime_error(sqlite3_errmsg(db));
    }
    sqlite3_reset(insert);
    return true;
  });
  sqlite3_finalize(insert);
  Exec(db, "COMMIT");
  sqlite3_close(db);
  return docs;
}

void CompactFts5(const fs::path& dir) {
  sqlite3* db = nullptr;
  sqlite3_open((dir / "fts5.db").c_str(), &db);
  Exec(db, "INSERT INTO docs(docs) VALUES('optimize')");
  Exec(db, "VACUUM");
  sqlite3_close(db);
}
#endif

// Runs `build` in a child process; measures its wall time, CPU and peak RSS.
template <typename Build>
Result RunChild(const std::string& engine, Build build) {
  Result result;
  result.engine = engine;
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::string message;
    int code = 0;
    try {
      message = std::to_string(build());
    } catch (const std::exception& e) {
      message = std::string("error: ") + e.what();
      code = 1;
    }
    if (write(fds[1], message.data(), message.size()) < 0) code = 2;
    _exit(code);
  }
  close(fds[1]);
  std::string message;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) {
    message.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                       usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  result.peak_rss_mb = usage.ru_maxrss / 1024.0;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    result.docs = std::stoull(message);
  } else {
    result.error = message.empty() ? "the child died" : message;
  }
  return result;
}

void CompactXapian(const fs::path& db, Result* result) {
  const fs::path out = db.string() + ".compact";
  fs::remove_all(out);
  // FULL, as `xapian-compact` does by default.
  Xapian::Database(db.string()).compact(out.string(), Xapian::Compactor::FULL);
  result->compacted_mb = Mb(PathBytes(out));
}

void Print(const std::vector<Result>& results, uint64_t text_bytes) {
  std::printf("%-7s %7s %8s %7s %6s %7s %6s %9s %9s %10s %9s\n", "engine", "docs",
              "wall_s", "docs/s", "MB/s", "cpu_s", "cores", "rss_MB", "index_MB",
              "compact_MB", "x_text");
  for (const Result& r : results) {
    if (!r.error.empty()) {
      std::printf("%-7s failed: %s\n", r.engine.c_str(), r.error.c_str());
      continue;
    }
    const double size = r.compacted_mb > 0 ? r.compacted_mb : r.index_mb;
    std::printf("%-7s %7llu %8.1f %7.0f %6.2f %7.1f %6.2f %9.0f %9.1f %10.1f %9.2f\n",
                r.engine.c_str(), static_cast<unsigned long long>(r.docs),
                r.wall_seconds, r.docs / r.wall_seconds,
                Mb(text_bytes) / r.wall_seconds, r.cpu_seconds,
                r.cpu_seconds / r.wall_seconds, r.peak_rss_mb, r.index_mb,
                r.compacted_mb, size / Mb(text_bytes));
  }
}

const Result* Find(const std::vector<Result>& results, const std::string& engine) {
  for (const Result& r : results) {
    if (r.engine == engine && r.error.empty()) return &r;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  tim::TuneProcessForIngest();
  CLI::App app{"tim ingest throughput, memory and size next to its peers"};
  std::string corpus_flag, work = "/tmp/tim-bench-ingest", engines = "tim,xapian,fts5";
  size_t limit = 0;
  unsigned jobs = 0;
  bool keep = false;
  app.add_option("--corpus", corpus_flag,
                 "Corpus (.jsonl or .jsonl.gz); default: the shared vnnews corpus");
  app.add_option("--limit", limit, "Use only the first N articles (0: all)");
  app.add_option("--work", work, "Scratch directory (emptied first)")->capture_default_str();
  app.add_option("--engines", engines, "Comma-separated: tim, xapian, fts5")
      ->capture_default_str();
  app.add_option("--jobs", jobs, "tim's --jobs (0: one per core)");
  app.add_flag("--keep", keep, "Keep the indexes built");
  CLI11_PARSE(app, argc, argv);

  try {
    const std::optional<std::string> source = tim::bench::FindCorpus(corpus_flag);
    if (!source) {
      std::cerr << "corpus not found: pass --corpus or set TIM_CORPUS_DIR\n";
      return 1;
    }
    const fs::path dir(work);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string corpus = (dir / "corpus.jsonl").string();
    CopyCorpus(*source, corpus, limit);
    uint64_t text_bytes = 0, articles = 0;
    tim::bench::ReadCorpus(corpus, 0, [&](const tim::Article& article) {
      text_bytes += article.title.size() + article.body.size();
      ++articles;
      return true;
    });
    std::printf("corpus: %s (%llu articles, %.1f MB of title+body text, %.1f MB of JSON)\n",
                source->c_str(), static_cast<unsigned long long>(articles),
                Mb(text_bytes), Mb(PathBytes(corpus)));

    std::vector<Result> results;
    std::stringstream list(engines);
    for (std::string engine; std::getline(list, engine, ',');) {
      const fs::path db = dir / engine;
      Result result;
      if (engine == "tim") {
        result = RunChild(engine, [&] { return BuildTim(corpus, db, jobs); });
      } else if (engine == "xapian") {
        result = RunChild(engine, [&] { return BuildXapian(corpus, db); });
#ifdef TIM_BENCH_HAVE_SQLITE
      } else if (engine == "fts5") {
        result = RunChild(engine, [&] { return BuildFts5(corpus, db); });
#endif
      } else {
        std::cerr << "unknown or unavailable engine: " << engine << "\n";
        continue;
      }
      if (result.error.empty()) {
        result.index_mb = Mb(PathBytes(db));
        if (engine == "fts5") {
#ifdef TIM_BENCH_HAVE_SQLITE
          CompactFts5(db);
          result.compacted_mb = Mb(PathBytes(db));
#endif
        } else {
          CompactXapian(db, &result);
        }
      }
      results.push_back(result);
      if (!keep) {
        fs::remove_all(db);
        fs::remove_all(db.string() + ".compact");
      }
    }
    Print(results, text_bytes);
    const Result* tim_result = Find(results, "tim");
    const Result* xapian_result = Find(results, "xapian");
    if (tim_result && xapian_result) {
      std::printf("tim / bare xapian: %.2fx docs/s; tim compacted index %.2fx the text\n",
                  (tim_result->docs / tim_result->wall_seconds) /
                      (xapian_result->docs / xapian_result->wall_seconds),
                  tim_result->compacted_mb / Mb(text_bytes));
    }
    if (!keep) fs::remove(corpus);
  } catch (const std::exception& e) {
    std::cerr << "tim_bench_ingest: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
