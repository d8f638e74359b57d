// The date parsers: ISO dates, dates in Vietnamese text, date keys.
#include <cstdlib>
#include <string>

#include "base/utf8.h"
#include "fuzz_input.h"
#include "text/date_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = tim::fuzz::AsText(data, size);
  std::string error;
  if (auto date = tim::ParseIsoDate(text, &error)) {
    // A parsed date has a key that reads back as the same date.
    if (tim::DateFromKey(tim::DateKey(*date)) != date) std::abort();
    tim::DateEndKey(*date);
  }
  tim::LooksLikeIsoDate(text);
  if (auto date = tim::DateFromKey(text)) tim::DateKey(*date);
  if (tim::IsValidUtf8(text)) {
    tim::InferDateFromText(text);
    tim::InferDateFromText(text, tim::Date{2024, 6, 15});
  }
  return 0;
}
