#include "query_set.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <unordered_map>

#include "spelling.h"
#include "text/analyzer.h"

namespace tim::bench {

namespace {

// std::mt19937_64's output is fixed by the standard (unlike the
// distributions'), so `rng() % n` draws the same numbers everywhere.
using Rng = std::mt19937_64;

std::vector<size_t> Shuffled(size_t n, Rng& rng) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  return order;
}

// Syllables [begin, end) of `tokens`: folded and joined by spaces (the
// key), or as written in `text`.
std::string Key(const std::vector<Token>& tokens, size_t begin, size_t end) {
  std::string key;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) key += ' ';
    key += tokens[i].folded;
  }
  return key;
}

std::string Surface(std::string_view text, const std::vector<Token>& tokens,
                    size_t begin, size_t end) {
  std::string surface;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) surface += ' ';
    surface += text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
  }
  return surface;
}

Query MakeQuery(const std::string& written) {
  Query query;
  query.text[kWritten] = written;
  query.text[kUnaccented] = StripDiacritics(written);
  query.text[kToneSwapped] = SwapTonePlacement(written).value_or("");
  query.text[kNfd] = Decompose(written);
  query.text[kUnaccentedNoSuggestion] = query.text[kUnaccented];
  return query;
}

// ---------------------------------------------------------------------------
// Known-item queries
// ---------------------------------------------------------------------------

struct Span {
  size_t article;
  std::string key;
  std::string written;
};

// The span of `length` syllables of `tokens` starting at `start`.
Span MakeSpan(const std::string& title, const std::vector<Token>& tokens, size_t article,
              size_t start, size_t length) {
  return Span{article, Key(tokens, start, start + length),
              Surface(title, tokens, start, start + length)};
}

// A span of `min_length` to `max_length` syllables of the article's title.
std::optional<Span> DrawSpan(const std::vector<Entry>& corpus, size_t article, Rng& rng,
                             size_t min_length = 3, size_t max_length = 6) {
  const std::string& title = corpus[article].title;
  const std::vector<Token> tokens = Tokenize(title);
  if (tokens.size() < min_length) return std::nullopt;
  const size_t length =
      std::min<size_t>(min_length + rng() % (max_length - min_length + 1), tokens.size());
  const size_t start = rng() % (tokens.size() - length + 1);
  return MakeSpan(title, tokens, article, start, length);
}

// A span of 3-6 syllables covering one whose tone may move, if the title
// has one.
std::optional<Span> DrawToneSpan(const std::vector<Entry>& corpus, size_t article, Rng& rng) {
  const std::string& title = corpus[article].title;
  const std::vector<Token> tokens = Tokenize(title);
  std::vector<size_t> movable;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view word(title.data() + tokens[i].begin, tokens[i].end - tokens[i].begin);
    if (SwapTonePlacement(word)) movable.push_back(i);
  }
  if (tokens.size() < 3 || movable.empty()) return std::nullopt;
  const size_t pick = movable[rng() % movable.size()];
  const size_t length = std::min<size_t>(3 + rng() % 4, tokens.size());
  // Starts that keep the span inside the title and `pick` inside the span.
  const size_t first = pick + 1 >= length ? pick + 1 - length : 0;
  const size_t last = std::min(pick, tokens.size() - length);
  const size_t start = first + rng() % (last - first + 1);
  return MakeSpan(title, tokens, article, start, length);
}

// How many titles have each of `keys` as consecutive syllables.
std::unordered_map<std::string, size_t> CountTitlesWith(
    const std::vector<Entry>& corpus, const std::vector<Span>& spans) {
  std::unordered_map<std::string, size_t> counts;
  std::unordered_map<std::string, size_t> last_title;
  for (const Span& span : spans) counts[span.key] = 0;
  for (size_t i = 0; i < corpus.size(); ++i) {
    const std::vector<Token> tokens = Tokenize(corpus[i].title);
    for (size_t length = 3; length <= 6; ++length) {
      for (size_t start = 0; start + length <= tokens.size(); ++start) {
        const std::string key = Key(tokens, start, start + length);
        auto it = counts.find(key);
        if (it == counts.end()) continue;
        auto [last, fresh] = last_title.emplace(key, i);
        if (!fresh && last->second == i) continue;
        last->second = i;
        ++it->second;
      }
    }
  }
  return counts;
}

// ---------------------------------------------------------------------------
// Topical queries
// ---------------------------------------------------------------------------

struct NgramCount {
  uint32_t titles = 0;
  std::vector<uint32_t> by_category;  // titles of each eligible category
};

bool IsTopicalSyllable(const Token& token) {
  return token.folded.size() >= 2 &&
         token.folded.find_first_of("0123456789") == std::string::npos;
}

// Calls `visit(key, tokens, begin, end)` once per distinct 1-3 syllable
// n-gram of each title made of topical syllables accepted by `keep`.
template <typename Keep, typename Visit>
void ForEachTitleNgram(const std::vector<Entry>& corpus, Keep keep, Visit visit) {
  for (size_t i = 0; i < corpus.size(); ++i) {
    const std::vector<Token> tokens = Tokenize(corpus[i].title);
    std::set<std::string> seen;
    for (size_t start = 0; start < tokens.size(); ++start) {
      for (size_t end = start + 1; end <= std::min(start + 3, tokens.size()); ++end) {
        if (!IsTopicalSyllable(tokens[end - 1]) || !keep(tokens[end - 1])) break;
        std::string key = Key(tokens, start, end);
        if (!seen.insert(key).second) continue;
        visit(i, key, tokens, start, end);
      }
    }
  }
}

bool ShareSyllable(const std::string& a, const std::string& b) {
  auto syllables = [](const std::string& key) {
    std::set<std::string> out;
    for (size_t start = 0; start <= key.size();) {
      size_t end = key.find(' ', start);
      if (end == std::string::npos) end = key.size();
      out.insert(key.substr(start, end - start));
      start = end + 1;
    }
    return out;
  };
  const std::set<std::string> left = syllables(a);
  for (const std::string& syllable : syllables(b)) {
    if (left.count(syllable)) return true;
  }
  return false;
}

std::vector<std::string> PickTopicKeys(
    const std::unordered_map<std::string, NgramCount>& counts, size_t category,
    uint32_t min_titles, size_t per_category) {
  struct Candidate {
    double purity;
    uint32_t titles;
    std::string key;
  };
  std::vector<Candidate> candidates;
  for (const auto& [key, count] : counts) {
    if (count.titles < min_titles) continue;
    candidates.push_back(
        {static_cast<double>(count.by_category[category]) / count.titles, count.titles, key});
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.purity != b.purity) return a.purity > b.purity;
    if (a.titles != b.titles) return a.titles > b.titles;
    return a.key < b.key;
  });
  std::vector<std::string> chosen;
  for (const Candidate& candidate : candidates) {
    if (chosen.size() == per_category) break;
    bool overlaps = false;
    for (const std::string& key : chosen) overlaps |= ShareSyllable(key, candidate.key);
    if (!overlaps) chosen.push_back(candidate.key);
  }
  return chosen;
}

}  // namespace

const char* VariantName(Variant variant) {
  switch (variant) {
    case kWritten: return "as written";
    case kUnaccented: return "unaccented";
    case kToneSwapped: return "other tone placement";
    case kNfd: return "NFD";
    case kRestored: return "unaccented + restored";
    case kUnaccentedNoSuggestion: return "unaccented, suggestion off";
    default: return "?";
  }
}

std::vector<Query> KnownItemQueries(
    const std::vector<Entry>& corpus, const KnownItemOptions& options,
    const std::function<uint64_t(const std::string&)>& phrase_documents,
    std::array<size_t, 2>* rejected) {
  Rng rng(options.seed);
  const std::vector<size_t> order = Shuffled(corpus.size(), rng);
  std::vector<Query> queries;
  *rejected = {0, 0};
  size_t next = 0;
  while (queries.size() < options.count && next < order.size()) {
    // Titles are scanned once per batch; a batch of 4x what is missing is
    // usually enough.
    std::vector<Span> spans;
    const size_t batch = 4 * (options.count - queries.size());
    for (; spans.size() < batch && next < order.size(); ++next) {
      std::optional<Span> span = options.with_movable_tone
                                     ? DrawToneSpan(corpus, order[next], rng)
                                     : DrawSpan(corpus, order[next], rng);
      if (span) spans.push_back(std::move(*span));
    }
    const auto title_counts = CountTitlesWith(corpus, spans);
    for (const Span& span : spans) {
      if (queries.size() == options.count) break;
      if (title_counts.at(span.key) > 1) {
        ++(*rejected)[0];
      } else if (phrase_documents(span.key) > options.max_phrase_documents) {
        ++(*rejected)[1];
      } else {
        Query query = MakeQuery(span.written);
        query.target = span.article;
        queries.push_back(std::move(query));
      }
    }
  }
  return queries;
}

std::vector<Query> HeldOutQueries(const std::vector<Entry>& held_out, uint64_t seed) {
  Rng rng(seed);
  std::vector<Query> queries;
  for (size_t i = 0; i < held_out.size(); ++i) {
    const std::optional<Span> span = DrawSpan(held_out, i, rng, 2, 4);
    if (!span || StripDiacritics(span->written) == span->written) continue;
    queries.push_back(MakeQuery(span->written));
    queries.back().target = i;
  }
  return queries;
}

std::vector<Query> TopicalQueries(const std::vector<Entry>& corpus, size_t per_category) {
  std::map<std::string, size_t> articles_by_category;
  for (const Entry& entry : corpus) {
    if (!entry.category.empty()) ++articles_by_category[entry.category];
  }
  std::vector<std::string> categories;
  std::map<std::string, size_t> category_index;
  for (const auto& [category, count] : articles_by_category) {
    if (count * 1000 < corpus.size() * 15) continue;
    category_index[category] = categories.size();
    categories.push_back(category);
  }
  const uint32_t min_titles = std::max<uint32_t>(10, static_cast<uint32_t>(corpus.size() / 1000));

  // Syllables in fewer titles than min_titles cannot start a frequent n-gram.
  std::unordered_map<std::string, uint32_t> syllable_titles;
  ForEachTitleNgram(corpus, [](const Token&) { return true; },
                    [&](size_t, const std::string& key, const std::vector<Token>&, size_t start,
                        size_t end) {
                      if (end == start + 1) ++syllable_titles[key];
                    });
  auto frequent = [&](const Token& token) { return syllable_titles[token.folded] >= min_titles; };

  std::unordered_map<std::string, NgramCount> counts;
  ForEachTitleNgram(corpus, frequent,
                    [&](size_t i, const std::string& key, const std::vector<Token>&, size_t,
                        size_t) {
                      NgramCount& count = counts[key];
                      if (count.by_category.empty()) count.by_category.resize(categories.size());
                      ++count.titles;
                      auto it = category_index.find(corpus[i].category);
                      if (it != category_index.end()) ++count.by_category[it->second];
                    });

  std::map<std::string, size_t> wanted;  // key -> category
  for (size_t c = 0; c < categories.size(); ++c) {
    for (const std::string& key : PickTopicKeys(counts, c, min_titles, per_category)) {
      wanted.emplace(key, c);
    }
  }
  std::map<std::string, std::map<std::string, uint32_t>> spellings;
  ForEachTitleNgram(corpus, frequent,
                    [&](size_t i, const std::string& key, const std::vector<Token>& tokens,
                        size_t start, size_t end) {
                      if (wanted.count(key)) {
                        ++spellings[key][Lowercase(Surface(corpus[i].title, tokens, start, end))];
                      }
                    });

  std::vector<Query> queries;
  for (const auto& [key, category] : wanted) {
    const auto& forms = spellings[key];
    auto best = std::max_element(forms.begin(), forms.end(), [](const auto& a, const auto& b) {
      return a.second < b.second;
    });
    Query query = MakeQuery(best->first);
    query.category = categories[category];
    queries.push_back(std::move(query));
  }
  std::sort(queries.begin(), queries.end(), [](const Query& a, const Query& b) {
    return std::tie(a.category, a.text[kWritten]) < std::tie(b.category, b.text[kWritten]);
  });
  return queries;
}

std::vector<Query> ExactSpellingQueries(const std::vector<Entry>& corpus, size_t min_titles) {
  struct Spelling {
    size_t titles = 0;
    std::map<std::string, size_t> forms;  // lowercase surface -> occurrences
  };
  std::map<std::string, std::map<std::string, Spelling>> by_folded;  // folded -> exact -> ...
  for (const Entry& entry : corpus) {
    std::set<std::string> seen;
    for (const Token& token : Tokenize(entry.title)) {
      if (token.exact == token.folded ||
          token.folded.find_first_of("0123456789") != std::string::npos) {
        continue;
      }
      Spelling& spelling = by_folded[token.folded][token.exact];
      spelling.titles += seen.insert(token.exact).second;
      const std::string_view written(entry.title.data() + token.begin, token.end - token.begin);
      ++spelling.forms[Lowercase(written)];
    }
  }
  std::vector<Query> queries;
  for (const auto& [folded, spellings] : by_folded) {
    std::vector<const Spelling*> frequent;
    for (const auto& [exact, spelling] : spellings) {
      if (spelling.titles >= min_titles) frequent.push_back(&spelling);
    }
    if (frequent.size() < 2) continue;
    for (const Spelling* spelling : frequent) {
      auto best = std::max_element(
          spelling->forms.begin(), spelling->forms.end(),
          [](const auto& a, const auto& b) { return a.second < b.second; });
      Query query;
      query.text[kWritten] = best->first;
      query.text[kUnaccentedNoSuggestion] = folded;
      queries.push_back(std::move(query));
    }
  }
  return queries;
}

}  // namespace tim::bench
