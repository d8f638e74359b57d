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
#ifndef TIM_SRC_POSITION_MAP_H_
#define TIM_SRC_POSITION_MAP_H_

#include <cstdint>
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

  // Ends a run of text: no phrase matches across it (title | body).
  void AddBreak() { sequence_.push_back(kBreak); }

  // The distinct syllables, by number.
  const std::vector<std::string>& terms() const { return terms_; }

  // The encoded map; empty if no syllable was added.
  std::string Encode() const;

 private:
  static constexpr uint32_t kBreak = UINT32_MAX;

  std::unordered_map<std::string, uint32_t> numbers_;
  std::vector<std::string> terms_;
  std::vector<uint32_t> sequence_;
  std::string key_;  // reused lookup key
};

// Tells whether encoded maps hold a phrase: given syllables, consecutive.
// Keeps its scratch space between calls, so reuse one per phrase.
class PhraseMatcher {
 public:
  // `folded`: the phrase's folded syllables, at least one.
  explicit PhraseMatcher(std::vector<std::string> folded);

  bool Matches(std::string_view encoded);

 private:
  std::vector<std::string> folded_;
  // The syllables' hashes under the last map's seed.
  int seed_ = -1;
  std::vector<uint64_t> hashes_;
  // The syllables' slots in the current map.
  std::vector<uint64_t> slots_;
};

}  // namespace tim

#endif  // TIM_SRC_POSITION_MAP_H_
