// tim/article.h: a news article as tim ingests, stores and returns it.
#ifndef TIM_ARTICLE_H_
#define TIM_ARTICLE_H_

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tim {

enum class DatePrecision { kYear, kMonth, kDay };

// A calendar date known to the year, the month or the day ("2023-08" is a
// month-precision date: month is set, day is 0).
struct Date {
  int year = 0;
  int month = 0;  // 1-12, or 0 when only the year is known
  int day = 0;    // 1-31, or 0 when only the year or month is known

  DatePrecision precision() const {
    return day ? DatePrecision::kDay
               : (month ? DatePrecision::kMonth : DatePrecision::kYear);
  }
  // "2025", "2023-08" or "2025-10-28".
  std::string ToString() const;

  friend auto operator<=>(const Date&, const Date&) = default;
};

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a time and zone after the day
// are accepted and dropped). Throws Error(kInvalidArgument) naming the
// problem for malformed or impossible dates ("2023-13-45", "2023-02-29").
Date ParseDate(std::string_view text);

struct Article {
  std::string id;        // unique within a database; required
  std::string url;
  std::string title;
  std::string source;    // publisher name; empty means unknown
  std::string category;
  std::string body;      // required, never empty
  std::optional<Date> date;
  // True when `date` was read from the text rather than from metadata.
  bool date_inferred = false;
  // JSON fields tim does not know, each value kept as JSON text, so that
  // nothing a producer sent is dropped.
  std::map<std::string, std::string> extra_fields;
};

}  // namespace tim

#endif  // TIM_ARTICLE_H_
