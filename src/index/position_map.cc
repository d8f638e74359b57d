#include "index/position_map.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "base/hash.h"

namespace tim {

// Layout: seed (1 byte), the number of distinct syllables and the length of
// the sequence (varints), one displacement byte per bucket, then the
// sequence: each syllable as its slot, `bits` bits wide (at least 8, and
// enough for every slot and the break, which is the slot count), packed
// `per_word` to a 64-bit little-endian word, the last word filled with
// breaks.
//
// Slots come from a perfect hash of the document's syllables (hash and
// displace: a syllable's bucket picks the displacement that sends it to a
// slot of its own), so the map needs no dictionary: under 3 bits per
// distinct syllable. A syllable absent from the document also lands in
// some slot: callers only ask about documents known to hold every syllable
// of the phrase. A check looks for the phrase's first slot a word at a time
// (memchr for byte-sized slots): slot-by-slot unpacking took 12,000
// instructions per check, which made phrase-heavy queries twice as slow as
// Xapian's positions.
//
// Then, from schema 5 on and if some syllable was spelt the common way
// (common_spellings.h), how the document spells each syllable: a 2-bit code
// per slot, packed 4 to a byte from the low bits: kNotCommon (also a spare
// slot), kAllCommon (so the common spelling has the syllable's wdf, which
// the posting list gives), kSomeCommon; then the common spelling's wdf of
// each kSomeCommon slot in slot order, as varints. About 3 bits per
// distinct syllable: 5.2 MB on the corpus (a 16-bit hash of every spelling
// in the document took ten times that).
namespace {

constexpr size_t kKeysPerBucket = 3;

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool ReadVarint(std::string_view* in, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return true;
  }
  return false;
}

// MurmurHash3's finalizer.
uint64_t Mix(uint64_t hash) {
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdull;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ull;
  hash ^= hash >> 33;
  return hash;
}

uint64_t Hash(std::string_view term, unsigned seed) {
  return Mix(Fnv1a(term, kFnv1aOffsetBasis ^ Mix(seed + 1)));
}

enum SpellingCode : unsigned { kNotCommon = 0, kAllCommon = 1, kSomeCommon = 2 };

unsigned CodeAt(std::string_view codes, uint64_t slot) {
  return (static_cast<unsigned char>(codes[slot / 4]) >> (slot % 4 * 2)) & 3;
}

// The table's shape for `distinct` syllables: 20 % spare slots and 3 keys
// per bucket keep the displacement search short (with 4 keys and 10 %,
// 30 of 30 documents of 3,000 distinct syllables found no displacement).
struct Shape {
  explicit Shape(uint64_t distinct)
      : slots(distinct + distinct / 5 + 1),
        buckets((distinct + kKeysPerBucket - 1) / kKeysPerBucket),
        bits(std::max(8, static_cast<int>(std::bit_width(slots)))),
        per_word(64 / bits) {
    for (size_t i = 0; i < per_word; ++i) field_ones |= uint64_t{1} << (i * bits);
  }
  size_t Words(uint64_t length) const { return (length + per_word - 1) / per_word; }
  uint64_t Mask() const { return (uint64_t{1} << bits) - 1; }

  uint64_t slots;
  uint64_t buckets;
  int bits;
  size_t per_word;
  uint64_t field_ones = 0;  // the lowest bit of every field of a word
};

size_t BucketOf(uint64_t hash, const Shape& shape) {
  return static_cast<size_t>((hash >> 32) % shape.buckets);
}

uint64_t SlotFor(uint64_t hash, unsigned displacement, const Shape& shape) {
  return Mix(hash ^ (displacement * 0x9e3779b97f4a7c15ull)) % shape.slots;
}

// Finds a displacement per bucket that gives every syllable its own slot;
// false if some bucket has none (then another seed is tried).
bool Displace(const std::vector<uint64_t>& hashes, const Shape& shape,
              std::vector<uint8_t>* displacements, std::vector<uint32_t>* slots) {
  std::vector<std::vector<uint32_t>> buckets(shape.buckets);
  for (uint32_t key = 0; key < hashes.size(); ++key) {
    buckets[BucketOf(hashes[key], shape)].push_back(key);
  }
  std::vector<uint32_t> order(shape.buckets);
  for (uint32_t b = 0; b < order.size(); ++b) order[b] = b;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return buckets[a].size() > buckets[b].size();
  });
  std::vector<bool> taken(shape.slots);
  displacements->assign(shape.buckets, 0);
  slots->resize(hashes.size());
  std::vector<uint64_t> candidate;
  for (uint32_t b : order) {
    const std::vector<uint32_t>& keys = buckets[b];
    if (keys.empty()) break;
    bool placed = false;
    for (unsigned d = 0; d < 256 && !placed; ++d) {
      candidate.clear();
      placed = true;
      for (uint32_t key : keys) {
        const uint64_t slot = SlotFor(hashes[key], d, shape);
        if (taken[slot] || std::find(candidate.begin(), candidate.end(), slot) != candidate.end()) {
          placed = false;
          break;
        }
        candidate.push_back(slot);
      }
      if (!placed) continue;
      (*displacements)[b] = static_cast<uint8_t>(d);
      for (size_t i = 0; i < keys.size(); ++i) {
        taken[candidate[i]] = true;
        (*slots)[keys[i]] = static_cast<uint32_t>(candidate[i]);
      }
    }
    if (!placed) return false;
  }
  return true;
}

void AppendWord(uint64_t word, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(word >> (8 * i)));
}

uint64_t WordAt(const unsigned char* sequence, size_t index) {
  uint64_t word;
  std::memcpy(&word, sequence + 8 * index, sizeof word);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;
}

uint64_t SlotAt(const unsigned char* sequence, size_t index, const Shape& shape) {
  const uint64_t word = WordAt(sequence, index / shape.per_word);
  return (word >> (index % shape.per_word * shape.bits)) & shape.Mask();
}

// The first index from `from` on whose slot is `slot`, or `length`.
size_t FindSlot(const unsigned char* sequence, size_t from, size_t length, const Shape& shape,
                uint64_t slot) {
  if (from >= length) return length;
  if (shape.bits == 8) {
    const void* at = std::memchr(sequence + from, static_cast<int>(slot), length - from);
    return at ? static_cast<size_t>(static_cast<const unsigned char*>(at) - sequence) : length;
  }
  // A field of `word ^ pattern` is zero where the slot is. The classic
  // test below flags the lowest zero field exactly (and may flag fields
  // above it): a flagged word is then read field by field.
  const uint64_t pattern = slot * shape.field_ones;
  const uint64_t highs = shape.field_ones << (shape.bits - 1);
  for (size_t w = from / shape.per_word; w < shape.Words(length); ++w) {
    const uint64_t x = WordAt(sequence, w) ^ pattern;
    if (((x - shape.field_ones) & ~x & highs) == 0) continue;
    const size_t last = std::min(length, (w + 1) * shape.per_word);
    for (size_t i = std::max(from, w * shape.per_word); i < last; ++i) {
      if (((x >> (i % shape.per_word * shape.bits)) & shape.Mask()) == 0) return i;
    }
  }
  return length;
}

size_t CodeBytes(const Shape& shape) { return (shape.slots + 3) / 4; }

// An encoded map, split into its parts; see the layout above.
struct ParsedMap {
  unsigned seed = 0;
  uint64_t length = 0;
  Shape shape{0};
  std::string_view displacements;
  const unsigned char* sequence = nullptr;
  std::string_view spellings;  // empty if none were recorded, or before schema 5

  uint64_t SlotOf(uint64_t hash) const {
    const auto displacement = static_cast<unsigned char>(displacements[BucketOf(hash, shape)]);
    return SlotFor(hash, displacement, shape);
  }
};

// False if `encoded` is not a whole map.
bool Parse(std::string_view encoded, ParsedMap* map) {
  if (encoded.empty()) return false;
  map->seed = static_cast<unsigned char>(encoded[0]);
  encoded.remove_prefix(1);
  uint64_t distinct;
  if (!ReadVarint(&encoded, &distinct) || !ReadVarint(&encoded, &map->length)) return false;
  // Every distinct word and every position takes at least a byte of what
  // follows: larger counts are corrupt, and would overflow the shape below.
  if (distinct == 0 || distinct > encoded.size() || map->length > encoded.size()) return false;
  map->shape = Shape(distinct);
  if (encoded.size() < map->shape.buckets) return false;
  map->displacements = encoded.substr(0, map->shape.buckets);
  encoded.remove_prefix(map->shape.buckets);
  const size_t words = map->shape.Words(map->length);
  if (words > encoded.size() / 8) return false;
  map->sequence = reinterpret_cast<const unsigned char*>(encoded.data());
  encoded.remove_prefix(8 * words);
  map->spellings = encoded;
  return encoded.empty() || encoded.size() >= CodeBytes(map->shape);
}

}  // namespace

uint32_t PositionMapBuilder::Add(std::string_view folded) {
  key_.assign(folded);
  const auto [it, added] =
      numbers_.try_emplace(key_, static_cast<uint32_t>(terms_.size()));
  if (added) terms_.push_back(key_);
  sequence_.push_back(it->second);
  return it->second;
}

std::string PositionMapBuilder::Encode() const {
  if (terms_.empty()) return {};
  const Shape shape(terms_.size());
  std::vector<uint64_t> hashes(terms_.size());
  std::vector<uint8_t> displacements;
  std::vector<uint32_t> slots;
  unsigned seed = 0;
  for (;; ++seed) {
    for (size_t i = 0; i < terms_.size(); ++i) hashes[i] = Hash(terms_[i], seed);
    if (Displace(hashes, shape, &displacements, &slots)) break;
    // The first seed almost always works (up to 100,000 distinct syllables
    // tried); 256 failures in a row would leave the document without a map.
    if (seed == 255) return {};
  }
  std::string out;
  out.push_back(static_cast<char>(seed));
  AppendVarint(terms_.size(), &out);
  AppendVarint(sequence_.size(), &out);
  out.append(displacements.begin(), displacements.end());
  uint64_t word = 0;
  size_t filled = 0;
  auto append = [&](uint64_t slot) {
    word |= slot << (filled * shape.bits);
    if (++filled < shape.per_word) return;
    AppendWord(word, &out);
    word = 0;
    filled = 0;
  };
  for (uint32_t number : sequence_) append(number == kBreak ? shape.slots : slots[number]);
  while (filled > 0) append(shape.slots);
  const bool common = std::any_of(spellings_.begin(), spellings_.end(),
                                  [](const Spellings& spelt) { return spelt.common; });
  if (common) out += EncodeSpellings(slots, shape.slots);
  return out;
}

void PositionMapBuilder::AddSpelling(uint32_t number, bool common, uint32_t wdf) {
  if (number >= spellings_.size()) spellings_.resize(number + 1);
  Spellings& spelt = spellings_[number];
  if (common) {
    spelt.common = true;
    spelt.common_wdf += wdf;
  } else {
    spelt.uncommon = true;
  }
}

std::string PositionMapBuilder::EncodeSpellings(const std::vector<uint32_t>& slots,
                                                uint64_t slot_count) const {
  std::string out((slot_count + 3) / 4, '\0');
  std::vector<uint32_t> some_common(slot_count, UINT32_MAX);  // wdf by slot
  for (size_t number = 0; number < spellings_.size(); ++number) {
    const Spellings& spelt = spellings_[number];
    if (!spelt.common) continue;
    const uint32_t slot = slots[number];
    const unsigned code = spelt.uncommon ? kSomeCommon : kAllCommon;
    out[slot / 4] = static_cast<char>(out[slot / 4] | code << (slot % 4 * 2));
    if (spelt.uncommon) some_common[slot] = spelt.common_wdf;
  }
  for (uint32_t wdf : some_common) {
    if (wdf != UINT32_MAX) AppendVarint(wdf, &out);
  }
  return out;
}

PhraseMatcher::PhraseMatcher(std::vector<std::string> folded)
    : folded_(std::move(folded)), hashes_(folded_.size()), slots_(folded_.size()) {}

bool PhraseMatcher::Matches(std::string_view encoded, size_t anchor) {
  ParsedMap map;
  if (!Parse(encoded, &map)) return false;
  if (static_cast<int>(map.seed) != seed_) {
    for (size_t i = 0; i < folded_.size(); ++i) hashes_[i] = Hash(folded_[i], map.seed);
    seed_ = static_cast<int>(map.seed);
  }
  for (size_t i = 0; i < folded_.size(); ++i) slots_[i] = map.SlotOf(hashes_[i]);
  const Shape& shape = map.shape;
  const size_t n = slots_.size();
  if (anchor >= n) anchor = 0;
  // The anchor at `at` puts the phrase's start at `at - anchor`.
  for (size_t at = FindSlot(map.sequence, anchor, map.length, shape, slots_[anchor]);
       at - anchor + n <= map.length;
       at = FindSlot(map.sequence, at + 1, map.length, shape, slots_[anchor])) {
    const size_t start = at - anchor;
    size_t i = 0;
    while (i < n && (i == anchor || SlotAt(map.sequence, start + i, shape) == slots_[i])) ++i;
    if (i == n) return true;
  }
  return false;
}

std::optional<uint32_t> CommonSpellingMatcher::CommonWdf(std::string_view encoded,
                                                         uint32_t folded_wdf) {
  ParsedMap map;
  if (!Parse(encoded, &map) || map.spellings.empty()) return std::nullopt;
  if (static_cast<int>(map.seed) != seed_) {
    hash_ = Hash(folded_, map.seed);
    seed_ = static_cast<int>(map.seed);
  }
  const uint64_t slot = map.SlotOf(hash_);
  const unsigned code = CodeAt(map.spellings, slot);
  if (code != kSomeCommon) return code == kAllCommon ? folded_wdf : 0;
  size_t before = 0;  // kSomeCommon slots before `slot`
  for (uint64_t i = 0; i < slot; ++i) before += CodeAt(map.spellings, i) == kSomeCommon;
  std::string_view wdfs = map.spellings.substr(CodeBytes(map.shape));
  uint64_t wdf = 0;
  for (size_t i = 0; i <= before; ++i) {
    if (!ReadVarint(&wdfs, &wdf)) return 0;
  }
  return static_cast<uint32_t>(wdf);
}

}  // namespace tim
