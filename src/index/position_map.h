// position_map.h: a document's sequence of folded syllables in compact
// form, which tim keeps in a value slot instead of Xapian's positional
// index.
//
// Xapian stores one B-tree entry per (term, document) with positions: about
// 16 bytes each, 14 million of them on the 70k-article corpus, 230 MB for
// 1.09x the text, and a third of the ingest work. Phrases and the adjacency
// ranking only ever ask "do these syllables stand together in this
// document?", which one small record per document answers: the sequence of
// the document's syllables, each as its slot in a perfect hash of the
// document's distinct syllables (see position_map.cc).
//
// The map also tells, per syllable, how often the document writes it in its
// common spelling ("năm" for "nam", common_spellings.h), for accented
// queries to prefer exact matches.
#ifndef TIM_SRC_INDEX_POSITION_MAP_H_
#define TIM_SRC_INDEX_POSITION_MAP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tim {

// Builds a document's map, one syllable at a time.
class PositionMapBuilder {
 public:
  // Appends a folded syllable; returns its number in this document (0, 1,
  // ... in order of first appearance), for the caller's per-term counts.
  uint32_t Add(std::string_view folded);

  // Records one occurrence of syllable `number`, of weight `wdf`, and
  // whether it is spelt the common way.
  void AddSpelling(uint32_t number, bool common, uint32_t wdf);

  // Ends a run of text: no phrase matches across it (title | body).
  void AddBreak() { sequence_.push_back(kBreak); }

  // The distinct syllables, by number.
  const std::vector<std::string>& terms() const { return terms_; }

  // The encoded map; empty if no syllable was added.
  std::string Encode() const;

 private:
  static constexpr uint32_t kBreak = UINT32_MAX;

  // How a syllable of the document is spelt.
  struct Spellings {
    uint32_t common_wdf = 0;
    bool common = false;    // spelt the common way somewhere
    bool uncommon = false;  // and another way somewhere
  };

  std::string EncodeSpellings(const std::vector<uint32_t>& slots, uint64_t slot_count) const;

  std::unordered_map<std::string, uint32_t> numbers_;
  std::vector<std::string> terms_;
  std::vector<uint32_t> sequence_;
  std::string key_;  // reused lookup key
  std::vector<Spellings> spellings_;  // by syllable number
};

// Tells whether encoded maps hold a phrase: given syllables, consecutive.
// Keeps its scratch space between calls, so reuse one per phrase.
class PhraseMatcher {
 public:
  // `folded`: the phrase's folded syllables, at least one.
  explicit PhraseMatcher(std::vector<std::string> folded);

  // `anchor`: the phrase syllable whose places are looked for first; any
  // gives the same answer, the one the document has least often the
  // fastest (a frequent first syllable, "người phụ nữ", stopped the scan
  // at each of its places).
  bool Matches(std::string_view encoded, size_t anchor = 0);

 private:
  std::vector<std::string> folded_;
  // The syllables' hashes under the last map's seed.
  int seed_ = -1;
  std::vector<uint64_t> hashes_;
  // The syllables' slots in the current map.
  std::vector<uint64_t> slots_;
};

// How often maps' documents write a syllable in its common spelling.
class CommonSpellingMatcher {
 public:
  explicit CommonSpellingMatcher(std::string folded) : folded_(std::move(folded)) {}

  // The wdf of the syllable's common spelling in `encoded`'s document,
  // given `folded_wdf`, the syllable's wdf there; nullopt if the map does
  // not record spellings (maps written before schema 5).
  std::optional<uint32_t> CommonWdf(std::string_view encoded, uint32_t folded_wdf);

 private:
  const std::string folded_;
  int seed_ = -1;
  uint64_t hash_ = 0;  // of folded_ under seed_
};

}  // namespace tim

#endif  // TIM_SRC_INDEX_POSITION_MAP_H_
