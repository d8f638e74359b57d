// The seed-text reader (one article per file, an optional date header).
#include "reader_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return tim::fuzz::ReadArticleFile(data, size, "article.txt");
}
