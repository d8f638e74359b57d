#include "text/captions.h"

#include <initializer_list>
#include <string_view>

#include "base/spaces.h"

namespace tim {

namespace {

// The longest photo credit seen in the corpus is "(Ảnh: Hội thanh niên và
// sinh viên Việt Nam tại Nhật Bản cung cấp)": 13 words.
constexpr size_t kMaxCreditWords = 15;
// A credit marker further than this from the end of a line starts no credit.
constexpr size_t kMaxCreditBytes = 256;

bool StartsWithAny(std::string_view s,
                   std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (s.starts_with(p)) return true;
  }
  return false;
}

// Characters that may close a caption after its credit: "(Ảnh: RBC).",
// "(Ảnh: NVCC)."" (a stray quote left by a crawler).
std::string_view StripClosers(std::string_view s) {
  for (;;) {
    s = TrimSpace(s);
    if (!s.empty() && (s.back() == '.' || s.back() == ')' || s.back() == '"' ||
                       s.back() == '\'')) {
      s.remove_suffix(1);
    } else if (s.ends_with("\xE2\x80\x9D")) {  // ”
      s.remove_suffix(3);
    } else {
      return s;
    }
  }
}

// True if the credit marker at `pos` is where a credit can begin: at the
// start of the line or after "(", "-", "–", "—", "|", "/", "." or ",", so
// that "hình ảnh: ..." in running text is not taken for one.
bool AtCreditBoundary(std::string_view line, size_t pos) {
  const std::string_view before = TrimSpace(line.substr(0, pos));
  if (before.empty()) return true;
  if (std::string_view("(-|/.,").find(before.back()) !=
      std::string_view::npos) {
    return true;
  }
  return before.ends_with("\xE2\x80\x93") ||  // –
         before.ends_with("\xE2\x80\x94");    // —
}

// Given the text after a credit marker ("Ảnh", "Nguồn"), returns true if it
// completes a credit: ": REUTERS", " minh họa", " minh hoạ: SMU)."
bool IsCreditTail(std::string_view tail, bool allow_illustration) {
  if (allow_illustration) {
    for (std::string_view word : {" minh họa", " minh hoạ"}) {
      if (tail.starts_with(word)) {
        tail.remove_prefix(word.size());
        if (StripClosers(tail).empty()) return true;
        break;
      }
    }
  }
  tail = TrimSpace(tail);
  if (!tail.starts_with(':')) return false;
  const std::string_view credit = StripClosers(tail.substr(1));
  return !credit.empty() && CountWords(credit) <= kMaxCreditWords;
}

// True if the line ends with a photo credit ("... - Ảnh: REUTERS",
// "(Ảnh: RBC).", "(Ảnh minh họa)", "(Nguồn: The Korea Times).").
bool EndsWithCredit(std::string_view line) {
  static constexpr struct {
    std::string_view marker;
    bool allow_illustration;
  } kMarkers[] = {
      {"Ảnh", true},    {"ảnh", true},        {"ẢNH", true},
      {"Nguồn", false}, {"Nguồn ảnh", false}, {"Nguồn video", false},
  };
  // Only the tail can hold a credit: searching the whole line would cost
  // a comparison per byte of every long paragraph.
  const size_t window =
      line.size() > kMaxCreditBytes ? line.size() - kMaxCreditBytes : 0;
  const std::string_view tail = line.substr(window);
  for (const auto& [marker, illustration] : kMarkers) {
    for (size_t at = tail.find(marker); at != std::string_view::npos;
         at = tail.find(marker, at + 1)) {
      const size_t pos = window + at;
      if (AtCreditBoundary(line, pos) &&
          IsCreditTail(line.substr(pos + marker.size()), illustration)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

bool IsCaptionLine(std::string_view line) {
  line = TrimSpace(line);
  if (line.empty()) return false;
  if (StartsWithAny(line, {"Nguồn hình ảnh", "Chụp lại hình ảnh"})) {
    return true;
  }
  if (line.back() == ',' && CountWords(line) < 3) return true;
  return EndsWithCredit(line);
}

}  // namespace tim
