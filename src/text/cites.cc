// cites.cc: ExtractCites (the grammar is in cites.h). ~700 lines in one
// file: the cue word lists, the line tokenizer and LineScanner are one
// grammar, each piece meaningful only to the others; every function is
// short.
#include "text/cites.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "text/names.h"
#include "text/source_aliases.h"

namespace tim {

namespace {

// Media nouns after which a publication's name stands, longest first among
// those sharing a first word. Vietnamese writes them lowercase inside a
// sentence; a capital first letter is accepted too.
constexpr std::string_view kMediaCues[] = {
    "tờ báo", "tờ", "báo điện tử", "báo", "thời báo", "nhật báo",
    "tuần báo", "tạp chí điện tử", "tạp chí", "hãng tin", "hãng thông tấn",
    "thông tấn xã", "kênh truyền hình", "kênh", "đài truyền hình",
    "đài phát thanh", "đài", "trang tin",
};

// Words that make a compound with the cue before it, which then is no media
// noun: "thông báo", "nhà báo" (a journalist's name follows), "lâu đài".
constexpr std::pair<std::string_view, std::string_view> kNotACue[] = {
    {"báo", "nhà"},   {"báo", "thông"}, {"báo", "cảnh"}, {"báo", "dự"},
    {"báo", "tình"},  {"báo", "loan"},  {"báo", "khai"}, {"báo", "bẩm"},
    {"báo", "trình"}, {"báo", "tố"},    {"báo", "điện"}, {"báo", "hồi"},
    {"báo", "tờ"},    {"báo", "thời"},  {"đài", "lâu"},  {"đài", "khán"},
    {"đài", "vũ"},    {"đài", "pháo"},  {"đài", "đền"},  {"đài", "lễ"},
    {"đài", "kỳ"},    {"đài", "lôi"},   {"đài", "tế"},   {"đài", "tượng"},
};

// Words that make a place name with the cue before them ("Đài Loan" is
// Taiwan, "Đài Bắc" Taipei).
constexpr std::pair<std::string_view, std::string_view> kPlaceAfterCue[] = {
    {"đài", "loan"}, {"đài", "bắc"}};

// First words of a photo credit ending in ":" ("Ảnh: AFP", "Ảnh minh họa:
// Reuters", "Nguồn: AP").
constexpr std::string_view kCreditWords[] = {"ảnh", "nguồn", "video", "clip"};

// The first words of all cues above and of "theo"; a word that is none of
// them is skipped at once, which keeps the scan fast.
const std::unordered_set<std::string_view>& CueFirstWords() {
  static const auto* const words = [] {
    auto* set = new std::unordered_set<std::string_view>{"theo"};
    for (std::string_view cue : kMediaCues) {
      set->insert(cue.substr(0, cue.find(' ')));
    }
    for (std::string_view word : kCreditWords) set->insert(word);
    return set;
  }();
  return *words;
}

constexpr size_t kMaxCueWordBytes = 7;  // "nguồn"

// Countries and regions (by SourceKey), which qualify a media noun ("báo
// Mỹ", "hãng thông tấn Nga TASS") rather than name a publication.
const std::unordered_set<std::string_view>& Places() {
  static const auto* const places = new std::unordered_set<std::string_view>{
      "my", "nga", "anh", "phap", "duc", "y", "italy", "trung quoc", "nhat",
      "nhat ban", "han quoc", "trieu tien", "ukraine", "iran", "israel",
      "syria", "iraq", "pakistan", "an do", "indonesia", "thai lan",
      "singapore", "malaysia", "philippines", "campuchia", "lao", "myanmar",
      "dai loan", "hong kong", "australia", "uc", "canada",
      "brazil", "mexico", "argentina", "tay ban nha", "bo dao nha", "ha lan",
      "bi", "ba lan", "thuy dien", "thuy si", "na uy", "dan mach", "phan lan",
      "ao", "hy lap", "tho nhi ky", "ai cap", "a rap xe ut", "saudi arabia",
      "qatar", "uae", "palestine", "li bang", "lebanon", "jordan",
      "afghanistan", "belarus", "sec", "hungary", "romania", "bulgaria",
      "serbia", "gruzia", "georgia", "kazakhstan", "cuba", "venezuela",
      "colombia", "chile", "peru", "nam phi", "nigeria", "kenya", "libya",
      "yemen", "bangladesh", "nepal", "sri lanka", "mong co", "new zealand",
      "scotland", "ireland", "viet nam", "vn", "chau au", "chau a", "tay",
      "phuong tay", "trung dong"};
  return *places;
}

// Capitalized words after a media noun that are no publication: platforms,
// currencies, bands ("kênh YouTube", "tờ USD", "đài FM").
const std::unordered_set<std::string_view>& NotNames() {
  static const auto* const words = new std::unordered_set<std::string_view>{
      "youtube", "facebook", "telegram", "tiktok", "twitter", "x",
      "instagram", "zalo", "wechat", "weibo", "whatsapp", "viber", "google",
      "apple", "netflix", "spotify", "internet", "usd", "euro", "eur", "yen",
      "vnd", "fm", "am", "tv", "hd", "adsl", "pbx", "toll", "suez", "panama",
      "tp", "tp hcm", "sg", "tw", "ptth", "pt th", "thvn", "ttvn", "vlog",
      "podcast", "livestream"};
  return *words;
}

// Lowercase words allowed inside a foreign title ("Times of India").
constexpr std::string_view kConnectors[] = {
    "of", "de", "du", "des", "del", "della", "dello", "di", "la", "le",
    "the", "and", "von", "van", "da", "&"};

constexpr size_t kMaxNameTokens = 10;  // words and slashes of a known name
constexpr size_t kMaxForeignWords = 5;
constexpr size_t kMaxClosingCreditWords = 12;

enum class Kind { kWord, kSlash, kBreak };

struct Token {
  Kind kind;
  std::string_view text;
  char punct = 0;  // a break's ASCII character, or 0
};

char32_t FirstCodePoint(std::string_view s) {
  int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
  return c < 0 ? 0 : static_cast<char32_t>(c);
}

bool IsWordChar(UChar32 c) {
  return c >= 0 && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK));
}

// IsWordChar and u_isUWhiteSpace for ASCII, from ICU itself, so that the
// fast path below cannot disagree with the general one.
struct AsciiClasses {
  bool word[128];
  bool space[128];
};

const AsciiClasses& Ascii() {
  static const AsciiClasses classes = [] {
    AsciiClasses c{};
    for (UChar32 i = 0; i < 128; ++i) {
      c.word[i] = IsWordChar(i);
      c.space[i] = u_isUWhiteSpace(i);
    }
    return c;
  }();
  return classes;
}

// The code point at `*i` (advanced past it); ASCII without a call into ICU.
inline UChar32 Next(std::string_view line, int32_t* i) {
  const uint8_t byte = static_cast<uint8_t>(line[*i]);
  if (byte < 0x80) {
    ++*i;
    return byte;
  }
  UChar32 c;
  U8_NEXT(line.data(), *i, static_cast<int32_t>(line.size()), c);
  return c;
}

inline bool IsWordCharFast(UChar32 c) {
  return c >= 0 && c < 0x80 ? Ascii().word[c] : IsWordChar(c);
}

// Between two word characters these stay inside the word: "EPA-EFE",
// "TP.HCM", "L'Equipe", "TG&VN".
bool IsJoiner(UChar32 c) {
  return c == '-' || c == '.' || c == '\'' || c == 0x2019 || c == '&';
}

// The end of the word starting at `start` (a word character).
int32_t WordEnd(std::string_view line, int32_t start) {
  const int32_t n = static_cast<int32_t>(line.size());
  int32_t end = start;
  while (end < n) {
    int32_t next = end;
    const UChar32 c = Next(line, &next);
    if (!IsWordCharFast(c)) {
      if (!IsJoiner(c) || next >= n) break;
      int32_t after = next;
      const UChar32 d = Next(line, &after);
      if (!IsWordCharFast(d)) break;
    }
    end = next;
  }
  return end;
}

void TokenizeLine(std::string_view line, std::vector<Token>* tokens) {
  tokens->clear();
  const int32_t n = static_cast<int32_t>(line.size());
  const AsciiClasses& ascii = Ascii();
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    const UChar32 c = Next(line, &i);
    if (c < 0 || (c < 0x80 ? ascii.space[c] : u_isUWhiteSpace(c))) continue;
    if (IsWordCharFast(c)) {
      i = WordEnd(line, start);
      tokens->push_back({Kind::kWord, line.substr(start, i - start)});
    } else if (c == '/') {
      tokens->push_back({Kind::kSlash, line.substr(start, 1)});
    } else if (c == '&') {  // "Thế Giới & Việt Nam"
      tokens->push_back({Kind::kWord, line.substr(start, 1)});
    } else {
      tokens->push_back({Kind::kBreak, line.substr(start, i - start),
                         c < 0x80 ? static_cast<char>(c) : '\0'});
    }
  }
}

// The spellings WordIs() accepts for the first words of the cues
// (CueFirstWords), indexed by their first byte; see MayHoldCue.
struct CueSpellings {
  std::vector<std::string> spellings;
  uint64_t by_byte[256] = {};  // bit k: spellings[k] starts with this byte
};

const CueSpellings& Spellings() {
  static const CueSpellings* const index = [] {
    auto* cues = new CueSpellings;
    // Every code point whose lowercase is a first letter: "t" and "T", "đ"
    // and "Đ", but also the Kelvin sign for "k". Case pairs outside the BMP
    // lie outside it on both sides.
    for (UChar32 c = 0; c <= 0xFFFF; ++c) {
      if (U_IS_SURROGATE(c)) continue;
      const UChar32 lower = u_tolower(c);
      for (std::string_view word : CueFirstWords()) {
        const UChar32 first = static_cast<UChar32>(FirstCodePoint(word));
        if (c != first && lower != first) continue;
        char bytes[U8_MAX_LENGTH];
        int32_t length = 0;
        U8_APPEND_UNSAFE(bytes, length, c);
        if (static_cast<size_t>(length) > word.size()) continue;
        cues->by_byte[static_cast<uint8_t>(bytes[0])] |=
            uint64_t{1} << cues->spellings.size();
        cues->spellings.push_back(std::string(bytes, length) +
                                  std::string(word.substr(length)));
      }
    }
    if (cues->spellings.size() > 64) std::abort();  // by_byte is too narrow
    return cues;
  }();
  return *index;
}

// False if no word of `line` can be the first word of a cue: WordIs()
// takes a word for a lowercase one only when it is spelt the same after a
// first letter whose lowercase is the same, with the same length in bytes,
// so the line must hold one of those spellings. Most lines hold none and
// are skipped without being tokenized.
bool MayHoldCue(std::string_view line) {
  const CueSpellings& cues = Spellings();
  const size_t n = line.size();
  const char* const data = line.data();
  for (size_t i = 0; i < n; ++i) {
    uint64_t candidates = cues.by_byte[static_cast<uint8_t>(data[i])];
    while (candidates != 0) {
      const int k = __builtin_ctzll(candidates);
      candidates &= candidates - 1;
      const std::string& spelling = cues.spellings[k];
      if (n - i >= spelling.size() &&
          std::memcmp(data + i, spelling.data(), spelling.size()) == 0) {
        return true;
      }
    }
  }
  return false;
}

// True if `word` is `lower` (a lowercase cue word), maybe capitalized.
bool WordIs(std::string_view word, std::string_view lower) {
  // Vietnamese case pairs have the same UTF-8 length.
  if (word.size() != lower.size()) return false;
  if (word == lower) return true;
  const char32_t first = FirstCodePoint(word);
  const size_t first_len = U8_LENGTH(static_cast<UChar32>(first));
  return u_tolower(static_cast<UChar32>(first)) ==
             static_cast<UChar32>(FirstCodePoint(lower)) &&
         word.substr(first_len) == lower.substr(first_len);
}

// True if `word`, its first letter lowercased, is the first word of a cue.
bool MayStartCue(std::string_view word) {
  if (word.size() > kMaxCueWordBytes ||
      Spellings().by_byte[static_cast<uint8_t>(word[0])] == 0) {
    return false;
  }
  const char32_t first = FirstCodePoint(word);
  char lower[kMaxCueWordBytes];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(lower, length, static_cast<int32_t>(kMaxCueWordBytes), u_tolower(first), error);
  const size_t rest = U8_LENGTH(static_cast<UChar32>(first));
  if (error || length + (word.size() - rest) > kMaxCueWordBytes) return false;
  std::copy(word.begin() + rest, word.end(), lower + length);
  return CueFirstWords().count(
      std::string_view(lower, length + (word.size() - rest)));
}

bool StartsUppercase(std::string_view word) {
  const UChar32 c = static_cast<UChar32>(FirstCodePoint(word));
  return u_isupper(c) || u_istitle(c);
}

// Latin letters as foreign titles use them; Vietnamese letters (ă â đ ê ô ơ
// ư, tone marks) are not among them, so "Nhiêu Lộc" or "Tân Hóa" is no
// foreign title.
bool IsForeignLetter(UChar32 c) {
  if (c < 0x80) return true;
  static constexpr char32_t kAllowed[] = {0xE9, 0xC9, 0xE8, 0xEB, 0xFC, 0xDC,
                                          0xF6, 0xD6, 0xE4, 0xC4, 0xF1, 0xE7,
                                          0xDF, 0xF8, 0xE5, 0xEF, 0x2019};
  return std::find(std::begin(kAllowed), std::end(kAllowed),
                   static_cast<char32_t>(c)) != std::end(kAllowed);
}

bool IsForeignWord(std::string_view word) {
  const int32_t n = static_cast<int32_t>(word.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(word.data(), i, n, c);
    if (!IsForeignLetter(c)) return false;
  }
  return true;
}

// True for a capitalized word spelt like a Vietnamese syllable without its
// diacritics ("Trung", "Khoa", "Thanh"): after a media noun, such words
// begin Vietnamese names ("hãng thông tấn Trung ương", "tạp chí Khoa học"),
// not foreign titles. Acronyms ("AP", "CNN") are not checked.
bool LooksLikeBareSyllable(std::string_view word) {
  if (word.size() < 2 || !(word[0] >= 'A' && word[0] <= 'Z')) return false;
  std::string w(word);
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i] < 'a' || w[i] > 'z') return false;
  }
  w[0] = static_cast<char>(w[0] - 'A' + 'a');
  std::string_view rest = w;
  for (std::string_view initial :
       {"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b",
        "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x"}) {
    if (rest.starts_with(initial) && rest.size() > initial.size()) {
      rest.remove_prefix(initial.size());
      break;
    }
  }
  size_t vowels = 0;
  constexpr std::string_view kVowels = "aeiouy";
  while (vowels < rest.size() &&
         kVowels.find(rest[vowels]) != std::string_view::npos) {
    ++vowels;
  }
  if (vowels == 0 || vowels > 3) return false;
  rest.remove_prefix(vowels);
  constexpr std::string_view kCodas[] = {"",   "c",  "ch", "m", "n",
                                          "ng", "nh", "p",  "t"};
  return std::find(std::begin(kCodas), std::end(kCodas), rest) !=
         std::end(kCodas);
}

// "Q1", "N28", "P-12": a rank, a route or a model, not a title.
bool IsLetterAndNumber(std::string_view word) {
  if (word.size() < 2 || !(word[0] >= 'A' && word[0] <= 'Z')) return false;
  word.remove_prefix(word[1] == '-' ? 2 : 1);
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

bool IsConnector(std::string_view word) {
  return std::find(std::begin(kConnectors), std::end(kConnectors), word) !=
         std::end(kConnectors);
}

// Collects the cited names of a text, each once.
class Collector {
 public:
  void Add(std::string name) {
    std::string key = SourceKey(name);
    if (key.empty() || !keys_.insert(std::move(key)).second) return;
    names_.push_back(std::move(name));
  }
  std::vector<std::string> Take() { return std::move(names_); }

 private:
  std::unordered_set<std::string> keys_;
  std::vector<std::string> names_;
};

struct Match {
  size_t end;  // one past the name's last token
  std::string name;
};

// Finds the cited names on one line of text.
class LineScanner {
 public:
  // `tokens` and `keys` are buffers reused from line to line.
  LineScanner(std::string_view line, std::vector<Token>* tokens,
              std::vector<std::optional<std::string>>* keys, Collector* out)
      : line_(line), tokens_(*tokens), keys_(*keys), out_(out) {
    TokenizeLine(line, tokens);
    keys->assign(tokens->size(), std::nullopt);
  }

  void Scan() {
    for (size_t i = 0; i < tokens_.size();) {
      size_t next = i + 1;
      if (IsWord(i) && MayStartCue(tokens_[i].text)) {
        next = std::max(next, ScanCreditAt(i));
        if (next == i + 1) next = std::max(next, ScanTheoAt(i));
        if (next == i + 1) next = std::max(next, ScanMediaCueAt(i));
      }
      i = next;
    }
  }

 private:
  bool IsWord(size_t i) const {
    return i < tokens_.size() && tokens_[i].kind == Kind::kWord;
  }
  bool IsBreak(size_t i, char punct) const {
    return i < tokens_.size() && tokens_[i].kind == Kind::kBreak &&
           tokens_[i].punct == punct;
  }
  bool WordAt(size_t i, std::string_view lower) const {
    return IsWord(i) && WordIs(tokens_[i].text, lower);
  }
  // Starts a name: a capitalized word.
  bool NameStartAt(size_t i) const {
    return IsWord(i) && StartsUppercase(tokens_[i].text);
  }
  // Separates the names of a list: "," "/" "và".
  bool IsSeparator(size_t i) const {
    return IsBreak(i, ',') ||
           (i < tokens_.size() && tokens_[i].kind == Kind::kSlash) ||
           WordAt(i, "và") || WordAt(i, "and");
  }

  const std::string& Key(size_t i) {
    if (!keys_[i]) keys_[i] = SourceKey(tokens_[i].text);
    return *keys_[i];
  }

  // The key of tokens [begin, end), as SourceKey() of their text.
  std::string SpanKey(size_t begin, size_t end) {
    std::string key;
    for (size_t i = begin; i < end; ++i) {
      if (tokens_[i].kind != Kind::kWord || Key(i).empty()) continue;
      if (!key.empty()) key += ' ';
      key += Key(i);
    }
    return key;
  }

  std::string_view SpanText(size_t begin, size_t end) const {
    const char* first = tokens_[begin].text.data();
    const std::string_view last_token = tokens_[end - 1].text;
    const char* last = last_token.data() + last_token.size();
    return line_.substr(first - line_.data(), last - first);
  }

  // The longest name of the alias file that starts at token `start`, or
  // starts at a cue word in [cue_begin, start) and runs past it ("báo" +
  // "Lâm Đồng" is "Báo Lâm Đồng").
  std::optional<Match> KnownAt(size_t start, size_t cue_begin) {
    if (!NameStartAt(start)) return std::nullopt;
    size_t limit = start;
    while (limit < tokens_.size() && limit - start < kMaxNameTokens &&
           tokens_[limit].kind != Kind::kBreak) {
      ++limit;
    }
    for (size_t end = limit; end > start; --end) {
      if (tokens_[end - 1].kind != Kind::kWord) continue;
      for (size_t begin = cue_begin; begin <= start; ++begin) {
        if (const std::string* name = FindSourceByKey(SpanKey(begin, end))) {
          return Match{end, *name};
        }
      }
    }
    // "Theo Chinhphu.vn": a domain.
    if (tokens_[start].text.find('.') != std::string_view::npos) {
      if (auto name = LookupSource(tokens_[start].text)) {
        return Match{start + 1, *name};
      }
    }
    return std::nullopt;
  }

  // A name that reads as a foreign title ("Daily Mail", "L'Equipe",
  // "Times of India") starting at `start`; see cites.h.
  std::optional<Match> ForeignAt(size_t start) {
    if (!NameStartAt(start) || tokens_[start].text.size() < 2 ||
        IsLetterAndNumber(tokens_[start].text) ||
        !IsForeignWord(tokens_[start].text) ||
        NotNames().count(Key(start)) || Places().count(Key(start))) {
      return std::nullopt;
    }
    size_t end = start + 1, words = 1;
    for (size_t i = end; IsWord(i) && words < kMaxForeignWords; ++i) {
      const std::string_view word = tokens_[i].text;
      // "Guardian Anh" ends at the country; "Times of Israel" does not.
      if (!IsForeignWord(word) ||
          (Places().count(Key(i)) && !IsConnector(tokens_[i - 1].text))) {
        break;
      }
      const bool capital =
          StartsUppercase(word) || u_isdigit(FirstCodePoint(word));
      if (!capital && !IsConnector(word)) break;
      ++words;
      if (capital) end = i + 1;
    }
    if (Places().count(SpanKey(start, end))) return std::nullopt;
    bool all_bare = true;
    for (size_t i = start; i < end && all_bare; ++i) {
      const std::string_view word = tokens_[i].text;
      all_bare = IsConnector(word) || LooksLikeBareSyllable(word);
    }
    if (all_bare) return std::nullopt;
    return Match{end, std::string(SpanText(start, end))};
  }

  // Names joined to a found one by "," "/" or "và", as long as the alias
  // file knows them: "theo Reuters và AFP", "AFP/TTXVN".
  size_t AddKnownList(Match match) {
    out_->Add(std::move(match.name));
    size_t end = match.end;
    while (IsSeparator(end)) {
      std::optional<Match> next = KnownAt(end + 1, end + 1);
      if (!next) break;
      out_->Add(std::move(next->name));
      end = next->end;
    }
    return end;
  }

  // The known name at `start` (see KnownAt), unless a foreign title starts
  // there and goes on with a connector ("Times of Israel" is no "Times";
  // "Daily Mirror James Witaker" is the Mirror and one of its reporters).
  std::optional<Match> NameAt(size_t start, size_t cue_begin) {
    std::optional<Match> known = KnownAt(start, cue_begin);
    std::optional<Match> foreign = ForeignAt(start);
    if (!known) return foreign;
    const bool goes_on = foreign && foreign->end > known->end &&
                         IsConnector(tokens_[known->end].text);
    return goes_on ? foreign : known;
  }

  // Every name in the list of tokens [begin, end) ("Reuters, AFP",
  // "EPA-EFE/REX/Shutterstock", "Minh Hòa/TTXVN"); unknown items are
  // skipped, or kept when `foreign` and they read as a foreign title.
  void AddList(size_t begin, size_t end, bool foreign) {
    for (size_t i = begin; i < end;) {
      if (IsSeparator(i)) {
        ++i;
        continue;
      }
      std::optional<Match> match = foreign ? NameAt(i, i) : KnownAt(i, i);
      if (match && match->end < end && !IsSeparator(match->end)) match.reset();
      if (match && match->end <= end) {
        out_->Add(std::move(match->name));
        i = match->end;
      } else {
        while (i < end && !IsSeparator(i)) ++i;
      }
    }
  }

  // The end of a credit list starting at `begin`: the first break other
  // than a comma.
  size_t ListEnd(size_t begin) const {
    size_t end = begin;
    while (end < tokens_.size() &&
           (tokens_[end].kind != Kind::kBreak || tokens_[end].punct == ',')) {
      ++end;
    }
    return end;
  }

  // "Ảnh: ...", "Ảnh minh họa: ...", "Nguồn: ...", "Nguồn hình ảnh, ...".
  size_t ScanCreditAt(size_t i) {
    if (WordAt(i, "nguồn") && WordAt(i + 1, "hình") && WordAt(i + 2, "ảnh") &&
        IsBreak(i + 3, ',')) {
      return CreditList(i + 4);
    }
    const bool credit_word =
        std::any_of(std::begin(kCreditWords), std::end(kCreditWords),
                    [&](std::string_view w) { return WordAt(i, w); });
    if (!credit_word || WordAt(i + 1, "hưởng")) return i + 1;  // "ảnh hưởng"
    for (size_t k = i; k < i + 4 && IsWord(k); ++k) {
      if (IsBreak(k + 1, ':')) return CreditList(k + 2);
    }
    return i + 1;
  }

  size_t CreditList(size_t begin) {
    const size_t end = ListEnd(begin);
    AddList(begin, end, /*foreign=*/false);
    return end;
  }

  // "Theo Reuters, ...": a known name. "(theo AP, Mosnews)" or a line
  // "Theo Daily Mail" closing the article: any list of titles.
  size_t ScanTheoAt(size_t i) {
    if (!WordAt(i, "theo")) return i + 1;
    if (const size_t end = ClosingCreditEnd(i)) {
      AddList(i + 1, end, /*foreign=*/true);
      return end;
    }
    std::optional<Match> match = KnownAt(i + 1, i + 1);
    return match ? AddKnownList(std::move(*match)) : i + 1;
  }

  // When "theo" at token `i` opens a closing credit, the end of its list;
  // else 0. Such a credit is a short list of capitalized names that is the
  // whole line, or parenthesized at its end.
  size_t ClosingCreditEnd(size_t i) const {
    const bool parenthesized = i > 0 && IsBreak(i - 1, '(');
    if (i > 0 && !parenthesized) return 0;
    const size_t end = ListEnd(i + 1);
    size_t words = 0;
    for (size_t k = i + 1; k < end; ++k) {
      if (IsSeparator(k)) continue;
      if ((k == i + 1 || IsSeparator(k - 1)) && !NameStartAt(k)) return 0;
      ++words;
    }
    if (words == 0 || words > kMaxClosingCreditWords) return 0;
    size_t rest = end;
    if (parenthesized) {
      if (!IsBreak(rest, ')')) return 0;
      ++rest;
    }
    while (rest < tokens_.size() && tokens_[rest].kind == Kind::kBreak &&
           tokens_[rest].punct != '(') {
      ++rest;
    }
    return rest == tokens_.size() ? end : 0;
  }

  // "tờ Axios", "báo Kommersant", "hãng thông tấn Nga TASS".
  size_t ScanMediaCueAt(size_t i) {
    const size_t cue_end = MediaCueEnd(i);
    if (cue_end == 0) return i + 1;
    std::optional<Match> match = NameAt(cue_end, i);
    if (const size_t start = SkipPlaces(cue_end); !match && start != cue_end) {
      match = NameAt(start, start);
    }
    return match ? AddKnownList(std::move(*match)) : cue_end;
  }

  // The end of the media noun at token `i`, or 0 if none starts there.
  size_t MediaCueEnd(size_t i) const {
    for (std::string_view cue : kMediaCues) {
      size_t k = i;
      bool matched = true;
      for (size_t pos = 0; matched && pos <= cue.size();) {
        size_t space = cue.find(' ', pos);
        if (space == std::string_view::npos) space = cue.size();
        matched = WordAt(k++, cue.substr(pos, space - pos));
        pos = space + 1;
      }
      if (!matched) continue;
      const std::string_view first = cue.substr(0, cue.find(' '));
      for (const auto& [word, before] : kNotACue) {
        if (word == first && i > 0 && WordAt(i - 1, before)) return 0;
      }
      for (const auto& [word, after] : kPlaceAfterCue) {
        if (word == first && WordAt(i + 1, after)) return 0;
      }
      return k;
    }
    return 0;
  }

  // Skips country names qualifying a media noun ("báo Mỹ", "hãng tin Nga").
  size_t SkipPlaces(size_t i) {
    for (int round = 0; round < 2; ++round) {
      size_t skipped = 0;
      for (size_t n = 3; n > 0 && !skipped; --n) {
        bool words = true;
        for (size_t k = i; k < i + n; ++k) words = words && NameStartAt(k);
        if (words && Places().count(SpanKey(i, i + n))) skipped = n;
      }
      if (!skipped) break;
      i += skipped;
    }
    return i;
  }

  std::string_view line_;
  const std::vector<Token>& tokens_;
  std::vector<std::optional<std::string>>& keys_;  // SourceKey() by token
  Collector* out_;
};

}  // namespace

std::vector<std::string> ExtractCites(std::string_view text) {
  Collector out;
  std::vector<Token> tokens;
  std::vector<std::optional<std::string>> keys;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    if (MayHoldCue(line)) LineScanner(line, &tokens, &keys, &out).Scan();
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return out.Take();
}

}  // namespace tim
