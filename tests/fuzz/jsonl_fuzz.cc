// The JSON Lines reader (one article per line, gzip recognized by content).
#include "reader_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return tim::fuzz::ReadArticleFile(data, size, "articles.jsonl");
}
