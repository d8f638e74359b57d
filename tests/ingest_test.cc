// Ingest through the library: identity, atomicity and bad input.
#include <gtest/gtest.h>

#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

using testing::TempDir;

class IngestTest : public ::testing::Test {
 protected:
  std::string db() const { return (dir_.path() / "db").string(); }
  uint64_t Count() const { return Searcher(db()).Stats().documents; }

  // Ingests `paths`, expecting an Error whose message contains `needle`.
  void ExpectFailure(const std::vector<std::string>& paths,
                     const std::string& needle, ErrorCode code) {
    try {
      IngestPaths(db(), paths);
      FAIL() << "ingest succeeded; expected an error about " << needle;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
          << e.what();
    }
  }

  TempDir dir_;
};

TEST_F(IngestTest, JsonLinesWithMetadata) {
  const std::string file = dir_.Write(
      "batch.jsonl",
      R"({"id":"a1","title":"Giá vàng tăng","source":"VnExpress","date":"2025-10-28T09:15:00+07:00","category":"Kinh doanh","body":"Giá vàng hôm nay tăng mạnh.","author":"Lan"})"
      "\n\n"
      R"({"id":"a2","source":"Tuổi Trẻ","date":"2016","body":"Bóng đá Việt Nam."})"
      "\n");
  const IngestReport report = IngestPaths(db(), {file});
  EXPECT_EQ(report.added, 2u);
  const Searcher searcher(db());
  const auto a1 = searcher.Get("a1");
  ASSERT_TRUE(a1.has_value());
  EXPECT_EQ(a1->title, "Giá vàng tăng");
  EXPECT_EQ(a1->source, "VnExpress");
  EXPECT_EQ(a1->date->ToString(), "2025-10-28");
  EXPECT_EQ(a1->category, "Kinh doanh");
  EXPECT_EQ(a1->extra_fields.at("author"), "\"Lan\"");
  EXPECT_EQ(searcher.Get("a2")->date->ToString(), "2016");
}

TEST_F(IngestTest, SameIdIsReplacedNotDuplicated) {
  const std::string v1 = dir_.Write("v1.jsonl", R"({"id":"x","body":"phiên bản một"})" "\n");
  const std::string v2 = dir_.Write("v2.jsonl", R"({"id":"x","body":"phiên bản hai"})" "\n");
  IngestPaths(db(), {v1});
  const IngestReport report = IngestPaths(db(), {v2});
  EXPECT_EQ(report.replaced, 1u);
  EXPECT_EQ(Count(), 1u);
  SearchRequest request;
  request.query = "hai";
  EXPECT_EQ(Searcher(db()).Search(request).total, 1u);
  request.query = "một";
  EXPECT_EQ(Searcher(db()).Search(request).total, 0u);
}

TEST_F(IngestTest, NfdTextIsStoredAndFoundAsNfc) {
  // "Hà Nội" fully decomposed.
  const std::string nfd = "Ha\xcc\x80 N\xc3\xb4\xcc\xa3i";
  const std::string file =
      dir_.Write("nfd.jsonl", R"({"id":"n","body":")" + nfd + " mùa thu.\"}\n");
  IngestPaths(db(), {file});
  SearchRequest request;
  request.query = "Hà Nội";
  const SearchResponse response = Searcher(db()).Search(request);
  ASSERT_EQ(response.total, 1u);
  EXPECT_EQ(Searcher(db()).Get("n")->body.substr(0, 9), "Hà Nội");
  request.query = "ha noi";
  EXPECT_EQ(Searcher(db()).Search(request).total, 1u);
}

TEST_F(IngestTest, MalformedJsonLineAbortsTheWholeBatch) {
  IngestPaths(db(), {testing::SeedsDir()});
  const std::string bad = dir_.Write(
      "bad.jsonl", R"({"id":"ok","body":"một bài tốt"})" "\n" R"({"id":"broken","body":)" "\n");
  ExpectFailure({bad}, "bad.jsonl:2", ErrorCode::kInvalidInput);
  EXPECT_EQ(Count(), 5u);  // neither "ok" nor anything else was added
  EXPECT_FALSE(Searcher(db()).Get("ok").has_value());
}

TEST_F(IngestTest, SkipBadRecordsReportsThem) {
  const std::string bad = dir_.Write(
      "bad.jsonl", R"({"id":"ok","body":"một bài tốt"})" "\n" R"({"id":"broken")" "\n");
  IngestOptions options;
  options.skip_bad_records = true;
  const IngestReport report = IngestPaths(db(), {bad}, options);
  EXPECT_EQ(report.added, 1u);
  EXPECT_EQ(report.skipped, 1u);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("bad.jsonl:2"), std::string::npos);
}

TEST_F(IngestTest, InvalidUtf8NamesFileAndLine) {
  IngestPaths(db(), {testing::SeedsDir()});
  const std::string bad =
      dir_.Write("latin1.txt", "Dòng một\nH\xe0 N\xf4i\n");  // Latin-1 bytes
  ExpectFailure({bad}, "latin1.txt:2", ErrorCode::kInvalidInput);
  EXPECT_EQ(Count(), 5u);
}

TEST_F(IngestTest, BadSeedHeaderDateNamesFile) {
  IngestPaths(db(), {testing::SeedsDir()});
  const std::string bad = dir_.Write("bad-date.txt", " date 2023-13-45 Nội dung bài.\n");
  ExpectFailure({bad}, "bad-date.txt:1", ErrorCode::kInvalidInput);
  EXPECT_EQ(Count(), 5u);
}

TEST_F(IngestTest, ImpossibleJsonDate) {
  const std::string bad = dir_.Write("d.jsonl", R"({"id":"d","date":"2023-02-29","body":"x y"})" "\n");
  ExpectFailure({bad}, "d.jsonl:1", ErrorCode::kInvalidInput);
}

TEST_F(IngestTest, MissingBody) {
  const std::string bad = dir_.Write("nobody.jsonl", R"({"id":"n","title":"Tiêu đề"})" "\n");
  ExpectFailure({bad}, "nobody.jsonl:1", ErrorCode::kInvalidInput);
}

TEST_F(IngestTest, EmptySeedFile) {
  const std::string empty = dir_.Write("empty.txt", "");
  ExpectFailure({empty}, "empty.txt", ErrorCode::kInvalidInput);
}

TEST_F(IngestTest, MissingPath) {
  ExpectFailure({(dir_.path() / "no-such-dir").string()}, "no-such-dir",
                ErrorCode::kNotFound);
}

TEST_F(IngestTest, SecondWriterIsToldTheDatabaseIsLocked) {
  IndexWriter first(db());
  try {
    IndexWriter second(db());
    FAIL() << "two writers opened the same database";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kDatabaseLocked);
    EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos);
  }
}

TEST_F(IngestTest, UncommittedWriterLeavesNothingBehind) {
  IngestPaths(db(), {testing::SeedsDir()});
  {
    IndexWriter writer(db());
    writer.Add(testing::MakeArticle("draft", "bản nháp"));
    EXPECT_EQ(writer.document_count(), 6u);
  }
  EXPECT_EQ(Count(), 5u);
}

TEST_F(IngestTest, DeleteRemovesAtOnce) {
  IngestPaths(db(), {testing::SeedsDir()});
  IndexWriter writer(db());
  EXPECT_TRUE(writer.Delete("003_f2d66ba1e9ee483f"));
  EXPECT_FALSE(writer.Delete("no-such-id"));
  writer.Commit();
  EXPECT_EQ(Count(), 4u);
}

}  // namespace
}  // namespace tim
