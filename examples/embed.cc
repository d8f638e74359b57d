// Embedding tim: index the seeds, add an article, search. Usage:
//   tim_example [DB_DIR] [SEEDS_DIR]
#include <iostream>

#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

int main(int argc, char** argv) try {
  tim::TuneProcessForIngest();  // first, before any thread: see index_writer.h
  const std::string db = argc > 1 ? argv[1] : "my-index";
  tim::IngestPaths(db, {argc > 2 ? argv[2] : "seeds"});  // one atomic batch

  tim::IndexWriter writer(db);  // or add articles one by one
  tim::Article article;
  article.id = "a1";
  article.source = "VnExpress";
  article.body = "Giá vàng tăng mạnh sau tin đàm phán.";
  article.date = tim::ParseDate("2025-10-28");
  writer.Add(article);
  writer.Commit();

  const tim::Searcher searcher(db);  // thread-safe; open once, share
  tim::SearchRequest request;
  request.query = "dam phan";
  request.from = tim::ParseDate("2025");
  const tim::SearchResponse response = searcher.Search(request);
  std::cout << response.total << " results\n";
  for (const tim::Hit& hit : response.hits) {
    std::cout << hit.rank << ". " << hit.title << " (" << hit.source << ")\n";
  }
} catch (const tim::Error& e) {  // the one exception type, with a code
  std::cerr << e.what() << "\n";
  return 1;
}
