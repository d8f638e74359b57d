#include "text/date_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "test_util.h"
#include "tim/article.h"

namespace tim {
namespace {

constexpr Date Y(int y) { return Date{y, 0, 0}; }
constexpr Date YM(int y, int m) { return Date{y, m, 0}; }
constexpr Date YMD(int y, int m, int d) { return Date{y, m, d}; }

std::string Show(const std::optional<Date>& date) {
  return date.has_value() ? date->ToString() : "nullopt";
}

// ---------------------------------------------------------------------------
// Date::ToString, DateKey, DateFromKey

TEST(DateTest, ToStringPadsEachPrecision) {
  EXPECT_EQ(Y(2025).ToString(), "2025");
  EXPECT_EQ(YM(2023, 8).ToString(), "2023-08");
  EXPECT_EQ(YMD(2025, 10, 28).ToString(), "2025-10-28");
  EXPECT_EQ(YMD(2025, 1, 2).ToString(), "2025-01-02");
  EXPECT_EQ(YMD(1005, 1, 2).ToString(), "1005-01-02");
}

TEST(DateKeyTest, PadsBelowPrecisionWithZeros) {
  EXPECT_EQ(DateKey(YMD(2025, 10, 28)), "20251028");
  EXPECT_EQ(DateKey(YM(2023, 8)), "20230800");
  EXPECT_EQ(DateKey(Y(2025)), "20250000");
  EXPECT_EQ(DateKey(YMD(1999, 1, 1)), "19990101");
}

TEST(DateKeyTest, KeysSortInDateOrder) {
  std::vector<Date> dates = {Y(2022),          YM(2022, 1),
                             YMD(2022, 1, 1),  YMD(2022, 1, 31),
                             YM(2022, 2),      YMD(2022, 12, 31),
                             Y(2023)};
  for (size_t i = 1; i < dates.size(); ++i) {
    EXPECT_LT(DateKey(dates[i - 1]), DateKey(dates[i]))
        << dates[i - 1].ToString() << " vs " << dates[i].ToString();
  }
}

TEST(DateKeyTest, RoundTrips) {
  for (const Date& d : {Y(2025), YM(2023, 8), YMD(2024, 2, 29),
                        YMD(2000, 2, 29), YMD(9999, 12, 31), Y(1000)}) {
    EXPECT_EQ(DateFromKey(DateKey(d)), d) << d.ToString();
  }
}

TEST(DateKeyTest, FromKeyRejectsMalformedKeys) {
  const char* kBad[] = {
      "",          "2025",      "2025102",   "202510281", "2025-10-",
      "2025102a",  " 20251028", "20251328",  "20251032",  "20230229",
      "19000229",  "20250032",  "20250001",  "09990101",  "00000000",
      "2025\xd9\xa0" "101",  // Arabic-Indic digit zero
  };
  for (const char* key : kBad) {
    EXPECT_EQ(DateFromKey(key), std::nullopt) << "'" << key << "'";
  }
  EXPECT_EQ(DateFromKey("20240229"), YMD(2024, 2, 29));
  EXPECT_EQ(DateFromKey("20250000"), Y(2025));
  EXPECT_EQ(DateFromKey("20230800"), YM(2023, 8));
}

// ---------------------------------------------------------------------------
// ParseIsoDate

struct IsoGood {
  const char* text;
  Date want;
};

TEST(ParseIsoDateTest, AcceptsDatesAndDateTimes) {
  const IsoGood kCases[] = {
      {"2025", Y(2025)},
      {"1000", Y(1000)},
      {"9999", Y(9999)},
      {"2023-08", YM(2023, 8)},
      {"2025-10-28", YMD(2025, 10, 28)},
      {"  2025-10-28\n", YMD(2025, 10, 28)},
      {"\t2023-08 ", YM(2023, 8)},
      {"2024-02-29", YMD(2024, 2, 29)},
      {"2000-02-29", YMD(2000, 2, 29)},
      {"2023-12-31", YMD(2023, 12, 31)},
      {"2025-10-28T09:15", YMD(2025, 10, 28)},
      {"2025-10-28T09:15:00", YMD(2025, 10, 28)},
      {"2025-10-28T09:15:00Z", YMD(2025, 10, 28)},
      {"2025-10-28t09:15:00z", YMD(2025, 10, 28)},
      {"2025-10-28T09:15:00+07:00", YMD(2025, 10, 28)},
      {"2025-10-28T23:59:59-05:00", YMD(2025, 10, 28)},
      {"2025-10-28T09:15:00+0700", YMD(2025, 10, 28)},
      {"2025-10-28T09:15:00+07", YMD(2025, 10, 28)},
      {"2025-10-28T09:15:00.123+07:00", YMD(2025, 10, 28)},
      {"2025-10-28T09:15:00.123456789Z", YMD(2025, 10, 28)},
      {"2025-10-28 09:15", YMD(2025, 10, 28)},
      {"2025-10-28 00:00:00", YMD(2025, 10, 28)},
      {"2016-12-31T23:59:60Z", YMD(2016, 12, 31)},
      // The publisher's local date is kept: no conversion to UTC.
      {"2025-10-28T01:00:00+07:00", YMD(2025, 10, 28)},
      {"2025-10-28T23:00:00-10:00", YMD(2025, 10, 28)},
  };
  for (const IsoGood& c : kCases) {
    std::string error;
    EXPECT_EQ(ParseIsoDate(c.text, &error), c.want) << "'" << c.text << "'";
    EXPECT_EQ(error, "") << "'" << c.text << "'";
  }
}

struct IsoBad {
  const char* text;
  const char* error;
};

TEST(ParseIsoDateTest, RejectsWithClearErrors) {
  const IsoBad kCases[] = {
      {"2023-13-45", "month 13 is out of range in '2023-13-45'"},
      {"2023-02-29", "February 2023 has no day 29 in '2023-02-29'"},
      {"hôm qua", "expected YYYY, YYYY-MM or YYYY-MM-DD in 'hôm qua'"},
      {"", "expected YYYY, YYYY-MM or YYYY-MM-DD in ''"},
      {"   ", "expected YYYY, YYYY-MM or YYYY-MM-DD in ''"},
      {"2023-00", "month 0 is out of range in '2023-00'"},
      {"2023-00-10", "month 0 is out of range in '2023-00-10'"},
      {"2023-13", "month 13 is out of range in '2023-13'"},
      {"2023-01-00", "day 0 is out of range in '2023-01-00'"},
      {"2023-01-32", "day 32 is out of range in '2023-01-32'"},
      {"2023-04-31", "April 2023 has no day 31 in '2023-04-31'"},
      {"1900-02-29", "February 1900 has no day 29 in '1900-02-29'"},
      {"0999-01-01", "year 0999 is out of range in '0999-01-01'"},
      {"0000", "year 0000 is out of range in '0000'"},
      {"202", "expected YYYY, YYYY-MM or YYYY-MM-DD in '202'"},
      {"20231", "expected YYYY, YYYY-MM or YYYY-MM-DD in '20231'"},
      {"20231028", "expected YYYY, YYYY-MM or YYYY-MM-DD in '20231028'"},
      {"2023-1-5", "expected YYYY, YYYY-MM or YYYY-MM-DD in '2023-1-5'"},
      {"2023-01-5", "expected YYYY, YYYY-MM or YYYY-MM-DD in '2023-01-5'"},
      {"2023/01/05", "expected YYYY, YYYY-MM or YYYY-MM-DD in '2023/01/05'"},
      {"2023-", "expected YYYY, YYYY-MM or YYYY-MM-DD in '2023-'"},
      {"2023-08T10:00", "expected YYYY, YYYY-MM or YYYY-MM-DD in "
                        "'2023-08T10:00'"},
      {"-2023", "expected YYYY, YYYY-MM or YYYY-MM-DD in '-2023'"},
      {"+2023-01-01", "expected YYYY, YYYY-MM or YYYY-MM-DD in "
                      "'+2023-01-01'"},
      {"２０２３", "expected YYYY, YYYY-MM or YYYY-MM-DD in '２０２３'"},
      {"2023-01-05x", "unexpected text after the date in '2023-01-05x'"},
      {"2023-01-05T", "expected a time HH:MM[:SS] after the date in "
                      "'2023-01-05T'"},
      {"2023-01-05T9:15", "expected a time HH:MM[:SS] after the date in "
                          "'2023-01-05T9:15'"},
      {"2023-01-05T09", "expected a time HH:MM[:SS] after the date in "
                        "'2023-01-05T09'"},
      {"2023-01-05T09:15:00.", "expected a time HH:MM[:SS] after the date "
                               "in '2023-01-05T09:15:00.'"},
      {"2023-01-05T24:00", "hour 24 is out of range in '2023-01-05T24:00'"},
      {"2023-01-05T10:60", "minute 60 is out of range in "
                           "'2023-01-05T10:60'"},
      {"2023-01-05T10:00:61", "second 61 is out of range in "
                              "'2023-01-05T10:00:61'"},
      {"2023-01-05T10:00:00+7", "expected a time zone Z, +HH:MM or -HH:MM "
                                "in '2023-01-05T10:00:00+7'"},
      {"2023-01-05T10:00:00+07:0", "expected a time zone Z, +HH:MM or "
                                   "-HH:MM in '2023-01-05T10:00:00+07:0'"},
      {"2023-01-05T10:00:00+24:00", "time zone offset is out of range in "
                                    "'2023-01-05T10:00:00+24:00'"},
      {"2023-01-05T10:00:00 UTC", "unexpected text after the time in "
                                  "'2023-01-05T10:00:00 UTC'"},
      {"2023-01-05T10:00:00Zabc", "unexpected text after the time in "
                                  "'2023-01-05T10:00:00Zabc'"},
      {"2023-01-05T10:00+07:00x", "unexpected text after the time in "
                                  "'2023-01-05T10:00+07:00x'"},
      {"2023-01-05  10:00", "expected a time HH:MM[:SS] after the date in "
                            "'2023-01-05  10:00'"},
      {"2023-01-05\n10:00", "unexpected text after the date in "
                            "'2023-01-05\\x0a10:00'"},
  };
  for (const IsoBad& c : kCases) {
    std::string error;
    EXPECT_EQ(ParseIsoDate(c.text, &error), std::nullopt)
        << "'" << c.text << "'";
    EXPECT_EQ(error, c.error) << "'" << c.text << "'";
  }
}

TEST(ParseIsoDateTest, ErrorIsOneLineAndShortForHugeInput) {
  std::string text = "2023-01-05T10:00:00 " + std::string(10000, 'x') + "\n";
  text += "second line";
  std::string error;
  EXPECT_EQ(ParseIsoDate(text, &error), std::nullopt);
  EXPECT_EQ(error.find('\n'), std::string::npos);
  EXPECT_LT(error.size(), 200u);
  EXPECT_NE(error.find("...'"), std::string::npos) << error;
}

TEST(ParseIsoDateTest, QuoteCutDoesNotSplitUtf8) {
  // 63 ASCII bytes then a two-byte letter straddling the 64-byte cut.
  std::string text = "2023-13-01" + std::string(53, 'x') + "\xc3\xa0" + "yy";
  std::string error;
  EXPECT_EQ(ParseIsoDate(text, &error), std::nullopt);
  EXPECT_EQ(error, "unexpected text after the date in '2023-13-01" +
                       std::string(53, 'x') + "...'");
}

TEST(ParseIsoDateTest, NullErrorIsAllowed) {
  EXPECT_EQ(ParseIsoDate("2023-02-29", nullptr), std::nullopt);
  EXPECT_EQ(ParseIsoDate("2024-02-29", nullptr), YMD(2024, 2, 29));
}

// Every day of four years, checked against std::chrono's calendar.
TEST(ParseIsoDateTest, AgreesWithChronoOnEveryDay) {
  using std::chrono::day;
  using std::chrono::month;
  using std::chrono::year;
  for (int y : {1900, 2000, 2023, 2024}) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        char text[16];
        std::snprintf(text, sizeof(text), "%04d-%02d-%02d", y % 10000,
                      m % 100, d % 100);
        bool ok = std::chrono::year_month_day(year(y), month(m), day(d)).ok();
        std::string error;
        EXPECT_EQ(ParseIsoDate(text, &error).has_value(), ok) << text;
        EXPECT_EQ(DateFromKey(DateKey(YMD(y, m, d))).has_value(), ok) << text;
      }
    }
  }
}

TEST(LooksLikeIsoDateTest, FourLeadingDigits) {
  struct Case {
    const char* text;
    bool want;
  };
  const Case kCases[] = {
      {"2025", true},         {"2023-13-45", true}, {"  2023-02-29", true},
      {"\n\t20231", true},    {"2025abc", true},    {"", false},
      {"   ", false},         {"202", false},       {"hôm qua", false},
      {"x2025", false},       {"２０２５", false},  {"20 25", false},
      {"-2025", false},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(LooksLikeIsoDate(c.text), c.want) << "'" << c.text << "'";
  }
}

// ---------------------------------------------------------------------------
// InferDateFromText

struct InferCase {
  const char* text;
  std::optional<Date> want;
  std::optional<Date> reference = std::nullopt;
};

void ExpectInfers(const InferCase& c) {
  std::optional<Date> got = InferDateFromText(c.text, c.reference);
  EXPECT_EQ(got, c.want) << "text: '" << c.text << "' reference: "
                         << Show(c.reference) << " got: " << Show(got)
                         << " want: " << Show(c.want);
}

TEST(InferDateFromTextTest, FullDates) {
  const InferCase kCases[] = {
      {"ngày 9/11/2022", YMD(2022, 11, 9)},
      {"Ngày 09/11/2022, ông nói", YMD(2022, 11, 9)},
      {"ngày 09 tháng 11 năm 2022", YMD(2022, 11, 9)},
      {"Ngày 9 tháng 11 năm 2022", YMD(2022, 11, 9)},
      {"NGÀY 9 THÁNG 11 NĂM 2022", YMD(2022, 11, 9)},
      {"ngày 9 tháng 11, năm 2022", YMD(2022, 11, 9)},
      {"ngày 9 tháng 11/2022", YMD(2022, 11, 9)},
      {"Thứ Hai, 14/11/2022", YMD(2022, 11, 14)},
      {"THỨ HAI, 14/11/2022", YMD(2022, 11, 14)},
      {"(14/11/2022)", YMD(2022, 11, 14)},
      {"Hà Nội (14/11/2022) - Sáng nay", YMD(2022, 11, 14)},
      {"cập nhật 14/11/2022 10:30", YMD(2022, 11, 14)},
      {"14/11/2022", YMD(2022, 11, 14)},
      {"ngày 23-12-2022", YMD(2022, 12, 23)},
      {"23-12-2022", YMD(2022, 12, 23)},
      {"ngày 9.11.2022", YMD(2022, 11, 9)},
      {"ngày 9/11 năm 2022", YMD(2022, 11, 9)},
      {"ngày 29/2/2024", YMD(2024, 2, 29)},
      {"ngày 1/1/1900", YMD(1900, 1, 1)},
      {"ngày 31/12/2100", YMD(2100, 12, 31)},
      {"Ngày\u00a09/11/2022", YMD(2022, 11, 9)},  // NBSP
      {"«14/11/2022»", YMD(2022, 11, 14)},
      {"“14/11/2022”", YMD(2022, 11, 14)},
      // A year in the text beats the reference.
      {"ngày 9/11/2022", YMD(2022, 11, 9), YMD(2025, 1, 1)},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

TEST(InferDateFromTextTest, DayAndMonthTakeTheReferenceYear) {
  const Date ref = YMD(2025, 12, 20);
  const InferCase kCases[] = {
      {"ngày 9/11", YMD(2025, 11, 9), ref},
      {"hôm 15/8", YMD(2025, 8, 15), ref},
      {"Hôm 15/8, Tổng thống", YMD(2025, 8, 15), ref},
      {"Trưa 11/9", YMD(2025, 9, 11), ref},
      {"sáng 3/8", YMD(2025, 8, 3), ref},
      {"tối 27/10", YMD(2025, 10, 27), ref},
      {"chiều 2/1", YMD(2025, 1, 2), ref},
      {"đêm 30/4", YMD(2025, 4, 30), ref},
      {"Đêm 30/4", YMD(2025, 4, 30), ref},
      {"rạng sáng 5/6", YMD(2025, 6, 5), ref},
      {"ngày 23-12", YMD(2025, 12, 23), ref},
      {"ngày 27/10", YMD(2025, 10, 27), ref},
      {"ngày 09 tháng 11", YMD(2025, 11, 9), ref},
      {"mùng 2/9", YMD(2025, 9, 2), ref},
      {"Thứ Năm, 13/11", YMD(2025, 11, 13), ref},
      {"thứ bảy 1/11", YMD(2025, 11, 1), ref},
      {"Chủ nhật, 16/11", YMD(2025, 11, 16), ref},
      {"Thứ 2, 14/11", YMD(2025, 11, 14), ref},
      {"ngày 15/8.", YMD(2025, 8, 15), ref},
      {"ngày 15/8, ông nói", YMD(2025, 8, 15), ref},
      {"ngày 15/8 - 10:30", YMD(2025, 8, 15), ref},
      {"ngày 29/2", YMD(2024, 2, 29), YMD(2024, 3, 1)},
      {"ngày 29/2", std::nullopt, YMD(2023, 3, 1)},
      {"ngày 9/11", YMD(2025, 11, 9), Y(2025)},
      {"ngày 9/11", YMD(2025, 11, 9), YM(2025, 12)},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

TEST(InferDateFromTextTest, DayAndMonthWithoutReferenceAreSkipped) {
  const InferCase kCases[] = {
      {"ngày 9/11", std::nullopt},
      {"hôm 15/8", std::nullopt},
      {"ngày 9/11, rồi ngày 14/11/2022", YMD(2022, 11, 14)},
      {"ngày 9/11 và tháng 6/2024", YM(2024, 6)},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

TEST(InferDateFromTextTest, MonthPrecision) {
  const InferCase kCases[] = {
      {"tháng 6/2024", YM(2024, 6)},
      {"từ tháng 6/2024", YM(2024, 6)},
      {"tháng 8/2024", YM(2024, 8)},
      {"tháng 11 năm 2022", YM(2022, 11)},
      {"Tháng 11/2022", YM(2022, 11)},
      {"THÁNG 11/2022", YM(2022, 11)},
      {"tháng 06/2024", YM(2024, 6)},
      {"tháng 6-2024", YM(2024, 6)},
      {"tháng 11, năm 2022", YM(2022, 11)},
      // The reference does not make a bare month a date.
      {"tháng 6", std::nullopt, YMD(2025, 1, 1)},
      {"tháng 6 năm nay", std::nullopt, YMD(2025, 1, 1)},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

TEST(InferDateFromTextTest, ReturnsTheFirstQualifyingDate) {
  const Date ref = YMD(2025, 12, 20);
  const InferCase kCases[] = {
      {"hôm 15/8 và ngày 14/11/2022", YMD(2025, 8, 15), ref},
      {"ngày 14/11/2022 và hôm 15/8", YMD(2022, 11, 14), ref},
      {"tháng 6/2024 rồi ngày 9/11/2022", YM(2024, 6)},
      {"ngày 9/11/2022 rồi tháng 6/2024", YMD(2022, 11, 9)},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

TEST(InferDateFromTextTest, RejectsNonDates) {
  const Date ref = YMD(2025, 12, 20);
  const InferCase kCases[] = {
      {"", std::nullopt, ref},
      {"năm 2022", std::nullopt, ref},
      {"trong năm 2014-2015", std::nullopt, ref},
      {"2022", std::nullopt, ref},
      {"thắng 2-1", std::nullopt, ref},
      {"tỷ số 2-1 sau 90 phút", std::nullopt, ref},
      {"1/2 dân số", std::nullopt, ref},
      {"9/11", std::nullopt, ref},  // no cue, no year
      {"giảm 15/8%", std::nullopt, ref},
      {"ngày 15/8%", std::nullopt, ref},
      {"ngày 9", std::nullopt, ref},
      {"ngày 9 và 10", std::nullopt, ref},
      {"ngày 32/1/2023", std::nullopt, ref},
      {"ngày 31/2/2023", std::nullopt, ref},
      {"ngày 29/2/2023", std::nullopt, ref},
      {"ngày 29/2/1900", std::nullopt, ref},
      {"ngày 0/1/2023", std::nullopt, ref},
      {"ngày 1/0/2023", std::nullopt, ref},
      {"ngày 12/13/2023", std::nullopt, ref},
      {"ngày 32/1", std::nullopt, ref},
      {"ngày 1/13", std::nullopt, ref},
      {"ngày 9/11/22", std::nullopt, ref},
      {"ngày 9/11/20222", std::nullopt, ref},
      {"ngày 9/11/1899", std::nullopt, ref},
      {"ngày 9/11/2101", std::nullopt, ref},
      {"ngày 009/11/2022", std::nullopt, ref},
      {"ngày 9/011/2022", std::nullopt, ref},
      {"ngày 9/11-2022", std::nullopt, ref},
      {"ngày 9/11/2022/5", std::nullopt, ref},
      {"ngày 9/11/2022a", std::nullopt, ref},
      {"ngày 9/11:30", std::nullopt, ref},
      {"ngày 9.11", std::nullopt, ref},  // dots need a year
      {"9.11.2022", std::nullopt, ref},  // and a cue
      {"phiên bản 1.2.2022", std::nullopt, ref},
      {"ngày 2,5 triệu", std::nullopt, ref},
      {"U23/11/2022", std::nullopt, ref},
      {"mã A14/11/2022", std::nullopt, ref},
      {"COVID-19/2020", std::nullopt, ref},
      {"số 2/3/4/2022", std::nullopt, ref},
      {"ngày9/11", std::nullopt, ref},
      {"ngày, hôm đó (9/11)", std::nullopt, ref},
      {"ngày\n9/11", std::nullopt, ref},
      {"ngày:9/11", std::nullopt, ref},
      {"ngày      9/11", std::nullopt, ref},  // too far from its cue
      {"tháng 13/2022", std::nullopt, ref},
      {"tháng 0/2022", std::nullopt, ref},
      {"tháng 6/24", std::nullopt, ref},
      {"tháng 6/1800", std::nullopt, ref},
      {"tháng 6/2024/1", std::nullopt, ref},
      {"thứ năm 2022", std::nullopt, ref},
      {"hai 9/11", std::nullopt, ref},  // a weekday name needs "thứ"
      {"nhật 9/11", std::nullopt, ref},
      {"ngày ٩/١١/٢٠٢٢", std::nullopt, ref},  // Arabic-Indic digits
      {"ngày ９/１１/２０２２", std::nullopt, ref},  // full-width digits
      {"12345678901234567890/11/2022", std::nullopt, ref},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

TEST(InferDateFromTextTest, InvalidDateIsSkippedNotReread) {
  const InferCase kCases[] = {
      {"ngày 31/2/2023, rồi ngày 14/11/2022", YMD(2022, 11, 14)},
      // "2 năm 2023" must not be re-read as the month of "tháng 2 năm 2023".
      {"ngày 31 tháng 2 năm 2023", std::nullopt},
      {"ngày 31 tháng 2 năm 2023 và tháng 3/2023", YM(2023, 3)},
      // "13/2022" must not be re-read as a month.
      {"ngày 31/13/2022", std::nullopt},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

TEST(InferDateFromTextTest, SurvivesMalformedUtf8) {
  const InferCase kCases[] = {
      {"\xff\xfe ngày 9/11/2022", YMD(2022, 11, 9)},
      {"ng\xc3 9/11", std::nullopt, YMD(2025, 1, 1)},
      {"ngày \xe1\xba", std::nullopt, YMD(2025, 1, 1)},
      {"\xc3", std::nullopt},
      {"\xf0\x9f\x98", std::nullopt},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

TEST(InferDateFromTextTest, LongTextIsLinear) {
  // About 8 MB of near-misses; a quadratic scan would not finish.
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "ngày 32/13 2-1 tháng 6 năm ";
  text += std::string(1000000, '7');
  text += " " + std::string(1000000, ' ') + "ngày 14/11/2022";
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(InferDateFromText(text, YMD(2025, 1, 1)), YMD(2022, 11, 14));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

TEST(InferDateFromTextTest, OnlyNumbers) {
  EXPECT_EQ(InferDateFromText("1 2 3 4 5 6 7 8 9 10 11 12 2022 2023",
                              YMD(2025, 1, 1)),
            std::nullopt);
  EXPECT_EQ(InferDateFromText("0123456789", YMD(2025, 1, 1)), std::nullopt);
}

// Sentences taken from the seed articles in seeds/.
TEST(InferDateFromTextTest, SeedSentences) {
  const char kSeed000[] =
      "Một pháo thủ thuộc Lữ đoàn Jaeger độc lập số 152 của Ukraine né tránh "
      "máy bay không người lái chiến đấu của Nga, gần thị trấn tiền tuyến "
      "Pokrovsk ở vùng Donetsk ở Ukraine, ngày 11-12 - Ảnh: REUTERS\n\n"
      "Đề xuất được mô tả bao gồm việc Ukraine chấp nhận nhượng bộ lãnh thổ, "
      "trong đó Kiev vẫn giữ chủ quyền đối với khoảng 80% lãnh thổ hiện "
      "tại.\n\nTuy vậy Nga khẳng định Donbass là lãnh thổ thuộc chủ quyền "
      "Nga sau các cuộc trưng cầu năm 2022, và tuyên bố quân đội Ukraine sẽ "
      "bị buộc phải rút khỏi khu vực này bằng cách này hay cách khác.";
  const char kSeed002[] =
      "Một người đàn ông địa phương đi xe máy ngang qua một chiếc xe tăng bị "
      "phá hủy ở vùng Kharkiv, Ukraine, ngày 09 tháng 11 năm 2022\n\n"
      "Khi cuộc xâm lược của Nga ở Ukraine bước qua ngày thứ 260 kể từ hôm "
      "24/2, đang có gợi ý đàm phán từ Moscow, trong khi Washington cũng bày "
      "tỏ ủng hộ dè dặt.\n\nNgày 9/11, Maria Zakharova, phát ngôn viên của "
      "Bộ Ngoại giao Nga, nói Nga đã sẵn sàng cho các cuộc đàm phán với "
      "Ukraine “dựa trên thực tế hiện tại”.";
  const char kSeed003[] =
      "Lập trường này được Tổng thống Vladimir Putin nêu rõ từ tháng 6/2024 "
      "và đến nay vẫn là “lằn ranh đỏ” trong bất kỳ đàm phán nào với phương "
      "Tây.\nUkraine tố Nga không kích Sumy ngày 13/4 khiến 35 người thiệt "
      "mạng cuộc tấn công được cho là đẫm máu nhất tại khu vực này từ đầu "
      "năm 2025.\nSau khi từng kiểm soát một phần Kursk vào tháng 8/2024, "
      "Ukraine đang mất dần ưu thế khi bị Nga đẩy lùi.";
  const char kSeed003Later[] =
      "Ukraine tố Nga không kích Sumy ngày 13/4 khiến 35 người thiệt mạng "
      "cuộc tấn công được cho là đẫm máu nhất tại khu vực này từ đầu năm "
      "2025.\nSau khi từng kiểm soát một phần Kursk vào tháng 8/2024, "
      "Ukraine đang mất dần ưu thế khi bị Nga đẩy lùi.";
  const InferCase kCases[] = {
      {kSeed000, std::nullopt},
      {kSeed000, YMD(2025, 12, 11), YMD(2025, 12, 20)},
      {kSeed002, YMD(2022, 11, 9)},
      {kSeed002, YMD(2022, 11, 9), YMD(2025, 1, 1)},
      {kSeed003, YM(2024, 6)},
      {kSeed003, YM(2024, 6), YMD(2025, 4, 20)},
      {kSeed003Later, YM(2024, 8)},
      {kSeed003Later, YMD(2025, 4, 13), YMD(2025, 4, 20)},
      {"ngày thứ 260 kể từ hôm 24/2", YMD(2022, 2, 24), Y(2022)},
      {"Ngoại trưởng Nga Sergei Lavrov ngày 27/10 nói.", YMD(2025, 10, 27),
       YMD(2025, 10, 28)},
      {"Hôm 15/8, Tổng thống Trump và Tổng thống Putin đã có cuộc hội đàm "
       "tại Alaska (Mỹ).",
       YMD(2025, 8, 15), YMD(2025, 10, 28)},
      {"Cuộc đàm phán bắt đầu từ ngày 3/8.", YMD(2023, 8, 3), YM(2023, 8)},
  };
  for (const InferCase& c : kCases) ExpectInfers(c);
}

// The whole seed files, when the test runs where it can find them.
std::optional<std::string> ReadSeed(std::string_view prefix) {
  namespace fs = std::filesystem;
  for (fs::path dir : {fs::path("seeds"), fs::path(testing::SeedsDir())}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream out;
      out << in.rdbuf();
      return out.str();
    }
  }
  return std::nullopt;
}

TEST(InferDateFromTextTest, SeedFiles) {
  struct Case {
    const char* prefix;
    std::optional<Date> want;
    std::optional<Date> reference = std::nullopt;
  };
  const Case kCases[] = {
      {"000_", std::nullopt},
      {"000_", YMD(2025, 12, 11), YMD(2025, 12, 20)},
      {"002_", YMD(2022, 11, 9)},
      {"003_", YM(2024, 6)},
  };
  for (const Case& c : kCases) {
    std::optional<std::string> text = ReadSeed(c.prefix);
    if (!text.has_value()) GTEST_SKIP() << "seeds/ not found";
    EXPECT_EQ(InferDateFromText(*text, c.reference), c.want)
        << "seed " << c.prefix;
  }
}

}  // namespace
}  // namespace tim
