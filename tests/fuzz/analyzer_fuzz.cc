// The analyzer on any valid UTF-8: normalizing, tokenizing, word keys.
#include <cstdlib>

#include "base/utf8.h"
#include "fuzz_input.h"
#include "text/analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = tim::fuzz::AsText(data, size);
  if (!tim::IsValidUtf8(text)) return -1;  // callers validate first
  const std::string normalized = tim::NormalizeText(text);
  if (!tim::IsValidUtf8(normalized)) std::abort();
  tim::Tokenize(normalized, [&](const tim::Token& token) {
    if (token.begin >= token.end || token.end > normalized.size()) std::abort();
    if (token.end - token.begin > tim::kMaxTokenBytes) std::abort();
    if (token.exact.empty() || token.folded.empty()) std::abort();
  });
  tim::ExactKey(text);
  tim::FoldedKey(text);
  return 0;
}
