// date_parser.cc: ISO dates, date keys and dates read from Vietnamese text.
//
// Everything here is hand-written scanning over bytes: no regex, no ICU.
// InferDateFromText walks the text once, left to right, remembering the last
// two words so that a number can be judged by the cue word before it.
//
// ~750 lines in one file: ISO dates and dates in running text share the
// calendar (days in a month, year bounds) and the digit readers, and the
// date keys of the index are written from both.

#include "text/date_parser.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/spaces.h"
#include "base/utf8.h"
#include "tim/article.h"

namespace tim {
namespace {

constexpr int kMinYear = 1000;
constexpr int kMaxYear = 9999;
// Years outside this range in running text are rarely the article's date.
constexpr int kMinTextYear = 1900;
constexpr int kMaxTextYear = 2100;

constexpr const char* kMonthNames[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// ---------------------------------------------------------------------------
// Shared helpers

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// True if year-month-day is a calendar day; the year range is the caller's.
bool IsValidDayOfMonth(int year, int month, int day) {
  if (month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

void AppendPadded(std::string* out, int value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) out->append(width - digits.size(), '0');
  out->append(digits);
}

// Reads exactly `n` ASCII digits at `*pos` and advances past them.
bool ReadFixedDigits(std::string_view s, size_t* pos, size_t n, int* value) {
  if (s.size() - *pos < n) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (!IsAsciiDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *value = v;
  return true;
}

// ---------------------------------------------------------------------------
// ParseIsoDate

// Quotes `s` for a one-line error message: control bytes are escaped and
// long input is cut (at a UTF-8 character boundary).
std::string Quote(std::string_view s) {
  constexpr size_t kMaxQuoted = 64;
  bool cut = false;
  if (s.size() > kMaxQuoted) {
    size_t end = kMaxQuoted;
    while (end > 0 && IsContinuationByte(s[end])) --end;
    s = s.substr(0, end);
    cut = true;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  out += "'";
  return out;
}

class IsoDateParser {
 public:
  IsoDateParser(std::string_view text, std::string* error)
      : s_(TrimAsciiSpace(text)), error_(error) {}

  std::optional<Date> Parse() {
    Date date;
    if (!ParseDate(&date) || !ValidateDate(date)) return std::nullopt;
    if (pos_ == s_.size()) return date;
    ++pos_;  // the 'T' or ' ' that ParseDate checked
    if (!ParseTime() || !ParseZone()) return std::nullopt;
    if (pos_ != s_.size()) {
      Fail("unexpected text after the time");
      return std::nullopt;
    }
    return date;
  }

 private:
  // Parts of "YYYY-MM-DD" that were written.
  enum Parts { kYear = 1, kYearMonth = 2, kYearMonthDay = 3 };

  bool Fail(const std::string& what) {
    if (error_ != nullptr) *error_ = what + " in " + Quote(s_);
    return false;
  }

  bool OutOfRange(const char* what, int value) {
    return Fail(std::string(what) + " " + std::to_string(value) +
                " is out of range");
  }

  bool ConsumeIf(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // "YYYY[-MM[-DD]]", then the end or the separator before a time, which
  // is left unread.
  bool ParseDate(Date* date) {
    const std::string expected = "expected YYYY, YYYY-MM or YYYY-MM-DD";
    if (!ReadFixedDigits(s_, &pos_, 4, &date->year)) return Fail(expected);
    parts_ = kYear;
    if (ConsumeIf('-')) {
      if (!ReadFixedDigits(s_, &pos_, 2, &date->month)) return Fail(expected);
      parts_ = kYearMonth;
      if (ConsumeIf('-')) {
        if (!ReadFixedDigits(s_, &pos_, 2, &date->day)) return Fail(expected);
        parts_ = kYearMonthDay;
      }
    }
    if (pos_ == s_.size()) return true;
    if (parts_ != kYearMonthDay) return Fail(expected);
    char c = s_[pos_];
    if (c != 'T' && c != 't' && c != ' ') {
      return Fail("unexpected text after the date");
    }
    return true;
  }

  bool ValidateDate(const Date& date) {
    if (date.year < kMinYear) {
      std::string year;
      AppendPadded(&year, date.year, 4);
      return Fail("year " + year + " is out of range");
    }
    if (parts_ == kYear) return true;
    if (date.month < 1 || date.month > 12) {
      return OutOfRange("month", date.month);
    }
    if (parts_ == kYearMonth) return true;
    if (date.day < 1 || date.day > 31) return OutOfRange("day", date.day);
    if (date.day > DaysInMonth(date.year, date.month)) {
      return Fail(std::string(kMonthNames[date.month - 1]) + " " +
                  std::to_string(date.year) + " has no day " +
                  std::to_string(date.day));
    }
    return true;
  }

  // "HH:MM[:SS[.fff]]"; the separator before it is already consumed.
  bool ParseTime() {
    const std::string expected = "expected a time HH:MM[:SS] after the date";
    int hour = 0, minute = 0, second = 0;
    if (!ReadFixedDigits(s_, &pos_, 2, &hour) || !ConsumeIf(':') ||
        !ReadFixedDigits(s_, &pos_, 2, &minute)) {
      return Fail(expected);
    }
    if (ConsumeIf(':')) {
      if (!ReadFixedDigits(s_, &pos_, 2, &second)) return Fail(expected);
      if (ConsumeIf('.') || ConsumeIf(',')) {
        size_t start = pos_;
        while (pos_ < s_.size() && IsAsciiDigit(s_[pos_])) ++pos_;
        if (pos_ == start) return Fail(expected);
      }
    }
    if (hour > 23) return OutOfRange("hour", hour);
    if (minute > 59) return OutOfRange("minute", minute);
    if (second > 60) return OutOfRange("second", second);  // 60: leap second
    return true;
  }

  // Nothing, "Z", or "+HH:MM", "+HHMM", "+HH" (or with '-').
  bool ParseZone() {
    if (pos_ == s_.size() || ConsumeIf('Z') || ConsumeIf('z')) return true;
    if (!ConsumeIf('+') && !ConsumeIf('-')) {
      return Fail("unexpected text after the time");
    }
    const std::string expected = "expected a time zone Z, +HH:MM or -HH:MM";
    int hours = 0, minutes = 0;
    if (!ReadFixedDigits(s_, &pos_, 2, &hours)) return Fail(expected);
    bool colon = ConsumeIf(':');
    if (!ReadFixedDigits(s_, &pos_, 2, &minutes) && colon) {
      return Fail(expected);
    }
    if (hours > 23 || minutes > 59) {
      return Fail("time zone offset is out of range");
    }
    return true;
  }

  std::string_view s_;
  std::string* error_;
  size_t pos_ = 0;
  Parts parts_ = kYear;
};

// ---------------------------------------------------------------------------
// Vietnamese words

// Lower-cases the Latin letters Vietnamese uses; other code points are
// returned unchanged.
char32_t ToLowerVietnamese(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;  // À..Þ
  // Latin Extended-A pairs (Ă, Đ, Ĩ, Ũ, ...) where upper case is even.
  if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) &&
      c % 2 == 0) {
    return c + 1;
  }
  if (c == 0x1A0 || c == 0x1AF) return c + 1;  // Ơ, Ư
  if (c >= 0x1EA0 && c <= 0x1EF9 && c % 2 == 0) return c + 1;  // Ạ..Ỹ
  return c;
}

// Letters, including combining marks and other scripts; not punctuation,
// symbols or spaces (NBSP, curly quotes, dashes, ...).
bool IsWordChar(char32_t c) {
  if (c < 0x80) return IsAsciiAlpha(static_cast<char>(c));
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;
  if (c >= 0x3000 && c <= 0x303F) return false;
  return c != 0xFEFF && c != 0xFFFD;
}

// A word folded to lower case, kept only when short enough to be a cue.
class FoldedWord {
 public:
  void Append(char32_t c) {
    const Utf8Bytes encoded = EncodeUtf8(ToLowerVietnamese(c));
    for (uint8_t i = 0; i < encoded.length; ++i) Put(encoded.bytes[i]);
  }

  // Empty when the word was too long to be any cue.
  std::string_view view() const {
    return overflow_ ? std::string_view() : std::string_view(buf_, len_);
  }

 private:
  void Put(char c) {
    if (len_ == sizeof(buf_)) {
      overflow_ = true;
    } else {
      buf_[len_++] = c;
    }
  }

  char buf_[16];
  size_t len_ = 0;
  bool overflow_ = false;
};

// The words that matter around a date.
enum class Word {
  kOther,
  kDayCue,   // ngày, hôm, sáng, trưa, chiều, tối, đêm, mùng, mồng
  kThang,    // tháng (month)
  kNam,      // năm (year; also "Thứ Năm", Thursday)
  kThu,      // thứ, as in "Thứ Hai"
  kWeekday,  // hai, ba, tư, sáu, bảy (after "thứ")
  kChu,      // chủ, as in "Chủ nhật"
  kNhat,     // nhật
};

Word ClassifyWord(std::string_view w) {
  // "rạng sáng" (dawn) needs no entry: its last word is "sáng".
  static constexpr std::string_view kDayCues[] = {
      "ngày", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "mùng", "mồng"};
  static constexpr std::string_view kWeekdays[] = {"hai", "ba", "tư", "sáu",
                                                   "bảy"};
  if (w.empty()) return Word::kOther;
  for (std::string_view cue : kDayCues) {
    if (w == cue) return Word::kDayCue;
  }
  for (std::string_view day : kWeekdays) {
    if (w == day) return Word::kWeekday;
  }
  if (w == "tháng") return Word::kThang;
  if (w == "năm") return Word::kNam;
  if (w == "thứ") return Word::kThu;
  if (w == "chủ") return Word::kChu;
  if (w == "nhật") return Word::kNhat;
  return Word::kOther;
}

// Reads the word starting at `pos` (a word character); returns its end.
size_t ReadWord(std::string_view s, size_t pos, Word* word) {
  FoldedWord folded;
  while (pos < s.size()) {
    char32_t c;
    size_t len = DecodeUtf8(s, pos, &c);
    if (!IsWordChar(c)) break;
    folded.Append(c);
    pos += len;
  }
  *word = ClassifyWord(folded.view());
  return pos;
}

// Length of the space (ASCII space, tab or NBSP) at `pos`, or 0.
size_t InlineSpaceAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  if (s[pos] == ' ' || s[pos] == '\t') return 1;
  if (s.substr(pos, 2) == "\xC2\xA0") return 2;
  return 0;
}

// Skips one to three inline spaces; returns npos when there are none or
// too many.
size_t SkipInlineSpaces(std::string_view s, size_t pos) {
  size_t start = pos;
  for (int i = 0; i < 3; ++i) {
    size_t len = InlineSpaceAt(s, pos);
    if (len == 0) break;
    pos += len;
  }
  if (pos == start || InlineSpaceAt(s, pos) != 0) return std::string_view::npos;
  return pos;
}

// Matches "<spaces><word>" at `pos` for the given kind of word; returns the
// end or npos.
size_t MatchWord(std::string_view s, size_t pos, Word want) {
  pos = SkipInlineSpaces(s, pos);
  if (pos == std::string_view::npos || pos >= s.size()) {
    return std::string_view::npos;
  }
  char32_t c;
  DecodeUtf8(s, pos, &c);
  if (!IsWordChar(c)) return std::string_view::npos;
  Word word;
  size_t end = ReadWord(s, pos, &word);
  return word == want ? end : std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Numbers and date shapes in text

struct Number {
  int value = 0;
  size_t digits = 0;  // length of the digit run
  size_t end = 0;
};

// Reads the whole ASCII digit run at `pos` (possibly empty).
Number ReadNumber(std::string_view s, size_t pos) {
  Number n;
  while (pos < s.size() && IsAsciiDigit(s[pos])) {
    if (n.digits < 9) n.value = n.value * 10 + (s[pos] - '0');
    ++n.digits;
    ++pos;
  }
  n.end = pos;
  return n;
}

bool IsDayOrMonthNumber(const Number& n) {
  return n.digits >= 1 && n.digits <= 2;
}

bool IsDateSeparator(char c) { return c == '/' || c == '-' || c == '.'; }

// True if a date ending at `end` stands alone: not glued to letters, digits
// or a percent sign, and not continued by "/5", "-3", ".5", ":30", ",5".
bool EndsCleanly(std::string_view s, size_t end) {
  if (end >= s.size()) return true;
  char c = s[end];
  if (IsAsciiDigit(c) || IsAsciiAlpha(c) || c == '%') return false;
  bool connector = IsDateSeparator(c) || c == ':' || c == ',';
  return !(connector && end + 1 < s.size() && IsAsciiDigit(s[end + 1]));
}

// What the words before a number say about it.
enum class Cue { kNone, kDay, kMonth };

// A date shape found in the text. `end` is where scanning resumes: past the
// whole shape when it was recognised, even if it is not a valid date (so
// that the "2" of "ngày 31 tháng 2 năm 2023" is not read again as a month).
struct Match {
  std::optional<Date> date;
  size_t end = 0;
};

bool IsPlausibleYear(int year) {
  return year >= kMinTextYear && year <= kMaxTextYear;
}

std::optional<Date> MakeDayDate(int year, int month, int day) {
  if (!IsPlausibleYear(year) || !IsValidDayOfMonth(year, month, day)) {
    return std::nullopt;
  }
  return Date{year, month, day};
}

std::optional<Date> MakeMonthDate(int year, int month) {
  if (!IsPlausibleYear(year) || month < 1 || month > 12) return std::nullopt;
  return Date{year, month, 0};
}

// A day and month with no year in the text: the reference supplies the year,
// or there is no date (tim never invents a year).
std::optional<Date> DateWithoutYear(int month, int day,
                                    const std::optional<Date>& reference) {
  if (!reference.has_value()) return std::nullopt;
  int year = reference->year;
  if (!IsValidDayOfMonth(year, month, day)) return std::nullopt;
  return Date{year, month, day};
}

// The month part after "tháng": "6/2024", "6-2024", "11 năm 2022", or a bare
// month ("11"), for which `year` stays empty.
struct MonthPart {
  Number month;
  std::optional<Number> year;
  size_t end = 0;
  bool clean = false;
};

// Matches "[,] năm YYYY" at `pos`; returns the year or nothing.
std::optional<Number> MatchYearWord(std::string_view s, size_t pos) {
  if (pos < s.size() && s[pos] == ',') ++pos;
  size_t after = MatchWord(s, pos, Word::kNam);
  if (after == std::string_view::npos) return std::nullopt;
  after = SkipInlineSpaces(s, after);
  if (after == std::string_view::npos) return std::nullopt;
  Number year = ReadNumber(s, after);
  if (year.digits != 4) return std::nullopt;
  return year;
}

MonthPart ReadMonthPart(std::string_view s, size_t pos) {
  MonthPart part;
  part.month = ReadNumber(s, pos);
  part.end = part.month.end;
  if (!IsDayOrMonthNumber(part.month)) return part;
  size_t end = part.end;
  if (end + 1 < s.size() && (s[end] == '/' || s[end] == '-') &&
      IsAsciiDigit(s[end + 1])) {
    Number year = ReadNumber(s, end + 1);
    part.end = year.end;
    if (year.digits != 4) return part;  // "6/20": not a month and year
    part.year = year;
  } else if (std::optional<Number> year = MatchYearWord(s, end)) {
    part.year = year;
    part.end = year->end;
  }
  part.clean = EndsCleanly(s, part.end);
  return part;
}

// "tháng 6/2024", "tháng 11 năm 2022": month precision. A month without a
// year ("tháng 6") is too weak to count.
Match MatchMonthYear(std::string_view s, size_t pos) {
  MonthPart part = ReadMonthPart(s, pos);
  Match m{std::nullopt, part.end};
  if (part.clean && part.year.has_value()) {
    m.date = MakeMonthDate(part.year->value, part.month.value);
  }
  return m;
}

// "09 tháng 11 năm 2022" or "9 tháng 11" after a day cue; `day` is read.
Match MatchWrittenDate(std::string_view s, const Number& day,
                       const std::optional<Date>& reference) {
  Match m{std::nullopt, day.end};
  size_t after = MatchWord(s, day.end, Word::kThang);
  if (after == std::string_view::npos) return m;
  after = SkipInlineSpaces(s, after);
  if (after == std::string_view::npos) return m;
  MonthPart part = ReadMonthPart(s, after);
  if (!IsDayOrMonthNumber(part.month)) return m;
  m.end = part.end;
  if (!part.clean) return m;
  if (part.year.has_value()) {
    m.date = MakeDayDate(part.year->value, part.month.value, day.value);
  } else {
    m.date = DateWithoutYear(part.month.value, day.value, reference);
  }
  return m;
}

// "9/11/2022", "23-12", "9.11.2022" starting at the day number `day`.
// Without a cue only the full form with a four-digit year counts. Dots need
// both a cue and a year: "1.5.2022" may be a version, "ngày 2.5" a decimal.
Match MatchNumericDate(std::string_view s, const Number& day, Cue cue,
                       const std::optional<Date>& reference) {
  Match m{std::nullopt, day.end};
  size_t pos = day.end;
  if (pos + 1 >= s.size() || !IsDateSeparator(s[pos]) ||
      !IsAsciiDigit(s[pos + 1])) {
    return m;
  }
  char sep = s[pos];
  if (sep == '.' && cue != Cue::kDay) return m;
  Number month = ReadNumber(s, pos + 1);
  m.end = month.end;
  if (!IsDayOrMonthNumber(month)) return m;
  pos = month.end;
  if (pos + 1 < s.size() && s[pos] == sep && IsAsciiDigit(s[pos + 1])) {
    Number year = ReadNumber(s, pos + 1);
    m.end = year.end;
    if (year.digits == 4 && EndsCleanly(s, year.end)) {
      m.date = MakeDayDate(year.value, month.value, day.value);
    }
    return m;
  }
  if (cue != Cue::kDay || sep == '.') return m;
  // "ngày 9/11 năm 2022" is rare but unambiguous.
  if (std::optional<Number> year = MatchYearWord(s, pos)) {
    m.end = year->end;
    if (EndsCleanly(s, year->end)) {
      m.date = MakeDayDate(year->value, month.value, day.value);
    }
    return m;
  }
  if (EndsCleanly(s, pos)) {
    m.date = DateWithoutYear(month.value, day.value, reference);
  }
  return m;
}

// Tries every date shape that can start at the digit run at `pos`.
Match MatchDateAt(std::string_view s, size_t pos, Cue cue,
                  const std::optional<Date>& reference) {
  if (cue == Cue::kMonth) return MatchMonthYear(s, pos);
  Number first = ReadNumber(s, pos);
  if (!IsDayOrMonthNumber(first)) return Match{std::nullopt, first.end};
  Match m = MatchNumericDate(s, first, cue, reference);
  if (m.end == first.end && cue == Cue::kDay) {
    m = MatchWrittenDate(s, first, reference);
  }
  return m;
}

// The scanner's memory of what came just before the current position.
struct Context {
  Word last = Word::kOther;
  Word before_last = Word::kOther;
  size_t last_word_end = std::string_view::npos;
  size_t last_number_end = std::string_view::npos;
  int spaces = 0;        // separators since the last word
  bool broken = true;    // something other than spaces since the last word

  void PushWord(Word word, size_t end) {
    before_last = last;
    last = word;
    last_word_end = end;
    spaces = 0;
    broken = false;
  }

  void Reset() {
    last = before_last = Word::kOther;
    broken = true;
  }

  Cue CueForNumber() const {
    if (broken || spaces == 0 || spaces > 3) return Cue::kNone;
    if (last == Word::kThang) return Cue::kMonth;
    if (last == Word::kDayCue) return Cue::kDay;
    bool weekday = before_last == Word::kThu &&
                   (last == Word::kWeekday || last == Word::kNam);
    bool sunday = before_last == Word::kChu && last == Word::kNhat;
    return weekday || sunday ? Cue::kDay : Cue::kNone;
  }
};

// True if the digit run at `pos` continues a word or number ("U23",
// "COVID-19", "1,5", "3/4/2022" in "2/3/4/2022"), so it cannot start a date.
bool IsGluedNumber(std::string_view s, size_t pos, const Context& ctx) {
  if (pos == 0) return false;
  if (ctx.last_word_end == pos || IsAsciiAlpha(s[pos - 1])) return true;
  char c = s[pos - 1];
  bool connector = IsDateSeparator(c) || c == ':' || c == ',' || c == '_';
  return connector &&
         (ctx.last_word_end == pos - 1 || ctx.last_number_end == pos - 1);
}

}  // namespace

// ---------------------------------------------------------------------------
// Public functions

std::string Date::ToString() const {
  std::string out;
  AppendPadded(&out, year, 4);
  if (month == 0) return out;
  out += '-';
  AppendPadded(&out, month, 2);
  if (day == 0) return out;
  out += '-';
  AppendPadded(&out, day, 2);
  return out;
}

std::optional<Date> ParseIsoDate(std::string_view text, std::string* error) {
  return IsoDateParser(text, error).Parse();
}

bool LooksLikeIsoDate(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size() && IsAsciiSpace(text[pos])) ++pos;
  int unused = 0;
  return ReadFixedDigits(text, &pos, 4, &unused);
}

std::string DateKey(const Date& date) {
  std::string key;
  key.reserve(8);
  AppendPadded(&key, date.year, 4);
  AppendPadded(&key, date.month, 2);
  AppendPadded(&key, date.day, 2);
  return key;
}

std::optional<Date> DateFromKey(std::string_view key) {
  if (key.size() != 8) return std::nullopt;
  Date date;
  size_t pos = 0;
  if (!ReadFixedDigits(key, &pos, 4, &date.year) ||
      !ReadFixedDigits(key, &pos, 2, &date.month) ||
      !ReadFixedDigits(key, &pos, 2, &date.day)) {
    return std::nullopt;
  }
  if (date.year < kMinYear || date.year > kMaxYear) return std::nullopt;
  if (date.month == 0) {
    if (date.day != 0) return std::nullopt;
  } else if (date.month > 12) {
    return std::nullopt;
  } else if (date.day != 0 &&
             !IsValidDayOfMonth(date.year, date.month, date.day)) {
    return std::nullopt;
  }
  return date;
}

std::optional<Date> InferDateFromText(std::string_view text,
                                      std::optional<Date> reference) {
  Context ctx;
  size_t pos = 0;
  while (pos < text.size()) {
    if (IsAsciiDigit(text[pos])) {
      Match m;
      if (IsGluedNumber(text, pos, ctx)) {
        m.end = ReadNumber(text, pos).end;
      } else {
        m = MatchDateAt(text, pos, ctx.CueForNumber(), reference);
        if (m.date.has_value()) return m.date;
      }
      // "Thứ 2, 14/11/2022": a weekday written as a digit.
      bool weekday_digit = ctx.last == Word::kThu && !ctx.broken &&
                           ctx.spaces > 0 && m.end == pos + 1 && text[pos] >= '2' &&
                           text[pos] <= '7';
      if (weekday_digit) {
        ctx.PushWord(Word::kWeekday, m.end);
      } else {
        ctx.Reset();
      }
      ctx.last_number_end = m.end;
      pos = m.end;
      continue;
    }
    char32_t c;
    size_t len = DecodeUtf8(text, pos, &c);
    if (IsWordChar(c)) {
      Word word;
      size_t end = ReadWord(text, pos, &word);
      ctx.PushWord(word, end);
      pos = end;
      continue;
    }
    if (c == ' ' || c == '\t' || c == 0xA0 || c == ',') {
      ++ctx.spaces;
    } else {
      ctx.broken = true;
    }
    pos += len;
  }
  return std::nullopt;
}

std::string DateEndKey(const Date& date) {
  std::string key = DateKey(date);
  if (date.month == 0) key.replace(4, 4, "9999");
  else if (date.day == 0) key.replace(6, 2, "99");
  return key;
}

}  // namespace tim
