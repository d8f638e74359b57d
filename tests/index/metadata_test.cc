// End to end: what ingest stores about dates and sources (inferred dates,
// their kind, canonical publishers, cited agencies), read back through the
// public API, the CLI and the Xapian document itself.
#include <gtest/gtest.h>
#include <xapian.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "index/document_builder.h"
#include "index/schema.h"
#include "fixtures.h"
#include "test_util.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

using nlohmann::json;
using testing::TempDir;

constexpr char kSeed000[] = "000_ffa5402f6aae78c4";
constexpr char kSeed001[] = "001_6255338c2fb240fd";
constexpr char kSeed002[] = "002_875d31cde75c60a3";
constexpr char kSeed003[] = "003_f2d66ba1e9ee483f";

class MetadataTest : public testing::DatabaseTest {
 protected:

  Xapian::Document Document(const std::string& id) const {
    Xapian::Database database(db());
    const std::string term = IdTerm(id);
    Xapian::PostingIterator it = database.postlist_begin(term);
    EXPECT_NE(it, database.postlist_end(term)) << id;
    return database.get_document(*it);
  }

  static bool HasTerm(const Xapian::Document& doc, const std::string& term) {
    Xapian::TermIterator it = doc.termlist_begin();
    it.skip_to(term);
    return it != doc.termlist_end() && *it == term;
  }

  static std::vector<std::string> Cites(const Xapian::Document& doc) {
    std::vector<std::string> names;
    const std::string joined = doc.get_value(schema::kCitesSlot);
    for (size_t start = 0; start < joined.size();) {
      size_t end = joined.find(schema::kListSeparator, start);
      if (end == std::string::npos) end = joined.size();
      names.push_back(joined.substr(start, end - start));
      start = end + 1;
    }
    return names;
  }

};

TEST_F(MetadataTest, SeedDatesAreMetadataInferredOrAbsent) {
  IngestPaths(db(), {testing::SeedsDir()});
  const Searcher searcher(db());

  // 002: "ngày 09 tháng 11 năm 2022" in its first caption.
  const auto seed002 = searcher.Get(kSeed002);
  ASSERT_TRUE(seed002 && seed002->date);
  EXPECT_EQ(seed002->date->ToString(), "2022-11-09");
  EXPECT_TRUE(seed002->date_inferred);
  const Xapian::Document doc002 = Document(kSeed002);
  EXPECT_EQ(doc002.get_value(schema::kDateKindSlot), "i");
  EXPECT_EQ(doc002.get_value(schema::kInferredDateStartSlot), "20221109");
  EXPECT_EQ(doc002.get_value(schema::kInferredDateEndSlot), "20221109");
  EXPECT_TRUE(HasTerm(doc002, schema::kInferredDateTerm));
  // Inferred dates stay out of the slots date filters and facets read.
  EXPECT_EQ(doc002.get_value(schema::kDateStartSlot), "");
  EXPECT_EQ(doc002.get_value(schema::kDateEndSlot), "");

  // 003: "tháng 6/2024", known to the month only.
  const Xapian::Document doc003 = Document(kSeed003);
  EXPECT_EQ(searcher.Get(kSeed003)->date->ToString(), "2024-06");
  EXPECT_EQ(doc003.get_value(schema::kInferredDateStartSlot), "20240600");
  EXPECT_EQ(doc003.get_value(schema::kInferredDateEndSlot), "20240699");

  // 000: "ngày 11-12" has no year, and nothing gives one.
  EXPECT_FALSE(searcher.Get(kSeed000)->date.has_value());
  const Xapian::Document doc000 = Document(kSeed000);
  EXPECT_EQ(doc000.get_value(schema::kDateKindSlot), "");
  EXPECT_FALSE(HasTerm(doc000, schema::kInferredDateTerm));

  // 001: its header date, although its text says "ngày 27/10" and "15/8".
  const auto seed001 = searcher.Get(kSeed001);
  EXPECT_EQ(seed001->date->ToString(), "2025-10-28");
  EXPECT_FALSE(seed001->date_inferred);
  const Xapian::Document doc001 = Document(kSeed001);
  EXPECT_EQ(doc001.get_value(schema::kDateKindSlot), "m");
  EXPECT_EQ(doc001.get_value(schema::kDateStartSlot), "20251028");
  EXPECT_EQ(doc001.get_value(schema::kInferredDateStartSlot), "");
  EXPECT_FALSE(HasTerm(doc001, schema::kInferredDateTerm));
}

TEST_F(MetadataTest, MetadataDateIsNeverOverridden) {
  // The seed header says 2023; the text says 9/11/2022.
  const std::string seed =
      dir_.Write("s.txt", "date 2023 Hôm nay, ngày 9/11/2022, trời mưa.\n");
  const std::string jsonl = dir_.Write(
      "j.jsonl",
      R"({"id":"j","date":"2016-11-28T08:40:00+07:00","body":"Ngày 9/11/2022, trời mưa."})"
      "\n");
  IngestPaths(db(), {seed, jsonl});
  const Searcher searcher(db());
  EXPECT_EQ(searcher.Get("s")->date->ToString(), "2023");
  EXPECT_FALSE(searcher.Get("s")->date_inferred);
  EXPECT_EQ(searcher.Get("j")->date->ToString(), "2016-11-28");
  EXPECT_FALSE(searcher.Get("j")->date_inferred);
  EXPECT_EQ(Document("j").get_value(schema::kDateKindSlot), "m");
}

TEST_F(MetadataTest, InferredDatesStayOutOfDateFiltersAndFacets) {
  IngestPaths(db(), {testing::SeedsDir()});
  SearchRequest request;
  request.from = ParseDate("2022");
  request.to = ParseDate("2024");
  request.facets = {};
  // Only 004 (2023-08) has a metadata date in 2022-2024; 002 and 003 have
  // inferred ones there.
  const SearchResponse response = Searcher(db()).Search(request);
  ASSERT_EQ(response.hits.size(), 1u);
  EXPECT_EQ(response.hits[0].id, "004_620e17e2059e22f6");
}

TEST_F(MetadataTest, SourcesAreCanonical) {
  const std::string file = dir_.Write(
      "batch.jsonl",
      R"({"id":"a","source":"DAN TRI","body":"Bài một."})" "\n"
      R"({"id":"b","source":"dantri.com.vn","body":"Bài hai."})" "\n"
      R"({"id":"c","url":"https://kinhdoanh.vnexpress.net/x-3504150.html","body":"Bài ba."})" "\n"
      R"({"id":"d","source":"  Báo Ếch Ộp ","body":"Bài bốn."})" "\n"
      R"({"id":"e","body":"Bài năm."})" "\n");
  IngestPaths(db(), {file});
  const Searcher searcher(db());
  EXPECT_EQ(searcher.Get("a")->source, "Dân trí");
  EXPECT_EQ(searcher.Get("b")->source, "Dân trí");
  EXPECT_EQ(searcher.Get("c")->source, "VnExpress");  // from the URL's host
  EXPECT_EQ(searcher.Get("d")->source, "Báo Ếch Ộp");  // unknown: kept, trimmed
  EXPECT_EQ(searcher.Get("e")->source, "unknown");

  SearchRequest request;
  request.facets = {"source"};
  const SearchResponse response = searcher.Search(request);
  ASSERT_EQ(response.facets.size(), 1u);
  std::map<std::string, uint64_t> counts;
  for (const FacetValue& value : response.facets[0].values) counts[value.value] = value.count;
  EXPECT_EQ(counts, (std::map<std::string, uint64_t>{
                        {"Dân trí", 2}, {"VnExpress", 1}, {"Báo Ếch Ộp", 1}, {"unknown", 1}}));
}

TEST_F(MetadataTest, CitesAreStoredAsValueAndTerms) {
  IngestPaths(db(), {testing::SeedsDir()});
  const Xapian::Document doc000 = Document(kSeed000);
  EXPECT_EQ(Cites(doc000), (std::vector<std::string>{"Reuters", "Axios"}));
  EXPECT_TRUE(HasTerm(doc000, std::string(schema::kCitesPrefix) + "reuters"));
  EXPECT_TRUE(HasTerm(doc000, std::string(schema::kCitesPrefix) + "axios"));
  EXPECT_EQ(Cites(Document(kSeed003)), (std::vector<std::string>{"Kommersant"}));

  Xapian::Database database(db());
  EXPECT_EQ(database.get_termfreq(std::string(schema::kCitesPrefix) + "reuters"), 3u);
}

TEST_F(MetadataTest, APublisherDoesNotCiteItself) {
  const std::string file = dir_.Write(
      "self.jsonl",
      R"({"id":"s","source":"Dân trí","body":"Phóng viên báo Dân trí dẫn lời hãng tin Reuters."})"
      "\n");
  IngestPaths(db(), {file});
  EXPECT_EQ(Cites(Document("s")), (std::vector<std::string>{"Reuters"}));
}

TEST_F(MetadataTest, ReingestIsUnchanged) {
  IngestPaths(db(), {testing::SeedsDir()});
  const IngestReport again = IngestPaths(db(), {testing::SeedsDir()});
  EXPECT_EQ(again.unchanged, 5u);
}

TEST_F(MetadataTest, ShowTellsAnInferredDateApart) {
  IngestPaths(db(), {testing::SeedsDir()});
  const auto inferred = testing::RunTim({"show", "--db", db(), "--json", kSeed002});
  ASSERT_EQ(inferred.exit_code, 0) << inferred.err;
  EXPECT_EQ(json::parse(inferred.out)["date"], "2022-11-09");
  EXPECT_EQ(json::parse(inferred.out)["date_inferred"], true);
  const auto metadata = testing::RunTim({"show", "--db", db(), "--json", kSeed001});
  ASSERT_EQ(metadata.exit_code, 0) << metadata.err;
  EXPECT_EQ(json::parse(metadata.out)["date_inferred"], false);
}

}  // namespace
}  // namespace tim
