// recency.h: a ranking boost for newer articles.
#ifndef TIM_SRC_QUERY_RECENCY_H_
#define TIM_SRC_QUERY_RECENCY_H_

#include <xapian.h>

#include <string>

namespace tim {

// Gives every dated article a weight of `max_weight` halved for each
// `half_life_days` it is older than `newest_day` (a DayNumber()). Used
// as the optional side of an OP_AND_MAYBE, so it reorders
// matches without adding any. Dates are read from schema::kDateStartSlot.
class RecencySource : public Xapian::ValuePostingSource {
 public:
  RecencySource(double half_life_days, double max_weight, long newest_day);

  void init(const Xapian::Database& db) override;
  double get_weight() const override;
  RecencySource* clone() const override;
  std::string name() const override { return "tim::RecencySource"; }

 private:
  double half_life_days_;
  double max_weight_;
  long newest_day_;
};

// Days since 1970-01-01 of a DateKey() ("20251028"; 00 parts count as 01).
long DayNumber(const std::string& date_key);

}  // namespace tim

#endif  // TIM_SRC_QUERY_RECENCY_H_
