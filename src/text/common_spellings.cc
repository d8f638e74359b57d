#include "text/common_spellings.h"

#include <algorithm>
#include <unordered_set>

namespace tim {

namespace {

constexpr std::string_view kCommonSpellings =
#include "common_spellings.inc"
    ;

// The lines of the list, without comments.
std::unordered_set<std::string_view> LoadSpellings() {
  std::unordered_set<std::string_view> spellings;
  std::string_view text = kCommonSpellings;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    if (!line.empty() && line[0] != '#') spellings.insert(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return spellings;
}

}  // namespace

bool IsCommonSpelling(std::string_view exact) {
  static const std::unordered_set<std::string_view> kSpellings = LoadSpellings();
  return kSpellings.count(exact) > 0;
}

}  // namespace tim
