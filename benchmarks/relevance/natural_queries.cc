#include "natural_queries.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <string_view>
#include <unordered_set>

#include "spelling.h"
#include "text/analyzer.h"

namespace tim::bench {

namespace {

using Rng = std::mt19937_64;  // its output is fixed by the standard; `rng() % n` is portable

struct Word {
  std::string surface;
  std::string folded;
};

std::vector<Word> Words(const std::string& text) {
  std::vector<Word> words;
  for (const Token& token : Tokenize(text)) {
    words.push_back({text.substr(token.begin, token.end - token.begin), token.folded});
  }
  return words;
}

std::string Join(const std::vector<Word>& words) {
  std::string out;
  for (const Word& word : words) out += (out.empty() ? "" : " ") + word.surface;
  return out;
}

std::set<std::string> FoldedSet(const std::vector<Word>& words) {
  std::set<std::string> folded;
  for (const Word& word : words) folded.insert(word.folded);
  return folded;
}

// Whether `part` is a run of consecutive syllables of `whole` (folded).
bool IsSpan(const std::vector<Word>& part, const std::vector<Word>& whole) {
  auto same = [](const Word& a, const Word& b) { return a.folded == b.folded; };
  return std::search(whole.begin(), whole.end(), part.begin(), part.end(), same) !=
         whole.end();
}

// A content syllable of `words` that `lacking` does not have.
std::optional<Word> ContentNotIn(const std::vector<Word>& words,
                                 const std::set<std::string>& lacking, Rng& rng) {
  std::vector<const Word*> candidates;
  for (const Word& word : words) {
    if (!IsFunctionSyllable(word.folded) && !lacking.count(word.folded)) {
      candidates.push_back(&word);
    }
  }
  if (candidates.empty()) return std::nullopt;
  return *candidates[rng() % candidates.size()];
}

// The question's subject: the title without most function words, one
// content word dropped, capped at 8 syllables, sometimes a word of the
// lead added and the two halves swapped; never a run of the title's
// syllables of 3 or more.
std::vector<Word> QuestionCore(const std::vector<Word>& title, const std::vector<Word>& lead,
                               Rng& rng) {
  std::vector<Word> core;
  for (const Word& word : title) {
    if (!IsFunctionSyllable(word.folded) || rng() % 2) core.push_back(word);
  }
  if (core.size() > 4) core.erase(core.begin() + static_cast<long>(rng() % core.size()));
  if (core.size() > 8) {
    const size_t begin = rng() % (core.size() - 7);
    core = std::vector<Word>(core.begin() + static_cast<long>(begin),
                             core.begin() + static_cast<long>(begin + 8));
  }
  if (rng() % 2) {
    if (auto extra = ContentNotIn(lead, FoldedSet(title), rng)) core.push_back(*extra);
  }
  if (core.size() >= 4 && rng() % 2) {
    std::rotate(core.begin(), core.begin() + static_cast<long>(1 + rng() % (core.size() - 1)),
                core.end());
  }
  if (core.size() >= 3 && IsSpan(core, title)) core.erase(core.begin() + core.size() / 2);
  return core;
}

std::string Question(const std::vector<Word>& title, const std::vector<Word>& lead, Rng& rng) {
  static constexpr std::string_view kTemplates[] = {
      "ai {}?",  "{} ở đâu?", "vì sao {}?", "{} như thế nào?",
      "{} khi nào?", "bao nhiêu {}?", "tại sao {}", "{} là gì?"};
  const std::string core = Join(QuestionCore(title, lead, rng));
  const std::string_view form = kTemplates[rng() % std::size(kTemplates)];
  const size_t slot = form.find("{}");
  return std::string(form.substr(0, slot)) + core + std::string(form.substr(slot + 2));
}

// 30-60 syllables of the lead (all of it when shorter), each dropped with
// probability 1/8 or replaced, with probability 1/10, by a content
// syllable of another article's title that the target's title and lead
// lack.
std::string Description(const std::vector<Word>& lead, const std::set<std::string>& target,
                        const std::vector<Entry>& corpus, Rng& rng) {
  const size_t length = std::min(lead.size(), static_cast<size_t>(30 + rng() % 31));
  std::vector<Word> out;
  for (size_t i = 0; i < length; ++i) {
    const uint64_t roll = rng() % 40;
    if (roll < 5) continue;
    if (roll < 9) {
      const std::optional<Word> other = ContentNotIn(Words(corpus[rng() % corpus.size()].title), target, rng);
      if (other) {
        out.push_back(*other);
        continue;
      }
    }
    out.push_back(lead[i]);
  }
  return Join(out);
}

// 2-3 content syllables of the title, in title order.
std::string Keywords(const std::vector<Word>& title, Rng& rng) {
  std::vector<size_t> content;
  for (size_t i = 0; i < title.size(); ++i) {
    if (!IsFunctionSyllable(title[i].folded)) content.push_back(i);
  }
  const size_t want = std::min(content.size(), static_cast<size_t>(2 + rng() % 2));
  for (size_t i = content.size(); i > 1; --i) std::swap(content[i - 1], content[rng() % i]);
  content.resize(want);
  std::sort(content.begin(), content.end());
  std::vector<Word> words;
  for (size_t i : content) words.push_back(title[i]);
  return Join(words);
}

size_t ContentInTarget(const std::string& query, const std::set<std::string>& target) {
  std::set<std::string> found;
  for (const Word& word : Words(NormalizeText(query))) {
    if (!IsFunctionSyllable(word.folded) && target.count(word.folded)) found.insert(word.folded);
  }
  return found.size();
}

}  // namespace

const char* NaturalKindName(NaturalKind kind) {
  static const char* const kNames[] = {"questions", "descriptions", "keywords"};
  return kNames[kind];
}

bool IsFunctionSyllable(const std::string& folded) {
  static const std::unordered_set<std::string> kWords = {
      "ai",   "gi",   "nao",  "dau",  "bao",  "nhieu", "khi",  "tai",  "sao",  "vi",
      "nhu",  "the",  "la",   "cua",  "nhung", "cac",  "duoc", "da",   "se",   "thi",
      "ma",   "va",   "co",   "trong", "cho", "voi",  "mot",  "nay",  "do",   "de",
      "tu",   "theo", "ve",   "ra",   "khong", "o",   "den",  "len",  "tren", "duoi",
      "bi",   "boi",  "cung", "con",  "rat",  "lai",  "sau",  "truoc", "nen", "neu",
      "hay",  "hoac", "vao",  "thuoc", "dang", "van", "chi",  "moi",  "nhat", "hon"};
  return kWords.count(folded) > 0;
}

std::vector<NaturalQuery> NaturalQueries(const std::vector<Entry>& corpus, size_t per_kind,
                                         uint64_t seed) {
  std::vector<NaturalQuery> queries;
  for (int k = 0; k < kNumNaturalKinds; ++k) {
    const auto kind = static_cast<NaturalKind>(k);
    Rng rng(seed + static_cast<uint64_t>(k));
    std::vector<size_t> order(corpus.size());
    std::iota(order.begin(), order.end(), 0);
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    size_t made = 0;
    for (size_t i = 0; i < order.size() && made < per_kind; ++i) {
      const Entry& entry = corpus[order[i]];
      const std::vector<Word> title = Words(entry.title);
      const std::vector<Word> lead = Words(entry.lead);
      if (title.size() < 4 || lead.size() < 15) continue;
      std::set<std::string> target = FoldedSet(title);
      target.merge(FoldedSet(lead));
      NaturalQuery query;
      query.kind = kind;
      query.typed = kind == kQuestion      ? Question(title, lead, rng)
                    : kind == kDescription ? Description(lead, target, corpus, rng)
                                           : Keywords(title, rng);
      if (Words(NormalizeText(query.typed)).size() < 2) continue;
      query.unaccented = StripDiacritics(query.typed);
      query.target = order[i];
      query.tune = made % 2 == 0;
      query.content_in_target = ContentInTarget(query.typed, target);
      queries.push_back(std::move(query));
      ++made;
    }
  }
  return queries;
}

}  // namespace tim::bench
