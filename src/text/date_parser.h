// date_parser.h: dates as they appear in metadata and in Vietnamese text.
#ifndef TIM_SRC_TEXT_DATE_PARSER_H_
#define TIM_SRC_TEXT_DATE_PARSER_H_

#include <optional>
#include <string>
#include <string_view>

#include "tim/article.h"

namespace tim {

// Parses an ISO 8601 date: "YYYY", "YYYY-MM", "YYYY-MM-DD", the last
// optionally followed by a time and zone ("2025-10-28T09:15:00+07:00",
// "...Z", "2025-10-28 09:15"). The date is kept as written (local time of
// the publisher); the time and zone are validated and dropped. Returns
// nullopt and sets *error (e.g. "month 13 is out of range in '2023-13-45'")
// for malformed or impossible dates, including 2023-02-29.
std::optional<Date> ParseIsoDate(std::string_view text, std::string* error);

// True if `text` looks like an attempt at an ISO date (starts with four
// digits), so that a caller can tell "not a date" from "a bad date".
bool LooksLikeIsoDate(std::string_view text);

// Finds the date an article most likely reports on in its Vietnamese text
// (NFC): "ngày 9/11/2022", "ngày 09 tháng 11 năm 2022", "hôm 15/8",
// "tháng 6/2024", "Thứ Hai, 14/11/2022", "ngày 23-12". Day comes before
// month. A day and month without a year need a cue word before them
// ("ngày", "hôm", "sáng", "Thứ Hai", ...) and take the year of `reference`;
// with no reference they are skipped, as a year is never invented. A bare
// "tháng 6/2024" has month precision; a bare year ("năm 2022") never counts.
// Invalid dates ("ngày 31/2/2023") are skipped. Returns the first date in
// the text, or nullopt. Linear in the length of the text.
std::optional<Date> InferDateFromText(std::string_view text,
                                      std::optional<Date> reference = {});

// The 8-byte key under which a date sorts and is range-filtered:
// "YYYYMMDD", with 00 for the parts below the date's precision
// (2023-08 -> "20230800"). Keys compare as strings in date order.
// `date` must be valid (year 1000-9999), as the parsers here return.
std::string DateKey(const Date& date);
// The last day a partial date may mean, as a key that sorts with DateKey():
// 2023-08 -> "20230899", 2025 -> "20259999".
std::string DateEndKey(const Date& date);
// The inverse of DateKey; nullopt unless `key` is 8 ASCII digits forming a
// valid date of some precision (so "20250032" and "20250001" are rejected).
std::optional<Date> DateFromKey(std::string_view key);

}  // namespace tim

#endif  // TIM_SRC_TEXT_DATE_PARSER_H_
