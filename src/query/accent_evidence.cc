#include "query/accent_evidence.h"

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <unordered_map>
#include <utility>

#include "text/analyzer.h"

namespace tim {

namespace {

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

// ---------------------------------------------------------------------------
// Scanning a line
// ---------------------------------------------------------------------------

// How the line scanner sees a character. Only the few tokens that may be a
// query word get their keys computed (by the analyzer); the rest are only
// delimited and counted, which is most of the cost of reading an article.
enum class Glyph : uint8_t { kSeparator, kLetter, kUnsure };

struct CharInfo {
  Glyph glyph = Glyph::kSeparator;
  char base = 0;       // kLetter: its folded key, a single ASCII letter or digit
  bool lower = false;  // kLetter: a lowercase letter
};

// A letter or digit the scanner can vouch for: it folds to one ASCII
// letter, and is accented (exact key != folded key) exactly when it is not
// ASCII. Anything else that Tokenize would put in a token (other letters,
// combining marks) is kUnsure, and its line goes to Tokenize.
CharInfo ClassifySlowly(UChar32 c) {
  if (c < 0) return {};
  const uint32_t mask = U_GET_GC_MASK(c);
  if (!(mask & (U_GC_L_MASK | U_GC_ND_MASK | U_GC_M_MASK))) return {};
  char bytes[U8_MAX_LENGTH];
  size_t length = 0;
  U8_APPEND_UNSAFE(bytes, length, c);
  const std::string_view letter(bytes, length);
  const std::string folded = FoldedKey(letter);
  const bool single = folded.size() == 1 && folded[0] >= 'a' && folded[0] <= 'z';
  if (!(mask & U_GC_L_MASK) || !single || ExactKey(letter) == folded) {
    return {Glyph::kUnsure};
  }
  return {Glyph::kLetter, folded[0], static_cast<bool>(u_islower(c))};
}

// ClassifySlowly, remembered for the code points of Vietnamese text (the
// two-byte range, Latin Extended Additional, General Punctuation). Filled
// lazily, as the analyzer computes a key in microseconds; races between
// searching threads only store the same byte twice.
class CharCache {
 public:
  CharInfo Get(UChar32 c) {
    std::atomic<uint8_t>* slot = Slot(c);
    if (!slot) return ClassifySlowly(c);
    uint8_t code = slot->load(std::memory_order_relaxed);
    if (code == 0) {
      code = Encode(ClassifySlowly(c));
      slot->store(code, std::memory_order_relaxed);
    }
    return Decode(code);
  }

 private:
  // 0 means not yet classified.
  static uint8_t Encode(CharInfo info) {
    if (info.glyph == Glyph::kSeparator) return 1;
    if (info.glyph == Glyph::kUnsure) return 2;
    return static_cast<uint8_t>(0x80 | (info.lower ? 0x40 : 0) | (info.base - 'a'));
  }
  static CharInfo Decode(uint8_t code) {
    if (code == 1) return {};
    if (code == 2) return {Glyph::kUnsure};
    return {Glyph::kLetter, static_cast<char>('a' + (code & 0x1F)), (code & 0x40) != 0};
  }

  std::atomic<uint8_t>* Slot(UChar32 c) {
    if (c >= 0x80 && c < 0x800) return &two_bytes_[c - 0x80];
    if (c >= 0x1E00 && c < 0x1F00) return &additional_[c - 0x1E00];
    if (c >= 0x2000 && c < 0x2070) return &punctuation_[c - 0x2000];
    return nullptr;
  }

  std::array<std::atomic<uint8_t>, 0x800 - 0x80> two_bytes_{};
  std::array<std::atomic<uint8_t>, 0x100> additional_{};
  std::array<std::atomic<uint8_t>, 0x70> punctuation_{};
};

CharCache& Chars() {
  static CharCache cache;
  return cache;
}

constexpr std::array<CharInfo, 128> BuildAsciiInfo() {
  std::array<CharInfo, 128> info{};
  for (char c = '0'; c <= '9'; ++c) info[c] = {Glyph::kLetter, c, false};
  for (char c = 'a'; c <= 'z'; ++c) {
    info[c] = {Glyph::kLetter, c, true};
    info[c - 'a' + 'A'] = {Glyph::kLetter, c, false};
  }
  return info;
}

constexpr std::array<CharInfo, 128> kAsciiInfo = BuildAsciiInfo();

// The character at *i, which is moved past it.
inline CharInfo NextChar(std::string_view text, size_t* i) {
  const auto byte = static_cast<uint8_t>(text[*i]);
  if (byte < 0x80) {
    ++*i;
    return kAsciiInfo[byte];
  }
  UChar32 c;
  U8_NEXT(text.data(), *i, text.size(), c);
  return Chars().Get(c);
}

// Folding merges y into i after a single consonant (kỹ, ky -> ki), so the
// scanner compares words with y read as i, and may only err towards a
// false alarm.
char SkeletonLetter(char base) { return base == 'y' ? 'i' : base; }

// A token of a line that is one of the query's words.
struct Match {
  size_t index;  // among the line's tokens
  size_t begin;  // byte range in the line
  size_t end;
  std::string exact;
  const std::vector<size_t>* words;  // the query words it is
};

// What a line holds for the restorer.
struct LineScan {
  size_t words = 0;     // lowercase words
  size_t accented = 0;  // of them, with diacritics
  std::vector<Match> matches;

  void Clear() {
    words = accented = 0;
    matches.clear();
  }
};

}  // namespace

std::string Lowercase(std::string_view text) {
  std::string lower;
  icu::StringByteSink<std::string> sink(&lower);
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToLower(
      "", 0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
      sink, nullptr, status);
  return U_SUCCESS(status) ? lower : std::string(text);
}

class AccentEvidence::Scanner {
 public:
  explicit Scanner(std::vector<EvidenceWord> words)
      : words_(std::move(words)), ballots_(words_.size()), run_(words_.size()),
        next_run_(words_.size()), recent_(words_.size()) {
    for (size_t q = 0; q < words_.size(); ++q) {
      positions_[words_[q].folded].push_back(q);
    }
    for (const auto& [folded, unused] : positions_) {
      std::string skeleton;
      for (char c : folded) {
        fast_ = fast_ && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
        skeleton += SkeletonLetter(c);
      }
      fast_ = fast_ && skeleton.size() < 64;
      if (fast_) skeleton_lengths_ |= uint64_t{1} << skeleton.size();
      skeleton_starts_[static_cast<uint8_t>(skeleton[0])] = true;
      skeletons_.push_back(std::move(skeleton));
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

  // The choice for query word `q`, or nullopt if it was never seen.
  std::optional<Choice> Choose(size_t q) const {
    const Ballot& ballot = ballots_[q];
    const Ballot::value_type* best = nullptr;
    for (const auto& entry : ballot) {
      if (!best || Outranks(entry, *best)) best = &entry;
    }
    if (!best) return std::nullopt;
    return Choice{best->first, MostFrequentSpelling(best->second.spellings)};
  }

 private:
  void ReadLine(std::string_view text) {
    scan_.Clear();
    if (!fast_ || !ScanFast(text)) ScanSlowly(text);
    if (scan_.matches.empty()) return;
    // A line of Vietnamese typed without diacritics (a reader's comment
    // quoted as sent) has "thang" where the language has "tháng", and
    // would vote for it. Vietnamese has diacritics on most syllables.
    // Only lowercase words are counted, so that names and acronyms
    // ("Chelsea sa thải HLV Ranieri") do not make a line look bare; an
    // English line may be skipped, but then no Vietnamese spelling is lost.
    if (scan_.words >= kMinWordsToJudge && scan_.accented * 4 < scan_.words) return;
    FindRuns(text);
  }

  // The tokens of `text` as Tokenize splits it; false if it has a
  // character the scanner cannot vouch for.
  bool ScanFast(std::string_view text) {
    size_t index = 0;
    size_t i = 0;
    while (i < text.size()) {
      const size_t begin = i;
      CharInfo c = NextChar(text, &i);
      if (c.glyph == Glyph::kSeparator) continue;
      if (c.glyph == Glyph::kUnsure) return false;
      const bool lower = c.lower;
      bool accented = false;
      size_t letters = 0;
      size_t end = begin;
      while (c.glyph == Glyph::kLetter) {
        // A token of more than kMaxTokenBytes letters is skipped below.
        if (letters < kMaxTokenBytes) skeleton_[letters] = SkeletonLetter(c.base);
        ++letters;
        accented |= i - end > 1;
        end = i;
        if (i == text.size()) break;
        c = NextChar(text, &i);
      }
      if (c.glyph == Glyph::kUnsure) return false;
      if (end - begin > kMaxTokenBytes) continue;  // Tokenize skips it
      if (lower) {
        ++scan_.words;
        scan_.accented += accented;
      }
      if (MayBeQueryWord(std::string_view(skeleton_.data(), letters))) {
        AddIfQueryWord(text, begin, end, index);
      }
      ++index;
    }
    return true;
  }

  bool MayBeQueryWord(std::string_view skeleton) const {
    if (skeleton.size() >= 64 || !(skeleton_lengths_ >> skeleton.size() & 1) ||
        !skeleton_starts_[static_cast<uint8_t>(skeleton[0])]) {
      return false;
    }
    return std::find(skeletons_.begin(), skeletons_.end(), skeleton) != skeletons_.end();
  }

  void AddIfQueryWord(std::string_view text, size_t begin, size_t end, size_t index) {
    const std::string_view token = text.substr(begin, end - begin);
    const auto it = positions_.find(FoldedKey(token));
    if (it == positions_.end()) return;
    scan_.matches.push_back({index, begin, end, ExactKey(token), &it->second});
  }

  void ScanSlowly(std::string_view text) {
    scan_.Clear();
    size_t index = 0;
    Tokenize(text, [&](const Token& token) {
      if (StartsLowercase(text.substr(token.begin))) {
        ++scan_.words;
        scan_.accented += token.exact != token.folded;
      }
      const auto it = positions_.find(token.folded);
      if (it != positions_.end()) {
        scan_.matches.push_back({index, token.begin, token.end, token.exact, &it->second});
      }
      ++index;
    });
  }

  // Every maximal run of consecutive matched tokens (not across . ! ?)
  // that are consecutive query words of one chain. run_[q] is the length
  // of the run that ends at the current token with query word q (0: none);
  // a run the next token does not extend is maximal, and is recorded.
  void FindRuns(std::string_view text) {
    std::fill(run_.begin(), run_.end(), 0);
    const Match* previous = nullptr;
    for (const Match& match : scan_.matches) {
      const bool adjacent = previous && match.index == previous->index + 1;
      if (previous && !adjacent) EndRuns(text, previous->index);
      const bool joined =
          adjacent && text.substr(previous->end, match.begin - previous->end)
                              .find_first_of(kRunBreakers) == std::string_view::npos;
      Advance(text, match, joined);
      previous = &match;
    }
    EndRuns(text, previous->index);
  }

  void Advance(std::string_view text, const Match& match, bool joined) {
    std::fill(next_run_.begin(), next_run_.end(), 0);
    for (size_t q : *match.words) {
      const bool extends = q > 0 && joined && run_[q - 1] > 0 &&
                           words_[q].chain == words_[q - 1].chain;
      next_run_[q] = extends ? run_[q - 1] + 1 : 1;
    }
    for (size_t q = 0; q < run_.size(); ++q) {
      const bool extended = q + 1 < run_.size() && next_run_[q + 1] == run_[q] + 1;
      if (run_[q] > 0 && !extended) Sight(text, q, run_[q], match.index - 1);
    }
    // A run is never longer than the query, so recent_ keeps as many
    // tokens; this one goes in only once the runs before it are sighted.
    recent_[match.index % recent_.size()] = &match;
    run_.swap(next_run_);
  }

  // Ends every run at token `last`.
  void EndRuns(std::string_view text, size_t last) {
    for (size_t q = 0; q < run_.size(); ++q) {
      if (run_[q] > 0) Sight(text, q, run_[q], last);
      run_[q] = 0;
    }
  }

  // Records the maximal run of `length` ending at token `last` with query
  // word `q`.
  void Sight(std::string_view text, size_t q, size_t length, size_t last) {
    for (size_t k = 0; k < length; ++k) {
      const Match& match = *recent_[(last - k) % recent_.size()];
      Record(q - k, length, match.exact, text.substr(match.begin, match.end - match.begin));
    }
  }

  void Record(size_t q, size_t length, const std::string& exact, std::string_view spelling) {
    Evidence& evidence = ballots_[q][exact];
    if (length > evidence.longest) {
      evidence.longest = length;
      evidence.longest_runs = 0;
    }
    evidence.longest_runs += length == evidence.longest;
    ++evidence.runs;
    ++evidence.spellings[std::string(spelling)];
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

  const std::vector<EvidenceWord> words_;
  std::vector<Ballot> ballots_;
  std::unordered_map<std::string, std::vector<size_t>> positions_;
  // The query words as ScanFast compares them, and a bit per length among
  // them; fast_ is false when a word is not plain ASCII letters and digits.
  std::vector<std::string> skeletons_;
  uint64_t skeleton_lengths_ = 0;
  std::array<bool, 256> skeleton_starts_{};
  bool fast_ = true;
  std::array<char, kMaxTokenBytes> skeleton_;
  // Per line: its scan, the runs in progress and the last matched tokens.
  LineScan scan_;
  std::vector<size_t> run_;
  std::vector<size_t> next_run_;
  std::vector<const Match*> recent_;
};

AccentEvidence::AccentEvidence(std::vector<EvidenceWord> words)
    : scanner_(std::make_unique<Scanner>(std::move(words))) {}

AccentEvidence::~AccentEvidence() = default;

void AccentEvidence::Read(std::string_view text) { scanner_->Read(text); }

bool AccentEvidence::saw_any() const { return scanner_->saw_any(); }

std::optional<AccentEvidence::Choice> AccentEvidence::Choose(size_t q) const {
  return scanner_->Choose(q);
}

}  // namespace tim
