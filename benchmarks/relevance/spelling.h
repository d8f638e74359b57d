// spelling.h: the ways people type a query, derived from its written form.
//
// Written with ICU alone, not with tim's analyzer, so that the benchmark
// checks the analyzer instead of agreeing with it by construction.
#ifndef TIM_BENCHMARKS_RELEVANCE_SPELLING_H_
#define TIM_BENCHMARKS_RELEVANCE_SPELLING_H_

#include <optional>
#include <string>
#include <string_view>

namespace tim::bench {

// Without diacritics, as typed on a keyboard without a Vietnamese input
// method: every combining mark dropped, đ -> d, Đ -> D; case kept.
std::string StripDiacritics(std::string_view text);

// Canonical decomposition (NFD), as some systems send text.
std::string Decompose(std::string_view text);

// Lowercase, NFC.
std::string Lowercase(std::string_view text);

// The other tone placement in each open syllable ending in oa, oe or uy
// (hòa <-> hoà, khỏe <-> khoẻ, thủy <-> thuỷ; not quý, hoàn, khuỷu), in NFC;
// nullopt when no word of `text` has such a syllable. Words are separated
// by spaces.
std::optional<std::string> SwapTonePlacement(std::string_view text);

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_RELEVANCE_SPELLING_H_
