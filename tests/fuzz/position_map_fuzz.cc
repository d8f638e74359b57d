// The position-map decoder on any bytes (a corrupt value slot), and a map
// built from the input's words read back.
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "index/position_map.h"

namespace {

std::vector<std::string> Words(std::string_view text, size_t most) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size() && words.size() < most) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = tim::fuzz::AsText(data, size);
  // As stored bytes: never more than a no.
  tim::PhraseMatcher phrase({"ha", "noi"});
  phrase.Matches(bytes);
  tim::PhraseMatcher single({"a"});
  single.Matches(bytes);
  tim::CommonSpellingMatcher spelling("nam");
  spelling.CommonWdf(bytes, 3);

  // As words: the map built from them holds every pair of neighbours.
  const std::vector<std::string> words = Words(bytes, 200);
  if (words.empty()) return 0;
  tim::PositionMapBuilder builder;
  for (const std::string& word : words) {
    builder.AddSpelling(builder.Add(word), word.size() % 2 == 0, 1);
  }
  const std::string encoded = builder.Encode();
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    tim::PhraseMatcher pair({words[i], words[i + 1]});
    if (!pair.Matches(encoded)) std::abort();
  }
  tim::CommonSpellingMatcher first(words[0]);
  first.CommonWdf(encoded, 1);
  return 0;
}
