// same_weight.h: when two weights are equal.
#ifndef TIM_SRC_QUERY_SAME_WEIGHT_H_
#define TIM_SRC_QUERY_SAME_WEIGHT_H_

#include <algorithm>
#include <cmath>

namespace tim {

// Whether two weights are equal to rounding: Xapian adds a score's parts in
// an order that follows each shard's term statistics, so copies of an
// article in two shards can weigh a few units in the last place apart (and
// parts added on the client, remote_ranking.h, in another order).
inline bool SameWeight(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

}  // namespace tim

#endif  // TIM_SRC_QUERY_SAME_WEIGHT_H_
