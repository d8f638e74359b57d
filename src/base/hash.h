// hash.h: 64-bit FNV-1a, the one cheap byte hash tim uses (fingerprints,
// position-map slots). Not a defence against deliberate collisions.
// Its values are stored in databases: changing it changes the schema.
#ifndef TIM_SRC_BASE_HASH_H_
#define TIM_SRC_BASE_HASH_H_

#include <cstdint>
#include <string_view>

namespace tim {

inline constexpr uint64_t kFnv1aOffsetBasis = 14695981039346656037ull;

// One byte more into an FNV-1a hash.
inline uint64_t Fnv1aStep(uint64_t hash, unsigned char byte) {
  return (hash ^ byte) * 1099511628211ull;
}

// FNV-1a of `bytes`, continuing from `hash`.
inline uint64_t Fnv1a(std::string_view bytes, uint64_t hash = kFnv1aOffsetBasis) {
  for (const unsigned char byte : bytes) hash = Fnv1aStep(hash, byte);
  return hash;
}

}  // namespace tim

#endif  // TIM_SRC_BASE_HASH_H_
