// The query parser and compiler, with and without strict syntax (the
// first byte chooses), on any valid UTF-8.
#include "base/utf8.h"
#include "fuzz_input.h"
#include "query/query_compiler.h"
#include "query/query_syntax.h"
#include "tim/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  const bool strict = data[0] & 1;
  const std::string_view text = tim::fuzz::AsText(data + 1, size - 1);
  if (!tim::IsValidUtf8(text)) return -1;  // the request layer refuses it
  try {
    tim::ParsedQuery parsed = tim::ParseQuery(text, strict);
    tim::CompiledQuery compiled(std::move(parsed), {}, {});
    if (!compiled.empty()) compiled.SinglePass();
  } catch (const tim::Error&) {
    // A query error (strict syntax, limits) is an answer, not a crash.
  }
  return 0;
}
