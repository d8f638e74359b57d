#include "snippet.h"

#include <algorithm>
#include <vector>

#include "analyzer.h"

namespace tim {

namespace {

constexpr std::string_view kEllipsis = "…";

struct Word {
  size_t begin, end;            // bytes
  size_t char_begin, char_end;  // characters
  int key = -1;                 // index into the matched keys, or -1
};

// Tokens of `text` with character offsets and which key each matches.
std::vector<Word> FindWords(std::string_view text,
                            const std::unordered_set<std::string>& keys,
                            std::vector<std::string>* matched_keys,
                            std::vector<std::string>* matched_words) {
  std::vector<Word> words;
  size_t byte = 0, chars = 0;
  auto chars_at = [&](size_t offset) {
    for (; byte < offset; ++byte) {
      if ((static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80) ++chars;
    }
    return chars;
  };
  Tokenize(text, [&](const Token& token) {
    Word word{token.begin, token.end, chars_at(token.begin), 0, -1};
    word.char_end = chars_at(token.end);
    if (keys.count(token.folded)) {
      auto it = std::find(matched_keys->begin(), matched_keys->end(), token.folded);
      word.key = static_cast<int>(it - matched_keys->begin());
      if (it == matched_keys->end()) matched_keys->push_back(token.folded);
      if (matched_words && std::find(matched_words->begin(), matched_words->end(),
                                     token.exact) == matched_words->end()) {
        matched_words->push_back(token.exact);
      }
    }
    words.push_back(word);
  });
  return words;
}

// Index of the first word of the best window: the one whose window holds
// the most distinct keys, then the most matches.
size_t BestWindowStart(const std::vector<Word>& words, size_t key_count,
                       size_t max_chars) {
  size_t best = 0;
  std::pair<size_t, size_t> best_score{0, 0};
  std::vector<int> seen(key_count);
  for (size_t first = 0; first < words.size(); ++first) {
    if (words[first].key < 0) continue;
    std::fill(seen.begin(), seen.end(), 0);
    std::pair<size_t, size_t> score{0, 0};
    for (size_t i = first; i < words.size() &&
                           words[i].char_end - words[first].char_begin <= max_chars;
         ++i) {
      if (words[i].key < 0) continue;
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

bool IsWhitespace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Appends `piece` with each run of whitespace (paragraph breaks included)
// turned into one space, so a snippet reads as one line.
void AppendCollapsed(std::string_view piece, std::string* out) {
  for (char c : piece) {
    if (!IsWhitespace(c)) {
      out->push_back(c);
    } else if (out->empty() || out->back() != ' ') {
      out->push_back(' ');
    }
  }
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
  std::vector<std::string> matched_keys;
  const std::vector<Word> words =
      FindWords(text, folded_keys, &matched_keys, matched_words);
  if (words.empty()) return {};
  size_t first = BestWindowStart(words, matched_keys.size(), max_chars);
  // Show a little context before the first match, up to a quarter of the
  // window, rather than opening on the matched word.
  const size_t lead_in = max_chars / 4;
  const size_t match_char = words[first].char_begin;
  while (first > 0 && match_char - words[first - 1].char_begin <= lead_in) {
    --first;
  }
  size_t last = first;
  while (last + 1 < words.size() &&
         words[last + 1].char_end - words[first].char_begin <= max_chars) {
    ++last;
  }
  return Render(text, words, first, last, first > 0, last + 1 < words.size());
}

}  // namespace tim
