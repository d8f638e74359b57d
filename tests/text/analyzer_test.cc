// Tests of analyzer.h: normalization, splitting and byte offsets, and the
// exact and folded keys, against hand-written cases, ICU and the seeds.
#include "text/analyzer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace tim {
namespace {

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

std::string Utf8(UChar32 c) {
  std::string out;
  icu::UnicodeString(c).toUTF8String(out);
  return out;
}

std::string IcuNormalize(std::string_view text, bool compose) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer =
      compose ? icu::Normalizer2::getNFCInstance(status)
              : icu::Normalizer2::getNFDInstance(status);
  EXPECT_TRUE(U_SUCCESS(status));
  const icu::UnicodeString result = normalizer->normalize(
      icu::UnicodeString::fromUTF8(
          icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))),
      status);
  EXPECT_TRUE(U_SUCCESS(status));
  std::string out;
  result.toUTF8String(out);
  return out;
}

std::string Nfc(std::string_view text) { return IcuNormalize(text, true); }
std::string Nfd(std::string_view text) { return IcuNormalize(text, false); }

std::vector<std::string> ExactKeys(std::string_view text) {
  std::vector<std::string> keys;
  for (const Token& token : Tokenize(text)) keys.push_back(token.exact);
  return keys;
}

std::vector<std::string> FoldedKeys(std::string_view text) {
  std::vector<std::string> keys;
  for (const Token& token : Tokenize(text)) keys.push_back(token.folded);
  return keys;
}

std::filesystem::path SeedDir() {
#ifdef TIM_SOURCE_DIR
  return std::filesystem::path(TIM_SOURCE_DIR) / "seeds";
#else
  // A hand build of this file alone, run from the repository root.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() /
         "seeds";
#endif
}

std::vector<std::string> ReadSeeds() {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(SeedDir())) {
    if (entry.path().extension() == ".txt") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> seeds;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    seeds.push_back(buffer.str());
  }
  return seeds;
}

// ---------------------------------------------------------------------------
// NormalizeText
// ---------------------------------------------------------------------------

TEST(NormalizeTextTest, KeepsNfcTextCaseAndTonePlacement) {
  for (const std::string_view text :
       {"", "abc", "HOÀ bình, hòa bình, Thuỷ, thủy, KHOẺ, Mỹ, kĩ",
        "Ngoại trưởng Nga Sergei Lavrov (Ảnh: RBC).", "Đà Nẵng\nHuế\r\n"}) {
    EXPECT_EQ(NormalizeText(text), text);
  }
}

TEST(NormalizeTextTest, ComposesToNfcWithoutMovingTones) {
  EXPECT_EQ(NormalizeText("Hoa\u0300 bi\u0300nh"), "Hoà bình");
  EXPECT_EQ(NormalizeText(Nfd("Thuỷ Nguyễn Trường")), "Thuỷ Nguyễn Trường");
  // Windows-1258 style: precomposed ê followed by a combining tone.
  EXPECT_EQ(NormalizeText("Vi\u00EA\u0323t"), "Việt");
}

struct Replacement {
  const char* input;
  const char* expected;
};

TEST(NormalizeTextTest, MapsLookAlikeLetters) {
  const Replacement cases[] = {
      {"\u00D0\u00E0 N\u1EB5ng", "Đà Nẵng"},  // Ð (eth)
      {"\u0189\u1EA0I", "ĐẠI"},                // Ɖ (African D)
      {"\u00F0\u00E0m", "đàm"},                // ð
      {"\u0256\u00E0m", "đàm"},                // ɖ
      {"\u00D0\u0323", "Đ\u0323"},  // Đ has no precomposed forms.
  };
  for (const auto& c : cases) {
    EXPECT_EQ(NormalizeText(c.input), c.expected) << c.input;
  }
}

TEST(NormalizeTextTest, TurnsUnicodeSpacesIntoSpace) {
  for (UChar32 space : {0x00A0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
                        0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
                        0x202F, 0x205F, 0x3000}) {
    EXPECT_EQ(NormalizeText("Hà" + Utf8(space) + "Nội"), "Hà Nội")
        << std::hex << space;
  }
}

TEST(NormalizeTextTest, RemovesZeroWidthCharacters) {
  for (UChar32 zero_width : {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}) {
    const std::string mark = Utf8(zero_width);
    EXPECT_EQ(NormalizeText(mark + "Vi" + mark + "ệt" + mark), "Việt")
        << std::hex << zero_width;
  }
}

TEST(NormalizeTextTest, ComposesAcrossARemovedZeroWidthCharacter) {
  EXPECT_EQ(NormalizeText("hoa\u200B\u0300"), "hoà");
}

TEST(NormalizeTextTest, KeepsOtherCharacters) {
  const std::string text =
      "“Trong cuộc gặp…” – 80% – 9/11 – COVID-19 – \t tab\n\nend";
  EXPECT_EQ(NormalizeText(text), text);
}

// ---------------------------------------------------------------------------
// Tokenize: splitting and offsets
// ---------------------------------------------------------------------------

struct Split {
  const char* input;
  std::vector<std::string> exact;
};

TEST(TokenizeTest, SplitsOnEverythingButLettersAndDigits) {
  const Split cases[] = {
      {"G7", {"g7"}},
      {"9/11", {"9", "11"}},
      {"80%", {"80"}},
      {"TP.HCM", {"tp", "hcm"}},
      {"TP. Huế", {"tp", "huế"}},
      {"2014-2015", {"2014", "2015"}},
      {"COVID-19", {"covid", "19"}},
      {"Xi'an", {"xi", "an"}},
      {"Xi’an", {"xi", "an"}},
      {"“Hai bên đã đồng ý”,", {"hai", "bên", "đã", "đồng", "ý"}},
      {"3,5 tỷ USD", {"3", "5", "tỉ", "usd"}},
      {"email@vnexpress.net", {"email", "vnexpress", "net"}},
      {"snake_case", {"snake", "case"}},
      {"a\u00A0b\u2003c", {"a", "b", "c"}},  // Unicode spaces, unnormalized.
      {"km²", {"km"}},                       // ² is No, not Nd.
      {"١٢٣ ٤", {"١٢٣", "٤"}},               // Arabic-Indic digits are Nd.
      {"Москва", {"москва"}},
      {"北京大学", {"北京大学"}},  // A run of letters; no CJK segmentation.
      {"", {}},
      {" \n\t.,;:!?()[]—–…", {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ExactKeys(c.input), c.exact) << c.input;
  }
}

struct Expected {
  std::string exact;
  std::string folded;
  uint32_t begin;
  uint32_t end;
};

void ExpectTokens(std::string_view text, const std::vector<Expected>& want) {
  const std::vector<Token> got = Tokenize(text);
  ASSERT_EQ(got.size(), want.size()) << text;
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].exact);
    EXPECT_EQ(got[i].exact, want[i].exact);
    EXPECT_EQ(got[i].folded, want[i].folded);
    EXPECT_EQ(got[i].begin, want[i].begin);
    EXPECT_EQ(got[i].end, want[i].end);
  }
}

TEST(TokenizeTest, GivesByteOffsetsIntoTheInput) {
  // H=1 à=2 | N=1 ộ=3 i=1 | space | ngày: n g à(2) y | 27 / 10
  ExpectTokens("Hà Nội, ngày 27/10.", {
                                          {"hà", "ha", 0, 3},
                                          {"nội", "noi", 4, 9},
                                          {"ngày", "ngay", 11, 16},
                                          {"27", "27", 17, 19},
                                          {"10", "10", 20, 22},
                                      });
  // Three-byte letters, a multi-byte separator and a rewritten tone.
  ExpectTokens("“Thuỷ” ĐIỆN", {
                                   {"thủy", "thuy", 3, 9},
                                   {"điện", "dien", 13, 20},
                               });
}

TEST(TokenizeTest, RealisticSentenceFromSeed001) {
  const std::string sentence =
      "Theo Reuters, tại cuộc gặp này, Tổng thống Putin đã đưa ra các đề "
      "xuất để đạt thỏa thuận hoà bình với Ukraine.";
  EXPECT_EQ(ExactKeys(sentence),
            (std::vector<std::string>{
                "theo", "reuters", "tại", "cuộc", "gặp", "này", "tổng",
                "thống", "putin", "đã", "đưa", "ra", "các", "đề", "xuất",
                "để", "đạt", "thỏa", "thuận", "hòa", "bình", "với",
                "ukraine"}));
  EXPECT_EQ(FoldedKeys(sentence),
            (std::vector<std::string>{
                "theo", "reuters", "tai", "cuoc", "gap", "nay", "tong",
                "thong", "putin", "da", "dua", "ra", "cac", "de", "xuat",
                "de", "dat", "thoa", "thuan", "hoa", "binh", "voi",
                "ukraine"}));
}

TEST(TokenizeTest, RealisticSentenceFromSeed002WithNoBreakSpace) {
  const std::string raw =
      "Tướng Mark Milley, Chủ tịch Hội đồng Tham mưu trưởng Liên quân Hoa "
      "Kỳ,\u00A0cũng nói";
  const std::string text = NormalizeText(raw);
  EXPECT_EQ(text,
            "Tướng Mark Milley, Chủ tịch Hội đồng Tham mưu trưởng Liên quân "
            "Hoa Kỳ, cũng nói");
  EXPECT_EQ(ExactKeys(text),
            (std::vector<std::string>{"tướng", "mark", "milley", "chủ", "tịch",
                                      "hội", "đồng", "tham", "mưu", "trưởng",
                                      "liên", "quân", "hoa", "kì", "cũng",
                                      "nói"}));
  EXPECT_EQ(FoldedKeys(text),
            (std::vector<std::string>{"tuong", "mark", "milley", "chu", "tich",
                                      "hoi", "dong", "tham", "muu", "truong",
                                      "lien", "quan", "hoa", "ki", "cung",
                                      "noi"}));
}

TEST(TokenizeTest, SkipsTokensLongerThanTheLimit) {
  const std::string ascii64(kMaxTokenBytes, 'a');
  const std::string ascii65(kMaxTokenBytes + 1, 'a');
  std::string vietnamese66;  // 22 three-byte letters.
  for (int i = 0; i < 22; ++i) vietnamese66 += "ả";
  ExpectTokens(ascii65 + " x " + ascii64 + " " + vietnamese66 + " ở",
               {
                   {"x", "x", 66, 67},
                   {ascii64, ascii64, 68, 132},
                   {"ở", "o", 200, 203},
               });
}

// Regression (hardening issue, finding 2): a multi-byte letter could step
// over the length check, so ~100 x "ế" overflowed the token's letter buffer
// and crashed `tim search` and `tim ingest`.
TEST(TokenizeTest, SkipsLongTokensWhoseLettersStepOverTheLimit) {
  std::string e300;  // 100 three-byte letters.
  for (int i = 0; i < 100; ++i) e300 += "ế";
  std::string a2_65 = "a";  // 1 + 32 two-byte letters: 63 bytes, then 65.
  for (int i = 0; i < 32; ++i) a2_65 += "ă";
  ASSERT_EQ(a2_65.size(), kMaxTokenBytes + 1);
  ExpectTokens(e300 + " x " + a2_65 + " " + e300 + e300 + " ở",
               {
                   {"x", "x", 301, 302},
                   {"ở", "o", 970, 973},  // 303 + 65 + 1 + 600 + 1
               });
  EXPECT_EQ(FoldedKey(e300), std::string(100, 'e'));
}

TEST(TokenizeTest, KeepsTokensOfExactlyTheLimit) {
  std::string vietnamese64 = "a";  // 1 + 21 three-byte letters.
  std::string expected = "a";
  for (int i = 0; i < 21; ++i) {
    vietnamese64 += "Ả";
    expected += "ả";
  }
  ASSERT_EQ(vietnamese64.size(), kMaxTokenBytes);
  // The second token is 2 + 64 + 1 = 67 bytes long.
  ExpectTokens(vietnamese64 + ".ab" + vietnamese64 + "b",
               {{expected, std::string(22, 'a'), 0, 64}});
  ExpectTokens("x " + vietnamese64, {
                                        {"x", "x", 0, 1},
                                        {expected, std::string(22, 'a'), 2, 66},
                                    });
}

TEST(TokenizeTest, EmptyAndSeparatorOnlyTextGiveNoTokens) {
  int calls = 0;
  Tokenize("", [&calls](const Token&) { ++calls; });
  Tokenize("  ...  \n", [&calls](const Token&) { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(Tokenize("").empty());
}

TEST(TokenizeTest, CallbackAndVectorVersionsAgree) {
  const std::string text = "Ngoại trưởng Nga Sergei Lavrov ngày 27/10 nói.";
  std::vector<Token> from_callback;
  Tokenize(text, [&](const Token& t) { from_callback.push_back(t); });
  const std::vector<Token> from_vector = Tokenize(text);
  ASSERT_EQ(from_callback.size(), from_vector.size());
  for (size_t i = 0; i < from_vector.size(); ++i) {
    EXPECT_EQ(from_callback[i].exact, from_vector[i].exact);
    EXPECT_EQ(from_callback[i].folded, from_vector[i].folded);
    EXPECT_EQ(from_callback[i].begin, from_vector[i].begin);
    EXPECT_EQ(from_callback[i].end, from_vector[i].end);
  }
}

// A snippet's Tokenize writes the keys of the tokens that may be query
// words only: every token still comes, where it is, and each one with a
// key of the query has both its keys (whatever its case, tone placement,
// i/y spelling or decomposition).
TEST(TokenizeTest, ShapesWriteTheKeysOfEveryTokenThatMayMatch) {
  const std::vector<std::string> keys = {"hoa", "binh", "ki", "da", "nang", "viet", "nam", "y"};
  const KeyShapes shapes(keys);
  std::vector<std::string> texts = ReadSeeds();
  texts.push_back("HÒA BÌNH, hoà bình, Kỹ sư, Đà Nẵng: Ý kiến; Hoa\u0300 bi\u0300nh");
  size_t keyed = 0;
  for (const std::string& seed : texts) {
    const std::string text = NormalizeText(seed);
    const std::vector<Token> all = Tokenize(text);
    std::vector<Token> shaped;
    Tokenize(text, shapes, [&](const Token& token) { shaped.push_back(token); });
    ASSERT_EQ(shaped.size(), all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(shaped[i].begin, all[i].begin);
      EXPECT_EQ(shaped[i].end, all[i].end);
      if (std::find(keys.begin(), keys.end(), all[i].folded) == keys.end()) {
        EXPECT_TRUE(shaped[i].folded.empty() || shaped[i].folded == all[i].folded);
        continue;
      }
      ++keyed;
      EXPECT_EQ(shaped[i].folded, all[i].folded);
      EXPECT_EQ(shaped[i].exact, all[i].exact);
    }
  }
  EXPECT_GE(keyed, 12u);
}

TEST(TokenizeTest, CombiningMarksStayWithTheirLetter) {
  // Decomposed Vietnamese: one token per syllable, marks included.
  ExpectTokens("Hoa\u0300 bi\u0300nh", {
                                             {"hòa", "hoa", 0, 5},
                                             {"bình", "binh", 6, 12},
                                         });
  // A mark with no letter before it separates, as punctuation would.
  ExpectTokens("\u0301abc \u0300", {{"abc", "abc", 2, 5}});
  // A non-Vietnamese combination goes through ICU.
  ExpectTokens("Nin\u0303o", {{"niño", "nino", 0, 6}});
}

TEST(TokenizeTest, NfdInputGivesTheSameKeysAsNfc) {
  const std::string texts[] = {
      "Hoà bình, hòa bình; THUỶ, thủy; khoẻ, khỏe; QUÝ; hoàn; Mỹ, kĩ.",
      "Đặc phái viên Ngoại trưởng Nguyễn Trường Sơn ĐÀM PHÁN ường ậ ợ ự",
      "Müller, Señor, Françoise, Ångström, Øresund",
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(ExactKeys(Nfd(text)), ExactKeys(text)) << text;
    EXPECT_EQ(FoldedKeys(Nfd(text)), FoldedKeys(text)) << text;
  }
}

TEST(TokenizeTest, NfdSeedsGiveTheSameKeysAsNfcSeeds) {
  const std::vector<std::string> seeds = ReadSeeds();
  ASSERT_FALSE(seeds.empty()) << "no seeds in " << SeedDir();
  for (const std::string& seed : seeds) {
    const std::string text = NormalizeText(seed);
    const std::string decomposed = Nfd(text);
    ASSERT_NE(decomposed, text);
    EXPECT_EQ(ExactKeys(decomposed), ExactKeys(text));
    EXPECT_EQ(FoldedKeys(decomposed), FoldedKeys(text));
    EXPECT_EQ(NormalizeText(decomposed), text);
  }
}

TEST(TokenizeTest, SurvivesIllFormedUtf8) {
  // Not allowed by the contract, but must not crash or read past the end.
  EXPECT_EQ(ExactKeys("\xFF\xFE" "abc\xC3"), (std::vector<std::string>{"abc"}));
  EXPECT_EQ(ExactKeys("ab\xE1\xBA"), (std::vector<std::string>{"ab"}));
  EXPECT_EQ(ExactKey("a\xFF"), "a\uFFFD");
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

struct Keys {
  const char* word;
  const char* exact;
  const char* folded;
};

TEST(AnalyzerKeysTest, CanonicalExactAndFoldedKeys) {
  const Keys cases[] = {
      // Tone on the second vowel of a final oa/oe/uy moves to the first.
      {"hoà", "hòa", "hoa"},     {"hòa", "hòa", "hoa"},
      {"hoá", "hóa", "hoa"},     {"hoạ", "họa", "hoa"},
      {"toà", "tòa", "toa"},     {"thoả", "thỏa", "thoa"},
      {"khoá", "khóa", "khoa"},  {"doạ", "dọa", "doa"},
      {"khoẻ", "khỏe", "khoe"},  {"khỏe", "khỏe", "khoe"},
      {"thuỷ", "thủy", "thuy"},  {"thủy", "thủy", "thuy"},
      {"thuỵ", "thụy", "thuy"},  {"huỷ", "hủy", "huy"},
      {"uỷ", "ủy", "uy"},        {"oà", "òa", "oa"},
      {"giòa", "giòa", "gioa"},  {"gioà", "giòa", "gioa"},
      // After q the u belongs to the initial: nothing to move.
      {"quý", "quý", "quy"},     {"quỳ", "quỳ", "quy"},
      {"quỷ", "quỷ", "quy"},     {"quỹ", "quỹ", "quy"},
      {"quỵ", "quỵ", "quy"},     {"quy", "quy", "quy"},
      // A final consonant or a third vowel: both conventions agree.
      {"hoàn", "hoàn", "hoan"},  {"huýt", "huýt", "huyt"},
      {"khoảng", "khoảng", "khoang"},
      {"quyết", "quyết", "quyet"},
      {"khuỷu", "khuỷu", "khuyu"},
      {"ngoẻo", "ngoẻo", "ngoeo"},
      {"ngoài", "ngoài", "ngoai"},
      // i/y after one initial consonant: canonical i.
      {"kỹ", "kĩ", "ki"},        {"kĩ", "kĩ", "ki"},
      {"lý", "lí", "li"},        {"lí", "lí", "li"},
      {"Mỹ", "mĩ", "mi"},        {"sỹ", "sĩ", "si"},
      {"tỷ", "tỉ", "ti"},        {"hy", "hi", "hi"},
      {"ly", "li", "li"},        {"Kỳ", "kì", "ki"},
      {"bỵ", "bị", "bi"},        {"dỹ", "dĩ", "di"},
      {"đỵ", "đị", "di"},        {"rý", "rí", "ri"},
      {"ný", "ní", "ni"},        {"vỹ", "vĩ", "vi"},
      // ...but not y alone, longer syllables or other consonants.
      {"ý", "ý", "y"},           {"y", "y", "y"},
      {"thy", "thy", "thy"},     {"gỹ", "gỹ", "gy"},
      {"xý", "xý", "xy"},        {"yêu", "yêu", "yeu"},
      {"tuy", "tuy", "tuy"},     {"kỹs", "kỹs", "kys"},
      // Case, đ and the other diacritics.
      {"HOÀ", "hòa", "hoa"},     {"ĐÀM", "đàm", "dam"},
      {"đàm", "đàm", "dam"},     {"Ukraine", "ukraine", "ukraine"},
      {"NATO", "nato", "nato"},  {"phán", "phán", "phan"},
      {"ường", "ường", "uong"},  {"Nội", "nội", "noi"},
      {"NGUYỄN", "nguyễn", "nguyen"},
      {"Ặ", "ặ", "a"},           {"Ơ", "ơ", "o"},
      {"G7", "g7", "g7"},        {"2015", "2015", "2015"},
      // Not one token: kept whole, as documented.
      {"TP.HCM", "tp.hcm", "tp.hcm"},
      // Look-alikes of Đ read as Đ even without NormalizeText.
      {"\u00D0\u00C0M", "đàm", "dam"},
      {"\u0189\u00E0m", "đàm", "dam"},
      {"\u0256\u00E0m", "đàm", "dam"},
      // Letters outside the Vietnamese table go through ICU.
      {"é", "é", "e"},           {"Müller", "müller", "muller"},
      {"Françoise", "françoise", "francoise"},
      {"ÅNGSTRÖM", "ångström", "angstrom"},
      {"Søren", "søren", "soren"},
      {"Łukasz", "łukasz", "lukasz"},
      {"Yılmaz", "yılmaz", "yilmaz"},
      {"Straße", "straße", "straße"},
      {"Erdoğan", "erdoğan", "erdogan"},
      {"İSTANBUL", "i\u0307stanbul", "istanbul"},  // Full lowercase.
      {"ΟΔΟΣ", "οδος", "οδος"},                     // Final sigma.
      {"ΑΘΉΝΑ", "αθήνα", "αθηνα"},
      {"Москва", "москва", "москва"},
      {"Йошкар", "йошкар", "иошкар"},  // Й is И + breve in NFD.
      {"한국", "한국", "한국"},        // Hangul recomposes after folding.
      {"", "", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ExactKey(c.word), c.exact) << c.word;
    EXPECT_EQ(FoldedKey(c.word), c.folded) << c.word;
  }
}

TEST(AnalyzerKeysTest, BothTonePlacementsGiveOneKey) {
  const std::pair<const char*, const char*> pairs[] = {
      {"hoà", "hòa"},   {"thuỷ", "thủy"}, {"khoẻ", "khỏe"}, {"hoá", "hóa"},
      {"toà", "tòa"},   {"uỷ", "ủy"},     {"thoả", "thỏa"}, {"huỷ", "hủy"},
      {"khoá", "khóa"}, {"doạ", "dọa"},   {"hoạ", "họa"},   {"thuỵ", "thụy"},
      {"kỹ", "kĩ"},     {"lý", "lí"},     {"mỹ", "mĩ"},     {"sỹ", "sĩ"},
      {"tỷ", "tỉ"},     {"hy", "hi"},     {"ly", "li"},     {"HOÀ", "hòa"},
  };
  for (const auto& [a, b] : pairs) {
    EXPECT_EQ(ExactKey(a), ExactKey(b)) << a << " " << b;
    EXPECT_EQ(FoldedKey(a), FoldedKey(b)) << a << " " << b;
  }
}

TEST(AnalyzerKeysTest, MarksAfterALetterComposeInAnyOrder) {
  EXPECT_EQ(ExactKey("a\u0323\u0302"), "ậ");  // NFD order of ậ.
  EXPECT_EQ(ExactKey("a\u0302\u0323"), "ậ");
  EXPECT_EQ(ExactKey("\u00EA\u0301"), "ế");   // Windows-1258 style.
  EXPECT_EQ(ExactKey("e\u0301\u0302"), "ế");  // NFC would keep é + U+0302.
  EXPECT_EQ(ExactKey("o\u031B\u0323"), "ợ");
  EXPECT_EQ(ExactKey("\u01B0\u0300"), "ừ");
  EXPECT_EQ(ExactKey("D\u0300"), "d\u0300");  // No tone on a consonant.
  EXPECT_EQ(FoldedKey("D\u0300"), "d");
  EXPECT_EQ(ExactKey("a\u0300\u0301"), "à\u0301");  // Second tone: ICU.
  EXPECT_EQ(FoldedKey("a\u0300\u0301"), "a");
  EXPECT_EQ(ExactKey("a\u0341"), "á");  // Deprecated acute tone mark.
}

// Every precomposed Latin letter whose lowercase decomposes to an ASCII
// letter and marks: the keys must be ICU's lowercase NFC and the bare ASCII
// letter, whether the letter is in the Vietnamese table or takes the ICU
// path, and the decomposed spelling must give the same keys.
TEST(AnalyzerKeysTest, EveryAccentedLatinLetterAgreesWithIcu) {
  int checked = 0;
  for (UChar32 c = 0xC0; c <= 0x1EFF; ++c) {
    if (c == 0x250) c = 0x1E00;  // Skip to Latin Extended Additional.
    if (!u_isalpha(c)) continue;
    std::string lower;
    icu::UnicodeString(c).toLower(icu::Locale::getRoot()).toUTF8String(lower);
    const std::string decomposed = Nfd(lower);
    const char base = decomposed[0];
    if (base < 'a' || base > 'z') continue;
    bool only_marks = true;
    for (int32_t i = 1; i < static_cast<int32_t>(decomposed.size());) {
      UChar32 mark;
      U8_NEXT(decomposed.data(), i, static_cast<int32_t>(decomposed.size()),
              mark);
      only_marks = only_marks && u_charType(mark) == U_NON_SPACING_MARK;
    }
    if (!only_marks) continue;
    const std::string letter = Utf8(c);
    SCOPED_TRACE(letter);
    EXPECT_EQ(ExactKey(letter), Nfc(lower));
    EXPECT_EQ(FoldedKey(letter), std::string(1, base));
    EXPECT_EQ(ExactKey(Nfd(letter)), ExactKey(letter));
    EXPECT_EQ(FoldedKey(Nfd(letter)), FoldedKey(letter));
    const std::vector<Token> tokens = Tokenize(Nfd(letter));
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].end, Nfd(letter).size());
    ++checked;
  }
  // 132 accented Vietnamese letters plus other European ones.
  EXPECT_GT(checked, 300);
}

TEST(AnalyzerKeysTest, KeysOfAWordMatchTokenizeOnTheSeeds) {
  const std::vector<std::string> seeds = ReadSeeds();
  ASSERT_FALSE(seeds.empty()) << "no seeds in " << SeedDir();
  size_t tokens = 0;
  for (const std::string& seed : seeds) {
    const std::string text = NormalizeText(seed);
    Tokenize(text, [&](const Token& token) {
      const std::string_view word =
          std::string_view(text).substr(token.begin, token.end - token.begin);
      EXPECT_EQ(ExactKey(word), token.exact) << word;
      EXPECT_EQ(FoldedKey(word), token.folded) << word;
      EXPECT_EQ(FoldedKey(token.exact), token.folded) << word;
      EXPECT_EQ(ExactKey(token.exact), token.exact) << word;
      ++tokens;
    });
  }
  EXPECT_GT(tokens, 2500u);
}

TEST(AnalyzerKeysTest, Seed001SpellsPeaceBothWaysWithOneKey) {
  const std::vector<std::string> seeds = ReadSeeds();
  ASSERT_GE(seeds.size(), 2u);
  const std::string text = NormalizeText(seeds[1]);
  const size_t old_style = text.find("hoà bình");
  const size_t new_style = text.find("hòa bình");
  ASSERT_NE(old_style, std::string::npos);
  ASSERT_NE(new_style, std::string::npos);
  const std::vector<Token> a = Tokenize(text.substr(old_style, 10));
  const std::vector<Token> b = Tokenize(text.substr(new_style, 10));
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a[i].exact, b[i].exact);
    EXPECT_EQ(a[i].folded, b[i].folded);
  }
  EXPECT_EQ(a[0].exact, "hòa");
}

}  // namespace
}  // namespace tim
