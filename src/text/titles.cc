#include "text/titles.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "base/spaces.h"
#include "base/utf8.h"
#include "text/captions.h"

namespace tim {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026 …

// True for the lowercase letters a Vietnamese word can start with, so that
// "v.v. và" or "chúa… đã" is not taken for a sentence end.
bool IsVietnameseLower(char32_t cp) {
  if (cp >= 'a' && cp <= 'z') return true;
  if (cp >= 0xDF && cp <= 0xFF) return cp != 0xF7;
  static constexpr char32_t kOthers[] = {0x103, 0x111, 0x129,
                                         0x169, 0x1A1, 0x1B0};  // ă đ ĩ ũ ơ ư
  if (std::find(std::begin(kOthers), std::end(kOthers), cp) !=
      std::end(kOthers)) {
    return true;
  }
  return cp >= 0x1EA1 && cp <= 0x1EF9 && (cp & 1);
}

// True if the '.' at s[dot] follows an abbreviation ("TP. Huế", "GS. TS",
// "J.K. Rowling", "Donald J. Trump") rather than ending a sentence.
bool IsAbbreviationDot(std::string_view s, size_t dot) {
  static constexpr std::string_view kAbbreviations[] = {
      "TP",   "Tp",  "TS",  "GS",  "PGS", "ThS", "BS",    "KS",     "TX",
      "TT",   "St",  "Mr",  "Mrs", "Ms",  "Dr",  "Jr",    "Sr",     "Co",
      "Corp", "Inc", "Ltd", "vs",  "tr",  "v.v", "TS.BS", "PGS.TS", "GS.TS"};
  size_t start = dot;
  while (start > 0 && !IsAsciiSpace(s[start - 1]) && s[start - 1] != '(') {
    --start;
  }
  const std::string_view word = s.substr(start, dot - start);
  if (word.empty()) return false;
  for (std::string_view a : kAbbreviations) {
    if (word == a) return true;
  }
  // Initials: "J", "J.K", "U.S".
  for (size_t k = 0; k < word.size(); ++k) {
    const bool letter_slot = k % 2 == 0;
    const char c = word[k];
    if (letter_slot ? !(c >= 'A' && c <= 'Z') : c != '.') return false;
  }
  return true;
}

// Length of the closing quote or bracket at the start of `s`, or 0.
size_t CloserLength(std::string_view s) {
  for (std::string_view closer : {"\"", "'", ")", "]", "\xE2\x80\x9D",  // ”
                                  "\xE2\x80\x99", "\xC2\xBB"}) {  // ’ »
    if (s.starts_with(closer)) return closer.size();
  }
  return 0;
}

// If s[i] starts a sentence terminator (". ", "? ", "! ", "… ", or one at
// the end of `s`), returns the end of the sentence, past any closing quotes
// or brackets; else npos.
size_t SentenceEndAt(std::string_view s, size_t i) {
  size_t end;
  if (s[i] == '?' || s[i] == '!' || s[i] == '.') {
    if (s[i] == '.' && IsAbbreviationDot(s, i)) return std::string_view::npos;
    end = i + 1;
  } else if (s.substr(i).starts_with(kEllipsis)) {
    end = i + kEllipsis.size();
  } else {
    return std::string_view::npos;
  }
  for (;;) {
    if (end < s.size() &&
        std::string_view(".?!").find(s[end]) != std::string_view::npos) {
      ++end;
    } else if (s.substr(end).starts_with(kEllipsis)) {
      end += kEllipsis.size();
    } else if (const size_t n = CloserLength(s.substr(end))) {
      end += n;
    } else {
      break;
    }
  }
  if (end == s.size()) return end;
  const size_t space = SpaceLengthAt(s.substr(end));
  if (space == 0) return std::string_view::npos;  // "TP.HCM", "3.5"
  // "v.v. và", "mối chúa… đã": a lowercase word goes on with the sentence.
  const std::string_view next = TrimSpace(s.substr(end));
  if (!next.empty() && IsVietnameseLower(DecodeFirst(next))) {
    return std::string_view::npos;
  }
  return end;
}

// True if the code point starting at s[0] is a letter, ignoring the marks
// and punctuation of the General Punctuation block ("…", "“").
bool StartsWithLetter(std::string_view s) {
  const char32_t cp = DecodeFirst(s);
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 &&
         !(cp >= 0x2000 && cp <= 0x206F);
}

std::string_view FirstSentence(std::string_view line) {
  // A terminator before any letter does not end a sentence: "... Một phần",
  // "1 . Luật khiếu nại".
  bool seen_letter = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (IsContinuationByte(line[i])) continue;
    if (!seen_letter) {
      seen_letter = StartsWithLetter(line.substr(i));
      continue;
    }
    const size_t end = SentenceEndAt(line, i);
    if (end != std::string_view::npos) return line.substr(0, end);
  }
  return line;
}

// Drops a leading dialogue dash or bullet: "- Không phải." (VNTC interviews).
std::string_view DropLeadingDash(std::string_view s) {
  for (std::string_view dash :
       {"-", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\xA2"}) {  // - – — •
    if (s.starts_with(dash) && SpaceLengthAt(s.substr(dash.size())) > 0) {
      return TrimSpace(s.substr(dash.size()));
    }
  }
  return s;
}

// Drops an opening quote that the sentence never closes: the title of
// "“Trong cuộc gặp ... không? Có phải ...’. Tất cả ...”, ông nói." is the
// part before the closing quote.
std::string_view DropUnbalancedQuote(std::string_view s) {
  static constexpr std::pair<std::string_view, std::string_view> kPairs[] = {
      {"\xE2\x80\x9C", "\xE2\x80\x9D"},  // “ ”
      {"\xE2\x80\x98", "\xE2\x80\x99"},  // ‘ ’
      {"\xC2\xAB", "\xC2\xBB"},          // « »
      {"\"", "\""},
  };
  for (const auto& [open, close] : kPairs) {
    if (s.starts_with(open) &&
        s.find(close, open.size()) == std::string_view::npos) {
      return TrimSpace(s.substr(open.size()));
    }
  }
  return s;
}

// Drops what should not end a shortened title: "đã đạt “…", "Nga, …".
std::string_view TrimDanglingPunctuation(std::string_view s) {
  for (;;) {
    s = TrimSpace(s);
    if (!s.empty() &&
        std::string_view(",;:-(").find(s.back()) != std::string_view::npos) {
      s.remove_suffix(1);
    } else if (s.ends_with("\xE2\x80\x93") || s.ends_with("\xE2\x80\x94") ||
               s.ends_with("\xE2\x80\x9C")) {  // – — “
      s.remove_suffix(3);
    } else {
      return s;
    }
  }
}

// Cuts `s` to at most `max_chars` code points, "…" included, at a space.
std::string Shorten(std::string_view s, size_t max_chars) {
  max_chars = std::max<size_t>(max_chars, 2);
  if (CountCodePoints(s) <= max_chars) return std::string(s);
  const size_t limit = OffsetOfCodePoint(s, max_chars - 1);
  std::string_view cut = s.substr(0, limit);
  if (SpaceLengthAt(s.substr(limit)) == 0) {
    // Back up to the last space so no word is cut in half.
    for (size_t i = cut.size(); i > 0; --i) {
      if (SpaceLengthBefore(cut.substr(0, i)) > 0) {
        cut = cut.substr(0, i);
        break;
      }
    }
  }
  const std::string_view trimmed = TrimDanglingPunctuation(cut);
  std::string title(trimmed.empty() ? s.substr(0, limit) : trimmed);
  title.append(kEllipsis);
  return title;
}

// Splits `body` into trimmed non-empty lines, at most `max_lines`.
std::vector<std::string_view> NonEmptyLines(std::string_view body,
                                            size_t max_lines) {
  std::vector<std::string_view> lines;
  while (!body.empty() && lines.size() < max_lines) {
    const size_t newline = body.find('\n');
    const std::string_view line = TrimSpace(body.substr(0, newline));
    if (!line.empty()) lines.push_back(line);
    if (newline == std::string_view::npos) break;
    body.remove_prefix(newline + 1);
  }
  return lines;
}

bool IsBbcCreditLine(std::string_view line) {
  return line.starts_with("Nguồn hình ảnh");
}

// The first line that is not a caption. BBC pages put the caption before a
// "Nguồn hình ảnh, ..." line and repeat it after "Chụp lại hình ảnh,".
std::string_view FirstRealLine(const std::vector<std::string_view>& lines) {
  std::vector<std::string_view> skipped;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const bool caption =
        IsCaptionLine(line) ||
        (i + 1 < lines.size() && IsBbcCreditLine(lines[i + 1])) ||
        std::find(skipped.begin(), skipped.end(), line) != skipped.end();
    if (!caption) return line;
    skipped.push_back(line);
  }
  return lines.empty() ? std::string_view() : lines.front();
}

}  // namespace

std::string DeriveTitle(std::string_view body, size_t max_chars) {
  // Captions come first; 64 lines is far more than any lead-in of them.
  const std::vector<std::string_view> lines = NonEmptyLines(body, 64);
  const std::string_view line = FirstRealLine(lines);
  if (line.empty()) return "";
  std::string_view sentence =
      DropUnbalancedQuote(FirstSentence(DropLeadingDash(line)));
  if (sentence.empty()) sentence = line;
  return Shorten(sentence, max_chars);
}

}  // namespace tim
