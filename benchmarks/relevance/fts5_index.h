// fts5_index.h: the peer engine, SQLite FTS5, set up as a careful user
// would for Vietnamese: the unicode61 tokenizer with remove_diacritics 2,
// title and body columns, bm25 ranking.
#ifndef TIM_BENCHMARKS_RELEVANCE_FTS5_INDEX_H_
#define TIM_BENCHMARKS_RELEVANCE_FTS5_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace tim::bench {

// One SQLite database file holding one FTS5 table. Errors throw
// std::runtime_error. Not thread-safe.
class Fts5Index {
 public:
  explicit Fts5Index(const std::string& path);
  ~Fts5Index();
  Fts5Index(const Fts5Index&) = delete;
  Fts5Index& operator=(const Fts5Index&) = delete;

  // Adds run inside one transaction, from Begin() to Commit().
  void Begin();
  void Add(int64_t rowid, std::string_view title, std::string_view body);
  void Commit();

  // The rowids of the best `limit` matches of `query` (the user's text, as
  // typed), by bm25 with the title column weighing `title_weight` times the
  // body. `any_word`: the words ORed, as FTS5 users do for long queries.
  std::vector<int64_t> Search(std::string_view query, double title_weight,
                              int limit, bool any_word = false);

  // `query` as an FTS5 expression: each whitespace-separated word quoted
  // (so that no character of it is FTS5 syntax), the words implicitly
  // ANDed, or ORed with `any_word`. "hòa bình" -> "\"hòa\" \"bình\"".
  static std::string MatchExpression(std::string_view query, bool any_word = false);

 private:
  void Execute(const char* sql);
  sqlite3_stmt* Prepare(const std::string& sql);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  std::vector<std::pair<double, sqlite3_stmt*>> searches_;  // by title weight
};

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_RELEVANCE_FTS5_INDEX_H_
