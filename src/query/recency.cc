#include "query/recency.h"

#include <chrono>
#include <cmath>

#include "index/schema.h"

namespace tim {

long DayNumber(const std::string& date_key) {
  if (date_key.size() != 8) return 0;
  const int year = std::stoi(date_key.substr(0, 4));
  const unsigned month = std::max(1, std::stoi(date_key.substr(4, 2)));
  const unsigned day = std::max(1, std::stoi(date_key.substr(6, 2)));
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(month),
                                         std::chrono::day(day)};
  return std::chrono::sys_days(date).time_since_epoch().count();
}

RecencySource::RecencySource(double half_life_days, double max_weight, long newest_day)
    : Xapian::ValuePostingSource(schema::kDateStartSlot),
      half_life_days_(half_life_days),
      max_weight_(max_weight),
      newest_day_(newest_day) {}

void RecencySource::init(const Xapian::Database& db) {
  Xapian::ValuePostingSource::init(db);
  set_maxweight(max_weight_);
}

double RecencySource::get_weight() const {
  const double age_days = static_cast<double>(newest_day_ - DayNumber(get_value()));
  return max_weight_ * std::exp2(-std::max(0.0, age_days) / half_life_days_);
}

RecencySource* RecencySource::clone() const {
  return new RecencySource(half_life_days_, max_weight_, newest_day_);
}

}  // namespace tim
