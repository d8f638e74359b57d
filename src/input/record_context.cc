#include "input/record_context.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "base/utf8.h"
#include "tim/error.h"

namespace tim::input {

std::string Utf8ErrorMessage(const std::string& file, std::string_view text,
                             size_t offset, size_t first_line) {
  const std::string_view before = text.substr(0, offset);
  const size_t line = first_line + static_cast<size_t>(std::count(
                                       before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  const size_t column =
      line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return file + ":" + std::to_string(line) + ": invalid UTF-8 at byte " +
         std::to_string(column);
}

void ReportBad(const BadRecordHandler& on_bad, const std::string& message) {
  if (!on_bad) throw Error(ErrorCode::kInvalidInput, message);
  on_bad(message);
}

size_t RepairUtf8(std::string* text) {
  size_t bad = 0;
  if (IsValidUtf8(*text, &bad)) return 0;
  std::string out;
  out.reserve(text->size() + 16);
  std::string_view rest = *text;
  size_t replaced = 0;
  for (;;) {
    out.append(rest.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    ++replaced;
    // Drop the bad lead byte and the continuation bytes that went with it.
    const auto lead = static_cast<uint8_t>(rest[bad]);
    const size_t expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 1;
    size_t skip = 1;
    while (skip < expected && bad + skip < rest.size() &&
           IsContinuationByte(rest[bad + skip])) {
      ++skip;
    }
    rest.remove_prefix(bad + skip);
    if (IsValidUtf8(rest, &bad)) break;
  }
  out.append(rest);
  *text = std::move(out);
  return replaced;
}

}  // namespace tim::input
