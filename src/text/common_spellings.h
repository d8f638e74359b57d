// common_spellings.h: the spelling of a syllable that at least half of the
// articles with it use.
//
// An accented query prefers the articles that write its syllables exactly
// ("bán", not "bàn"). Before schema 5 every spelling of every syllable was
// an exact ("E") term: 15.8 million postings on the corpus, more than the
// folded syllables, 100 MB of the 315 MB index and 40 % of the ingest CPU.
// Now the position map (position_map.h) tells how often each syllable is
// spelt the common way, and only the other spellings are terms:
//   - a common spelling ("năm" for "nam") is in most of the articles with
//     its syllable, so ranking by the folded syllable first and reading the
//     maps of the best few hundred articles finds enough of them;
//   - an uncommon one ("nằm", "tủ") may be in none of those few hundred: its
//     term lets the first pass rank by it. With only the maps, 5 of 40
//     single-syllable queries lost exact matches from their top 10 ("bận":
//     10 of 10 -> 2, "tủ": 10 -> 2, "thu": 6 -> 0).
// Common spellings make 54 % of the exact postings.
//
// The list (data/common_spellings.txt) comes from the news corpus
// (tools/common_spellings.cc). Changing it changes what is indexed: bump
// schema::kSchemaVersion.
#ifndef TIM_SRC_TEXT_COMMON_SPELLINGS_H_
#define TIM_SRC_TEXT_COMMON_SPELLINGS_H_

#include <string_view>

namespace tim {

// `exact`: a token's exact key (analyzer.h).
bool IsCommonSpelling(std::string_view exact);

}  // namespace tim

#endif  // TIM_SRC_TEXT_COMMON_SPELLINGS_H_
