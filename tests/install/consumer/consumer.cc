// A program using an installed tim: indexes the seeds given as its
// argument into a new database and searches it.
#include <tim/index_writer.h>
#include <tim/searcher.h>
#include <tim/version.h>

#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  tim::IngestPaths(argv[2], {argv[1]}, {});
  tim::SearchRequest request;
  request.query = "đàm phán";
  const tim::SearchResponse response = tim::Searcher(argv[2]).Search(request);
  std::printf("tim %s schema %d: %llu results\n", TIM_VERSION_STRING,
              tim::Versions().schema,
              static_cast<unsigned long long>(response.total));
  return response.total > 0 ? 0 : 1;
}
