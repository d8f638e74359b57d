#include "base/spaces.h"

#include "base/utf8.h"

namespace tim {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

size_t SpaceLengthAt(std::string_view s) {
  if (s.empty()) return 0;
  if (IsAsciiSpace(s[0])) return 1;
  if (s.starts_with("\xC2\xA0")) return 2;
  if (s.starts_with("\xE2\x80\x8B") || s.starts_with(kBom)) return 3;
  return 0;
}

size_t SpaceLengthBefore(std::string_view s) {
  if (s.empty()) return 0;
  if (IsAsciiSpace(s.back())) return 1;
  if (s.ends_with("\xC2\xA0")) return 2;
  if (s.ends_with("\xE2\x80\x8B") || s.ends_with(kBom)) return 3;
  return 0;
}

std::string_view TrimSpace(std::string_view s) {
  while (size_t n = SpaceLengthAt(s)) s.remove_prefix(n);
  while (size_t n = SpaceLengthBefore(s)) s.remove_suffix(n);
  return s;
}

void TrimSpaceInPlace(std::string* s) {
  const std::string_view trimmed = TrimSpace(*s);
  if (trimmed.size() == s->size()) return;
  const size_t start = static_cast<size_t>(trimmed.data() - s->data());
  s->erase(start + trimmed.size());
  s->erase(0, start);
}

size_t CountWords(std::string_view s) {
  size_t words = 0;
  bool in_word = false;
  while (!s.empty()) {
    if (size_t n = SpaceLengthAt(s)) {
      in_word = false;
      s.remove_prefix(n);
      continue;
    }
    if (!in_word) ++words;
    in_word = true;
    s.remove_prefix(1);
  }
  return words;
}

}  // namespace tim
