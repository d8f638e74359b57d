#include "accent_restorer.h"

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer.h"
#include "tim/json.h"

namespace tim {

namespace {

// A word of the query, as the restorer sees it.
struct QueryWord {
  size_t begin = 0;  // byte range in the normalized query
  size_t end = 0;
  std::string folded;
  bool kept = false;  // syntax or an excluded word: copied as typed
  bool accented = false;
  int chain = 0;      // runs of the text may only cover words of one chain
};

// The parts of a query that are syntax rather than words to restore.
struct Syntax {
  std::vector<bool> kept;      // by byte of the query
  std::vector<size_t> breaks;  // offsets of parentheses
};

constexpr std::string_view kOpenQuotes[] = {"\"", "\u201C"};
constexpr std::string_view kCloseQuotes[] = {"\"", "\u201D"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t QuoteAt(std::string_view text, size_t i,
               const std::string_view (&quotes)[2]) {
  for (std::string_view quote : quotes) {
    if (text.substr(i, quote.size()) == quote) return quote.size();
  }
  return 0;
}

// The end of the quoted phrase opening at `i` (the end of the text when
// the quote is unbalanced, as the query parser then reads plain words).
size_t PhraseEnd(std::string_view text, size_t i) {
  i += QuoteAt(text, i, kOpenQuotes);
  while (i < text.size()) {
    if (size_t quote = QuoteAt(text, i, kCloseQuotes)) return i + quote;
    ++i;
  }
  return i;
}

size_t WordEnd(std::string_view text, size_t i) {
  while (i < text.size() && !IsSpace(text[i]) && text[i] != '(' &&
         text[i] != ')' && !QuoteAt(text, i, kOpenQuotes)) {
    ++i;
  }
  return i;
}

// The field name `word` starts with ("title" for "title:hoa"), if any.
std::string_view FieldOf(std::string_view word) {
  const size_t colon = word.find(':');
  if (colon == std::string_view::npos) return {};
  const std::string_view name = word.substr(0, colon);
  for (std::string_view field : {"title", "source", "cites", "category", "date"}) {
    if (name == field) return name;
  }
  return {};
}

// Reads the query the way query_builder's lexer does, closely enough to
// know which bytes are operators, field names, filter values and excluded
// words.
Syntax ReadSyntax(std::string_view text) {
  Syntax syntax;
  syntax.kept.assign(text.size(), false);
  auto keep = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) syntax.kept[i] = true;
  };
  bool negate_next = false;
  size_t i = 0;
  while (i < text.size()) {
    if (IsSpace(text[i])) {
      ++i;
      continue;
    }
    if (text[i] == '(' || text[i] == ')') {
      syntax.breaks.push_back(i++);
      continue;
    }
    const size_t start = i;
    bool negated = std::exchange(negate_next, false);
    if (text[i] == '-' && i + 1 < text.size() && !IsSpace(text[i + 1])) {
      negated = true;
      ++i;
    }
    size_t end = QuoteAt(text, i, kOpenQuotes) ? PhraseEnd(text, i) : WordEnd(text, i);
    const std::string_view word = text.substr(i, end - i);
    if (word == "AND" || word == "OR" || word == "NOT") {
      negate_next = word == "NOT";
      keep(start, end);
    } else if (const std::string_view field = FieldOf(word); !field.empty()) {
      const size_t value = i + field.size() + 1;
      if (value == end && QuoteAt(text, end, kOpenQuotes)) end = PhraseEnd(text, end);
      keep(start, field == "title" && !negated ? value : end);
    } else if (negated) {
      keep(start, end);
    }
    i = end;
  }
  return syntax;
}

// The tokens of the query, each with its part in it.
std::vector<QueryWord> ReadWords(std::string_view normalized) {
  const Syntax syntax = ReadSyntax(normalized);
  std::vector<QueryWord> words;
  int chain = 0;
  size_t next_break = 0;
  for (const Token& token : Tokenize(normalized)) {
    while (next_break < syntax.breaks.size() &&
           syntax.breaks[next_break] < token.begin) {
      ++next_break;
      ++chain;
    }
    QueryWord word;
    word.begin = token.begin;
    word.end = token.end;
    word.folded = token.folded;
    word.kept = syntax.kept[token.begin];
    word.accented = token.exact != token.folded;
    // A kept word gets a chain of its own, apart from its neighbours'.
    if (word.kept) ++chain;
    word.chain = chain;
    if (word.kept) ++chain;
    words.push_back(std::move(word));
  }
  return words;
}

std::string Lowercase(std::string_view text) {
  std::string lower;
  icu::StringByteSink<std::string> sink(&lower);
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToLower(
      "", 0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
      sink, nullptr, status);
  return U_SUCCESS(status) ? lower : std::string(text);
}

// What the text showed at one query word: for each exact key seen there,
// the longest run it was part of, how many runs were that long, how many
// runs in all, and how it was spelled (as written, case included).
struct Evidence {
  size_t longest = 0;
  uint64_t longest_runs = 0;
  uint64_t runs = 0;
  std::unordered_map<std::string, uint64_t> spellings;
};

using Ballot = std::unordered_map<std::string, Evidence>;  // by exact key

bool StartsLowercase(std::string_view text) {
  UChar32 c;
  size_t i = 0;
  U8_NEXT(text.data(), i, text.size(), c);
  return u_islower(c);
}

// Lines with fewer lowercase words are read whatever their diacritics.
constexpr size_t kMinWordsToJudge = 4;

// Punctuation that ends a run: a sentence boundary, across which two words
// are no context for each other. Commas, colons, quotes and dashes do not
// ("thăm, động viên" still shows how both words are written); also ending
// runs at ; and : restored fewer of the benchmark's queries.
constexpr std::string_view kRunBreakers = ".!?";

class Restorer {
 public:
  explicit Restorer(const std::vector<QueryWord>& words)
      : words_(words),
        ballots_(words.size()),
        run_(words.size()),
        next_run_(words.size()),
        recent_(words.size()) {
    for (size_t q = 0; q < words_.size(); ++q) {
      if (!words_[q].kept) positions_[words_[q].folded].push_back(q);
    }
  }

  // Counts the runs of `text` (normalized) matching the query's words.
  void Read(std::string_view text) {
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      ReadLine(text.substr(start, end - start));
      start = end + 1;
    }
  }

  bool saw_any() const {
    for (const Ballot& ballot : ballots_) {
      if (!ballot.empty()) return true;
    }
    return false;
  }

  // The chosen spelling of query word `q`, or nullopt if it was never seen.
  std::optional<std::string> Choice(size_t q) const {
    const Ballot& ballot = ballots_[q];
    const Ballot::value_type* best = nullptr;
    for (const auto& entry : ballot) {
      if (!best || Outranks(entry, *best)) best = &entry;
    }
    if (!best) return std::nullopt;
    return MostFrequentSpelling(best->second.spellings);
  }

 private:
  // A token seen at a query word, as part of a maximal run of `length`.
  struct Sighting {
    size_t q;
    size_t length;
    std::string exact;
    std::string_view spelling;
  };

  // One pass over the tokens of a line. run_[q] is the length of the run
  // that ends at the current token with query word q (0: none); a run that
  // the next token does not extend is maximal, and its tokens are sighted.
  void ReadLine(std::string_view text) {
    std::fill(run_.begin(), run_.end(), 0);
    sightings_.clear();
    size_t words = 0;
    size_t accented = 0;
    size_t index = 0;
    size_t previous_end = std::string_view::npos;
    Tokenize(text, [&](const Token& token) {
      if (StartsLowercase(text.substr(token.begin))) {
        ++words;
        accented += token.exact != token.folded;
      }
      const bool joined =
          previous_end != std::string_view::npos &&
          text.substr(previous_end, token.begin - previous_end).find_first_of(kRunBreakers) ==
              std::string_view::npos;
      Advance(token, text, joined, index);
      previous_end = token.end;
      ++index;
    });
    EndRuns(index);
    // A line of Vietnamese typed without diacritics (a reader's comment
    // quoted as sent) has "thang" where the language has "tháng", and
    // would vote for it. Vietnamese has diacritics on most syllables.
    // Only lowercase words are counted, so that names and acronyms
    // ("Chelsea sa thải HLV Ranieri") do not make a line look bare; an
    // English line may be skipped, but then no Vietnamese spelling is lost.
    if (words >= kMinWordsToJudge && accented * 4 < words) return;
    for (const Sighting& sighting : sightings_) Record(sighting);
  }

  void Advance(const Token& token, std::string_view text, bool joined, size_t index) {
    std::fill(next_run_.begin(), next_run_.end(), 0);
    const auto it = positions_.find(token.folded);
    if (it != positions_.end()) {
      for (size_t q : it->second) {
        const bool extends = q > 0 && joined && run_[q - 1] > 0 &&
                             words_[q].chain == words_[q - 1].chain;
        next_run_[q] = extends ? run_[q - 1] + 1 : 1;
      }
    }
    for (size_t q = 0; q < run_.size(); ++q) {
      const bool extended = q + 1 < run_.size() && next_run_[q + 1] == run_[q] + 1;
      if (run_[q] > 0 && !extended) Sight(q, run_[q], index - 1);
    }
    // A run is never longer than the query, so recent_ keeps as many
    // tokens; this one goes in only once the runs before it are sighted.
    if (it != positions_.end()) {
      recent_[index % recent_.size()] = {
          token.exact, text.substr(token.begin, token.end - token.begin)};
    }
    run_.swap(next_run_);
  }

  // Ends every run at the end of a line of `tokens` tokens.
  void EndRuns(size_t tokens) {
    for (size_t q = 0; q < run_.size(); ++q) {
      if (run_[q] > 0) Sight(q, run_[q], tokens - 1);
    }
  }

  // The maximal run of `length` ending at token `last` with query word `q`.
  void Sight(size_t q, size_t length, size_t last) {
    for (size_t k = 0; k < length; ++k) {
      const auto& [exact, spelling] = recent_[(last - k) % recent_.size()];
      sightings_.push_back({q - k, length, exact, spelling});
    }
  }

  void Record(const Sighting& sighting) {
    Evidence& evidence = ballots_[sighting.q][sighting.exact];
    if (sighting.length > evidence.longest) {
      evidence.longest = sighting.length;
      evidence.longest_runs = 0;
    }
    evidence.longest_runs += sighting.length == evidence.longest;
    ++evidence.runs;
    ++evidence.spellings[std::string(sighting.spelling)];
  }

  // The longest run wins, then the most runs that long, then the most
  // runs (a text written without diacritics, as forum posts quoted in
  // the news sometimes are, can tie with the accented one), then the
  // smaller key, for determinism.
  static bool Outranks(const Ballot::value_type& a, const Ballot::value_type& b) {
    const Evidence& x = a.second;
    const Evidence& y = b.second;
    if (x.longest != y.longest) return x.longest > y.longest;
    if (x.longest_runs != y.longest_runs) return x.longest_runs > y.longest_runs;
    if (x.runs != y.runs) return x.runs > y.runs;
    return a.first < b.first;
  }

  static std::string MostFrequentSpelling(
      const std::unordered_map<std::string, uint64_t>& spellings) {
    std::map<std::string, uint64_t> lowercase;
    for (const auto& [spelling, count] : spellings) lowercase[Lowercase(spelling)] += count;
    auto best = lowercase.begin();
    for (auto it = lowercase.begin(); it != lowercase.end(); ++it) {
      if (it->second > best->second) best = it;
    }
    return best->first;
  }

  const std::vector<QueryWord>& words_;
  std::vector<Ballot> ballots_;
  std::unordered_map<std::string, std::vector<size_t>> positions_;
  // Per line: the runs in progress, the last tokens that matched a query
  // word (exact key, spelling), and the sightings not yet recorded.
  std::vector<size_t> run_;
  std::vector<size_t> next_run_;
  std::vector<std::pair<std::string, std::string_view>> recent_;
  std::vector<Sighting> sightings_;
};

// The query's words as phrases, one per chain, all of them required.
Xapian::Query PhraseQuery(const std::vector<QueryWord>& words) {
  std::vector<Xapian::Query> phrases;
  std::vector<Xapian::Query> chain;
  auto flush = [&] {
    if (chain.empty()) return;
    phrases.emplace_back(Xapian::Query::OP_PHRASE, chain.begin(), chain.end(), chain.size());
    chain.clear();
  };
  for (size_t q = 0; q < words.size(); ++q) {
    if (words[q].kept) continue;
    if (!chain.empty() && words[q].chain != words[q - 1].chain) flush();
    chain.emplace_back(words[q].folded);
  }
  flush();
  return Xapian::Query(Xapian::Query::OP_AND, phrases.begin(), phrases.end());
}

// All the words (or, with `any`, any of them), ranked higher where two
// consecutive query words are adjacent in the text.
Xapian::Query WordsQuery(const std::vector<QueryWord>& words, bool any) {
  std::vector<Xapian::Query> terms;
  std::vector<Xapian::Query> boosts;
  const QueryWord* previous = nullptr;
  for (const QueryWord& word : words) {
    if (word.kept) continue;
    terms.emplace_back(word.folded);
    if (previous && previous->chain == word.chain) {
      const Xapian::Query pair[] = {Xapian::Query(previous->folded),
                                    Xapian::Query(word.folded)};
      boosts.emplace_back(Xapian::Query::OP_PHRASE, pair, pair + 2, 2);
    }
    previous = &word;
  }
  Xapian::Query query(any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND,
                      terms.begin(), terms.end());
  if (boosts.empty()) return query;
  boosts.insert(boosts.begin(), query);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, boosts.begin(), boosts.end());
}

// Copies the query with each restorable word replaced by its choice (or
// lowercased); nullopt if that changes no word.
std::optional<std::string> Rewrite(std::string_view normalized,
                                   const std::vector<QueryWord>& words,
                                   const Restorer& restorer) {
  std::string out;
  size_t copied = 0;
  bool changed = false;
  for (size_t q = 0; q < words.size(); ++q) {
    const QueryWord& word = words[q];
    if (word.kept) continue;
    const std::string typed =
        Lowercase(normalized.substr(word.begin, word.end - word.begin));
    const std::optional<std::string> choice = restorer.Choice(q);
    out.append(normalized.substr(copied, word.begin - copied));
    out += choice.value_or(typed);
    changed |= choice && *choice != typed;
    copied = word.end;
  }
  if (!changed) return std::nullopt;
  out.append(normalized.substr(copied));
  return out;
}

}  // namespace

std::optional<std::string> SuggestAccents(const Xapian::Database& db,
                                          std::string_view query_text,
                                          size_t max_documents) {
  const std::string normalized = NormalizeText(query_text);
  const std::vector<QueryWord> words = ReadWords(normalized);
  size_t restorable = 0;
  for (const QueryWord& word : words) {
    if (word.kept) continue;
    if (word.accented) return std::nullopt;
    ++restorable;
  }
  if (restorable == 0) return std::nullopt;
  // Articles having the query as written are the best evidence, and
  // suffice: their runs span every word, so shorter runs elsewhere could
  // not change a choice. Else those having all the words, else any. (The
  // adjacency boosts of the second query cost a few times more than the
  // phrase, measured on the news corpus: hence this order.)
  Xapian::Enquire enquire(db);
  for (const Xapian::Query& query :
       {PhraseQuery(words), WordsQuery(words, false), WordsQuery(words, true)}) {
    enquire.set_query(query);
    const Xapian::MSet mset =
        enquire.get_mset(0, static_cast<Xapian::doccount>(max_documents));
    Restorer restorer(words);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const Article article = ArticleFromJson(it.get_document().get_data());
      restorer.Read(article.title);
      restorer.Read(article.body);
    }
    // Matches only in lines without diacritics are no evidence either.
    if (restorer.saw_any()) return Rewrite(normalized, words, restorer);
  }
  return std::nullopt;
}

}  // namespace tim
