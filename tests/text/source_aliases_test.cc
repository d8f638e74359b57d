// The alias file (data/source_aliases.tsv) as the library embeds it.
#include "text/source_aliases.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "test_util.h"
#include "text/analyzer.h"

namespace tim {
namespace {

TEST(SourceAliasesTest, AliasFileIsSound) {
  for (const std::string& problem : SourceAliasProblems()) ADD_FAILURE() << problem;
  EXPECT_GT(CanonicalSourceNames().size(), 97u);
}

TEST(SourceAliasesTest, EveryCanonicalNameIsItsOwnAlias) {
  for (const std::string& name : CanonicalSourceNames()) {
    EXPECT_EQ(LookupSource(name), name);
  }
}

TEST(SourceAliasesTest, SpellingsAndDomainsOfOnePublisherAgree) {
  const struct {
    const char* written;
    const char* canonical;
  } kCases[] = {
      {"Dân trí", "Dân trí"},
      {"Dân Trí", "Dân trí"},
      {"DAN TRI", "Dân trí"},
      {"dan tri", "Dân trí"},
      {"Báo Dân trí", "Dân trí"},
      {"dantri.com.vn", "Dân trí"},
      {"Dantri.com.vn", "Dân trí"},
      {"www.dantri.com.vn", "Dân trí"},
      {"https://dantri.com.vn/the-gioi/nga-20251028.htm", "Dân trí"},
      {"kinhdoanh.vnexpress.net", "VnExpress"},
      {"VNEXPRESS", "VnExpress"},
      {"Báo Tuổi Trẻ", "Tuổi Trẻ"},
      {"tuổi trẻ", "Tuổi Trẻ"},
      {"VOV", "Báo Điện tử Tiếng nói Việt Nam"},
      {"Sức Khỏe Đời Sống", "Báo Sức Khỏe & Đời Sống"},  // "&" is punctuation
      {"Công An TP HCM", "Công An TP.HCM"},
      // The longest listed domain wins over its parent.
      {"antg.cand.com.vn", "Chuyên trang An Ninh Thế Giới - Báo Công an Nhân dân"},
      {"cand.com.vn", "Báo Công An Nhân Dân"},
      {"REUTERS", "Reuters"},
      {"Tân Hoa Xã", "Xinhua"},
      {"EPA-EFE", "EPA"},
      {"REX/Shutterstock", "Shutterstock"},
      {"New York Times", "The New York Times"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(LookupSource(NormalizeText(c.written)), c.canonical) << c.written;
  }
}

TEST(SourceAliasesTest, NfdInputMatches) {
  // "Dân trí" with the circumflex and the acute as combining marks.
  EXPECT_EQ(LookupSource(NormalizeText("Da\xCC\x82n tri\xCC\x81")), "Dân trí");
}

TEST(SourceAliasesTest, UnknownSourcesPassThrough) {
  for (const char* name : {"Báo Ếch Ộp", "example.com", "vn", "com.vn", "", "&&",
                           "TP.HCM"}) {
    EXPECT_EQ(LookupSource(name), std::nullopt) << name;
    EXPECT_EQ(CanonicalSource(name), name);
  }
}

TEST(SourceAliasesTest, PublisherFromUrl) {
  EXPECT_EQ(SourceFromUrl("https://thethao.vnexpress.net/tin-tuc/x-3504150.html"),
            "VnExpress");
  EXPECT_EQ(SourceFromUrl("http://vtv.vn/the-gioi/x.htm"), "VTV");
  EXPECT_EQ(SourceFromUrl("https://baomoi.com/x/c/53383456.epi"), "Báo Mới");
  EXPECT_EQ(SourceFromUrl("https://example.org/vnexpress.net"), std::nullopt);
  EXPECT_EQ(SourceFromUrl("VnExpress"), std::nullopt);  // a name, not a URL
  EXPECT_EQ(SourceFromUrl(""), std::nullopt);
}

// The corpus spells each of its 97 publishers one way; each must be a
// canonical name, so that the source facet keeps the corpus's names.
TEST(SourceAliasesTest, CorpusPublishersAreCanonical) {
  const std::optional<std::string> sample = testing::CorpusSamplePath();
  if (!sample) GTEST_SKIP() << testing::kNoCorpusMessage;
  std::ifstream in(*sample);
  std::set<std::string> publishers;
  for (std::string line; std::getline(in, line);) {
    publishers.insert(nlohmann::json::parse(line).at("source").get<std::string>());
  }
  EXPECT_EQ(publishers.size(), 97u);
  for (const std::string& publisher : publishers) {
    EXPECT_EQ(LookupSource(NormalizeText(publisher)), publisher);
  }
}

}  // namespace
}  // namespace tim
