#include "search/snippet.h"

#include <algorithm>
#include <vector>

#include "base/spaces.h"
#include "text/analyzer.h"

namespace tim {

namespace {

constexpr std::string_view kEllipsis = "…";

struct Word {
  size_t begin, end;            // bytes
  size_t char_begin, char_end;  // characters
  int key = -1;                 // index into the matched keys, or -1
};

// Counts characters (UTF-8 lead bytes) of a text front to back.
class CharCounter {
 public:
  explicit CharCounter(std::string_view text, size_t byte = 0, size_t chars = 0)
      : text_(text), byte_(byte), chars_(chars) {}

  // Characters before byte `offset` (offsets never decrease).
  size_t At(size_t offset) {
    for (; byte_ < offset; ++byte_) {
      if ((static_cast<unsigned char>(text_[byte_]) & 0xC0) != 0x80) ++chars_;
    }
    return chars_;
  }

 private:
  std::string_view text_;
  size_t byte_, chars_;
};

// Which folded keys a token matches. A query has a handful, which are
// cheaper to compare than to hash for every word of an article.
class KeyMatcher {
 public:
  explicit KeyMatcher(const std::unordered_set<std::string>& keys) : set_(keys), shapes_(keys) {
    if (keys.size() <= kFewKeys) few_.assign(keys.begin(), keys.end());
  }

  // The tokens that may match, for Tokenize to write only their keys.
  const KeyShapes& shapes() const { return shapes_; }

  bool Matches(const std::string& folded) const {
    if (set_.size() > kFewKeys) return set_.count(folded) > 0;
    return std::find(few_.begin(), few_.end(), folded) != few_.end();
  }

 private:
  static constexpr size_t kFewKeys = 8;
  const std::unordered_set<std::string>& set_;
  KeyShapes shapes_;
  std::vector<std::string_view> few_;
};

// What a first look at the whole text finds: its matching words, with
// which distinct key each is (in order of first appearance), and where
// its first and last words are.
struct Matches {
  std::vector<Word> words;
  std::vector<std::string> keys;
  size_t text_begin = std::string_view::npos;  // byte of the first word
  size_t text_end = 0;                          // byte after the last word
  size_t first_char = 0;                        // character of the first word
};

Matches FindMatches(std::string_view text, const KeyMatcher& keys,
                    std::vector<std::string>* matched_words) {
  Matches found;
  CharCounter chars(text);
  Tokenize(text, keys.shapes(), [&](const Token& token) {
    if (found.text_begin == std::string_view::npos) {
      found.text_begin = token.begin;
      found.first_char = chars.At(token.begin);
    }
    found.text_end = token.end;
    if (!keys.Matches(token.folded)) return;
    auto it = std::find(found.keys.begin(), found.keys.end(), token.folded);
    const int key = static_cast<int>(it - found.keys.begin());
    if (it == found.keys.end()) found.keys.push_back(token.folded);
    if (matched_words && std::find(matched_words->begin(), matched_words->end(),
                                   token.exact) == matched_words->end()) {
      matched_words->push_back(token.exact);
    }
    const size_t char_begin = chars.At(token.begin);
    found.words.push_back({token.begin, token.end, char_begin, chars.At(token.end), key});
  });
  return found;
}

// The matching word that opens the best window: the one whose window holds
// the most distinct keys, then the most matches; the earliest of equals.
size_t BestWindowStart(const std::vector<Word>& words, size_t key_count,
                       size_t max_chars) {
  size_t best = 0;
  std::pair<size_t, size_t> best_score{0, 0};
  std::vector<int> seen(key_count);
  for (size_t first = 0; first < words.size(); ++first) {
    std::fill(seen.begin(), seen.end(), 0);
    std::pair<size_t, size_t> score{0, 0};
    for (size_t i = first; i < words.size() &&
                           words[i].char_end - words[first].char_begin <= max_chars;
         ++i) {
      if (!seen[words[i].key]++) ++score.first;
      ++score.second;
    }
    if (score > best_score) {
      best_score = score;
      best = first;
    }
  }
  return best;
}


// Appends `piece` with each run of whitespace (paragraph breaks included)
// turned into one space, so a snippet reads as one line.
void AppendCollapsed(std::string_view piece, std::string* out) {
  for (char c : piece) {
    if (!IsAsciiSpace(c)) {
      out->push_back(c);
    } else if (out->empty() || out->back() != ' ') {
      out->push_back(' ');
    }
  }
}

bool IsLeadByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// Moves back from byte `*byte`, character `*chars`, to character `target`,
// then on to a word boundary: the start of the text or just after
// whitespace, so that no word crosses it.
void BackToBoundary(std::string_view text, size_t target, size_t* byte, size_t* chars) {
  while (*byte > 0 && (*chars > target || !IsAsciiSpace(text[*byte - 1]))) {
    --*byte;
    if (IsLeadByte(text[*byte])) --*chars;
  }
}

// The first word boundary (whitespace or the end) at or after character
// `target`, moving forward from byte `byte`, character `chars`.
size_t ForwardToBoundary(std::string_view text, size_t target, size_t byte, size_t chars) {
  for (; byte < text.size() && (chars < target || !IsAsciiSpace(text[byte])); ++byte) {
    if (IsLeadByte(text[byte])) ++chars;
  }
  return byte;
}

// The words of text[begin, end), which must be word boundaries; `chars`
// is the character at `begin`.
std::vector<Word> WordsBetween(std::string_view text, size_t begin, size_t end,
                               size_t chars, const KeyMatcher& keys) {
  std::vector<Word> words;
  CharCounter counter(text, begin, chars);
  Tokenize(text.substr(begin, end - begin), keys.shapes(), [&](const Token& token) {
    const size_t word_begin = begin + token.begin, word_end = begin + token.end;
    const size_t char_begin = counter.At(word_begin);
    words.push_back({word_begin, word_end, char_begin, counter.At(word_end),
                     keys.Matches(token.folded) ? 0 : -1});
  });
  return words;
}

HighlightedText Render(std::string_view text, const std::vector<Word>& words,
                       size_t first, size_t last, bool cut_before,
                       bool cut_after) {
  HighlightedText out;
  if (cut_before) out.text += kEllipsis;
  // Uncut ends keep their punctuation (an opening quote, a final period).
  size_t done = cut_before ? words[first].begin : 0;
  for (size_t i = first; i <= last; ++i) {
    if (words[i].key < 0) continue;
    AppendCollapsed(text.substr(done, words[i].begin - done), &out.text);
    const size_t begin = out.text.size();
    out.text.append(text.substr(words[i].begin, words[i].end - words[i].begin));
    out.highlights.emplace_back(begin, out.text.size());
    done = words[i].end;
  }
  const size_t end = cut_after ? words[last].end : text.size();
  AppendCollapsed(text.substr(done, end - done), &out.text);
  if (!out.text.empty() && out.text.back() == ' ') out.text.pop_back();
  if (cut_after) out.text += kEllipsis;
  return out;
}

}  // namespace

HighlightedText MakeSnippet(std::string_view text,
                            const std::unordered_set<std::string>& folded_keys,
                            size_t max_chars,
                            std::vector<std::string>* matched_words) {
  const KeyMatcher keys(folded_keys);
  const Matches found = FindMatches(text, keys, matched_words);
  if (found.text_begin == std::string_view::npos) return {};
  // The window opens near its first match (without any, the first word):
  // only the words around it need their boundaries.
  size_t match_byte = found.text_begin, match_char = found.first_char;
  if (!found.words.empty()) {
    const Word& best =
        found.words[BestWindowStart(found.words, found.keys.size(), max_chars)];
    match_byte = best.begin;
    match_char = best.char_begin;
  }
  // Show a little context before the match, up to a quarter of the
  // window, rather than opening on the matched word.
  const size_t lead_in = max_chars / 4;
  const size_t from_char = match_char > lead_in ? match_char - lead_in : 0;
  size_t begin = match_byte, begin_char = match_char;
  BackToBoundary(text, from_char, &begin, &begin_char);
  const size_t end = ForwardToBoundary(text, match_char + max_chars, match_byte, match_char);
  const std::vector<Word> words = WordsBetween(text, begin, end, begin_char, keys);
  size_t first = 0;
  while (words[first].char_begin < from_char) ++first;
  size_t last = first;
  while (last + 1 < words.size() &&
         words[last + 1].char_end - words[first].char_begin <= max_chars) {
    ++last;
  }
  return Render(text, words, first, last, words[first].begin > found.text_begin,
                words[last].end < found.text_end);
}

}  // namespace tim
