#include "search/title_rescoring.h"

#include <algorithm>

#include "text/analyzer.h"

namespace tim {

namespace {

constexpr double kTitleRunWeight = 3.0;    // times run / query syllables
constexpr double kTitleCoverWeight = 1.0;  // times run / title syllables
// Times the squared share of a relaxed query's syllables a hit holds.
constexpr double kCoverageWeight = 1.0;

// The longest run of consecutive `keys` that stands consecutively in
// `title`; `title_length` gets its number of syllables.
size_t LongestTitleRun(const std::vector<std::string>& keys,
                       std::string_view title, size_t* title_length) {
  std::vector<std::string> words;
  Tokenize(NormalizeText(title), [&](const Token& token) { words.push_back(token.folded); });
  *title_length = words.size();
  size_t longest = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    for (size_t k = 0; k < keys.size(); ++k) {
      size_t run = 0;
      while (i + run < words.size() && k + run < keys.size() &&
             words[i + run] == keys[k + run]) {
        ++run;
      }
      longest = std::max(longest, run);
    }
  }
  return longest;
}

}  // namespace

double TitleFactor(const std::vector<std::string>& keys, std::string_view title) {
  size_t title_length = 0;
  const size_t run = LongestTitleRun(keys, title, &title_length);
  if (run < 2) return 1;
  return 1 + kTitleRunWeight * run / keys.size() +
         kTitleCoverWeight * run / title_length;
}

double CoverageFactor(size_t held, size_t syllables) {
  if (syllables == 0) return 1;
  const double share = static_cast<double>(held) / static_cast<double>(syllables);
  return 1 + kCoverageWeight * share * share;
}

}  // namespace tim
