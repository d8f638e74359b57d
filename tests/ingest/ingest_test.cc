// Ingest through the library: identity, atomicity and bad input.
#include <gtest/gtest.h>
#include <xapian.h>
#include <sys/stat.h>
#include <zlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.h"
#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

using testing::ExpectNoDuplicateIds;
using testing::TempDir;
namespace fs = std::filesystem;

// One JSON Lines record.
std::string Line(const std::string& id, const std::string& body) {
  return R"({"id":")" + id + R"(","body":")" + body + "\"}\n";
}

// `count` distinct articles "<prefix>0", "<prefix>1"... with some text.
std::string Lines(const std::string& prefix, size_t count,
                  const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out += Line(prefix + std::to_string(i),
                "Bài số " + std::to_string(i) + " về giá vàng và thị trường " +
                    extra + " " + std::string(400, 'x') + std::to_string(i));
  }
  return out;
}

class IngestTest : public testing::DatabaseTest {
 protected:
  uint64_t Count() const { return Searcher(db()).Stats().documents; }
  uintmax_t DatabaseBytes() const {
    uintmax_t bytes = 0;
    for (const auto& entry : fs::directory_iterator(db())) bytes += entry.file_size();
    return bytes;
  }

  // Ingests `paths`, expecting an Error whose message contains `needle`.
  void ExpectFailure(const std::vector<std::string>& paths,
                     const std::string& needle, ErrorCode code,
                     const IngestOptions& options = {}) {
    try {
      IngestPaths(db(), paths, options);
      FAIL() << "ingest succeeded; expected an error about " << needle;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
          << e.what();
    }
  }

  // Ingests `path` with skip_bad_records.
  IngestReport IngestSkippingBad(const std::string& path) {
    IngestOptions options;
    options.skip_bad_records = true;
    return IngestPaths(db(), {path}, options);
  }
};

// The flush threshold is the user's when set, else tim's 300 (Xapian's
// default, 10000, buffers 30 times as many articles per flush).
TEST(TuneProcessForIngestTest, SetsTheFlushThresholdUnlessTheUserDid) {
  const char* before = std::getenv("XAPIAN_FLUSH_THRESHOLD");
  const std::optional<std::string> saved =
      before ? std::optional<std::string>(before) : std::nullopt;
  setenv("XAPIAN_FLUSH_THRESHOLD", "1234", 1);
  TuneProcessForIngest();
  EXPECT_STREQ(std::getenv("XAPIAN_FLUSH_THRESHOLD"), "1234");
  unsetenv("XAPIAN_FLUSH_THRESHOLD");
  TuneProcessForIngest();
  EXPECT_STREQ(std::getenv("XAPIAN_FLUSH_THRESHOLD"), "300");
  if (saved) setenv("XAPIAN_FLUSH_THRESHOLD", saved->c_str(), 1);
  else unsetenv("XAPIAN_FLUSH_THRESHOLD");
}

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
  const IngestReport report = IngestSkippingBad(bad);
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

// ---------------------------------------------------------------------------
// Inputs.

TEST_F(IngestTest, GzipFilesAndDirectories) {
  const fs::path in = dir_.path() / "in";
  dir_.Write("in/a.txt", "Bài một về thời tiết.");
  const std::string gz = (in / "b.jsonl.gz").string();
  gzFile file = gzopen(gz.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  const std::string text = Line("b1", "Bài hai.") + Line("b2", "Bài ba.");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  const IngestReport report = IngestPaths(db(), {in.string()});
  EXPECT_EQ(report.added, 3u);
  EXPECT_EQ(report.input_bytes, fs::file_size(gz) + fs::file_size(in / "a.txt"));
  EXPECT_TRUE(Searcher(db()).Get("b2").has_value());
}

// Hardening 9: the compression dictionary of a new database is trained on
// the input's first articles, a pass before the real one. A pipe cannot be
// read twice: `tim ingest --db new <(zcat x.jsonl.gz)` failed with "empty
// article" and a named FIFO blocked forever. Pipes now skip that pass.
TEST_F(IngestTest, APipeGoesIntoANewDatabase) {
  const std::string fifo = (dir_.path() / "63").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << Lines("p", 300); });
  auto ingest = std::async(std::launch::async, [&] { return IngestPaths(db(), {fifo}); });
  // A guard, not a timing: a second open of the pipe waits for a writer
  // that never comes; give it one, so that the test fails instead of hanging.
  if (ingest.wait_for(std::chrono::minutes(2)) != std::future_status::ready) {
    std::ofstream{fifo};
    ADD_FAILURE() << "the ingest opened the pipe twice and waited";
  }
  writer.join();
  const IngestReport report = ingest.get();
  EXPECT_EQ(report.added, 300u);
  EXPECT_EQ(Count(), 300u);
}

// Hardening 16: a first ingest that fails leaves no empty database behind
// to pass for one the user made: not in a new directory, not in an empty
// one; a database that existed stays, even with no article.
TEST_F(IngestTest, AFailedFirstIngestLeavesNoDatabase) {
  const std::string bad = dir_.Write("bad.jsonl", Lines("b", 3) + "{\"id\":\"x\",\n");
  EXPECT_THROW(IngestPaths(db(), {bad}), Error);
  EXPECT_FALSE(fs::exists(db()));

  fs::create_directory(db());
  EXPECT_THROW(IngestPaths(db(), {bad}), Error);
  EXPECT_TRUE(fs::is_empty(db()));

  IngestPaths(db(), {dir_.Write("empty.jsonl", "")});
  EXPECT_THROW(IngestPaths(db(), {bad}), Error);
  EXPECT_EQ(Count(), 0u);
}

TEST_F(IngestTest, EmptyJsonLinesFileAddsNothing) {
  const IngestReport report = IngestPaths(db(), {dir_.Write("empty.jsonl", "")});
  EXPECT_EQ(report.records(), 0u);
  EXPECT_EQ(Count(), 0u);
}

TEST_F(IngestTest, BinaryFileAbortsTheBatch) {
  IngestPaths(db(), {testing::SeedsDir()});
  const std::string binary =
      dir_.Write("blob.jsonl", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  ExpectFailure({dir_.Write("ok.jsonl", Line("ok", "tốt")), binary},
                "blob.jsonl: binary file", ErrorCode::kInvalidInput);
  EXPECT_EQ(Count(), 5u);
}

TEST_F(IngestTest, LineOverTheSizeLimit) {
  IngestPaths(db(), {testing::SeedsDir()});
  const std::string big = dir_.Write(
      "big.jsonl", Line("a", "trước") + Line("huge", std::string((16 << 20) + 10, 'a')) +
                       Line("b", "sau"));
  ExpectFailure({big}, "big.jsonl:2: line too long", ErrorCode::kInvalidInput);
  EXPECT_EQ(Count(), 5u);
  const IngestReport report = IngestSkippingBad(big);
  EXPECT_EQ(report.added, 2u);
  EXPECT_EQ(report.errors, 1u);
  EXPECT_EQ(report.skipped, 1u);
}

TEST_F(IngestTest, ImpossibleMonthAndDay) {
  IngestPaths(db(), {testing::SeedsDir()});
  const std::string bad = dir_.Write(
      "d.jsonl", Line("ok", "tốt") + R"({"id":"d","date":"2023-13-45","body":"x"})" "\n");
  ExpectFailure({bad}, "d.jsonl:2: bad date", ErrorCode::kInvalidInput);
  EXPECT_EQ(Count(), 5u);
}

TEST_F(IngestTest, SkipBadCountsErrorsAndSkipped) {
  const std::string file = dir_.Write(
      "mixed.jsonl", Line("a", "một") + "{oops\n" + R"({"id":"n","title":"t"})" "\n" +
                         Line("b", "hai"));
  const IngestReport report = IngestSkippingBad(file);
  EXPECT_EQ(report.added, 2u);
  EXPECT_EQ(report.errors, 2u);
  EXPECT_EQ(report.skipped, 2u);
  EXPECT_EQ(report.records(), 4u);
  ASSERT_EQ(report.warnings.size(), 2u);
  EXPECT_NE(report.warnings[0].find("mixed.jsonl:2: malformed JSON"), std::string::npos);
  EXPECT_NE(report.warnings[1].find("mixed.jsonl:3: missing body"), std::string::npos);
}

TEST_F(IngestTest, InvalidUtf8Policies) {
  IngestPaths(db(), {testing::SeedsDir()});
  const std::string file = dir_.Write(
      "latin1.jsonl", Line("u1", "một") + "{\"id\":\"u2\",\"body\":\"H\xe0 N\xf4i\"}\n");
  ExpectFailure({file}, "latin1.jsonl:2: invalid UTF-8 at byte", ErrorCode::kInvalidInput);
  EXPECT_EQ(Count(), 5u);

  IngestOptions options;
  options.invalid_utf8 = InvalidUtf8::kSkip;
  IngestReport report = IngestPaths(db(), {file}, options);
  EXPECT_EQ(report.added, 1u);
  EXPECT_EQ(report.errors, 1u);
  EXPECT_EQ(report.skipped, 1u);
  EXPECT_FALSE(Searcher(db()).Get("u2").has_value());

  options.invalid_utf8 = InvalidUtf8::kRepair;
  report = IngestPaths(db(), {file}, options);
  EXPECT_EQ(report.added, 1u);
  EXPECT_EQ(report.unchanged, 1u);
  EXPECT_EQ(report.errors, 0u);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("repaired"), std::string::npos);
  EXPECT_EQ(Searcher(db()).Get("u2")->body, "H\uFFFD N\uFFFDi");
}

// ---------------------------------------------------------------------------
// Duplicates.

TEST_F(IngestTest, SameBodyUnderAnotherIdIsADuplicate) {
  const std::string file = dir_.Write(
      "dups.jsonl", Line("a", "Giá vàng tăng mạnh.") +
                        Line("b", "Giá vàng  tăng\\nmạnh. ") +  // re-wrapped copy
                        Line("c", "Giá vàng giảm.") + Line("a", "Giá vàng tăng mạnh."));
  const IngestReport report = IngestPaths(db(), {file});
  EXPECT_EQ(report.added, 3u);
  EXPECT_EQ(report.unchanged, 1u);  // "a" again, same body: no duplicate
  EXPECT_EQ(report.duplicates, 1u);
  EXPECT_EQ(report.skipped, 0u);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("dups.jsonl:2: same body as article 'a'"),
            std::string::npos)
      << report.warnings[0];
  EXPECT_EQ(Count(), 3u);
}

TEST_F(IngestTest, DedupeSkipsDuplicatesInTheBatchAndTheDatabase) {
  IngestPaths(db(), {dir_.Write("first.jsonl", Line("a", "Bão số 3 đổ bộ."))});
  IngestOptions options;
  options.dedupe = true;
  const IngestReport report = IngestPaths(
      db(),
      {dir_.Write("second.jsonl", Line("b", "Bão số 3 đổ bộ.") + Line("c", "Mưa lớn.") +
                                      Line("d", "Mưa lớn.") + Line("a", "Bão số 3 đổ bộ."))},
      options);
  EXPECT_EQ(report.added, 1u);      // c
  EXPECT_EQ(report.unchanged, 1u);  // a
  EXPECT_EQ(report.duplicates, 2u);  // b (of a, in the database), d (of c)
  EXPECT_EQ(report.skipped, 2u);
  EXPECT_EQ(report.errors, 0u);
  EXPECT_FALSE(Searcher(db()).Get("b").has_value());
  EXPECT_FALSE(Searcher(db()).Get("d").has_value());
  EXPECT_EQ(Count(), 2u);
}

// ---------------------------------------------------------------------------
// Batches built in parallel shards (staged) or written directly.

TEST_F(IngestTest, ParallelAndSingleThreadedIngestAgree) {
  TempDir other;
  const std::string single = (other.path() / "db").string();
  const std::string file = dir_.Write("many.jsonl", Lines("n", 300));
  IngestOptions one, two;
  one.jobs = 1;
  two.jobs = 2;
  const IngestReport a = IngestPaths(single, {file}, one);
  const IngestReport b = IngestPaths(db(), {file}, two);
  EXPECT_EQ(a.added, 300u);
  EXPECT_EQ(b.added, 300u);
  EXPECT_EQ(b.commits, 1u);
  SearchRequest request;
  for (const char* query : {"gia vang", "\"thị trường\"", "bai"}) {
    request.query = query;
    EXPECT_EQ(Searcher(single).Search(request).total, Searcher(db()).Search(request).total)
        << query;
  }
  ExpectNoDuplicateIds(db());
  EXPECT_FALSE(fs::exists(dir_.path() / ".db.tim-staging"));
}

TEST_F(IngestTest, LargeBatchReplacesWithoutDuplicates) {
  for (unsigned jobs : {1u, 2u}) {
    SCOPED_TRACE(jobs);
    TempDir scratch;
    const std::string path = (scratch.path() / "db").string();
    IngestPaths(path, {dir_.Write("v1.jsonl", Lines("r", 40, "cũ"))});
    // Four times the database: large enough to be built in shards.
    IngestOptions options;
    options.jobs = jobs;
    const IngestReport report = IngestPaths(
        path, {dir_.Write("v2.jsonl", Lines("r", 20, "mới") + Lines("s", 150))}, options);
    EXPECT_EQ(report.replaced, 20u);
    EXPECT_EQ(report.unchanged, 0u);
    EXPECT_EQ(report.added, 150u);
    EXPECT_EQ(Searcher(path).Stats().documents, 190u);
    ExpectNoDuplicateIds(path);
    SearchRequest request;
    request.query = "mới";
    EXPECT_EQ(Searcher(path).Search(request).total, 20u);
    request.query = "cũ";
    EXPECT_EQ(Searcher(path).Search(request).total, 20u);  // r20..r39 untouched
  }
}

// Xapian 1.4.22 threw "Unexpected end of posting list" for queries with a
// term in every article, matched without weights, once a database whose
// document lengths span several chunks (a staged merge) had lost a document.
TEST_F(IngestTest, AStagedMergeThenADeleteSearchesLikeAFreshDatabase) {
  IngestOptions staged;
  staged.jobs = 2;
  const IngestReport report =
      IngestPaths(db(), {dir_.Write("all.jsonl", Lines("n", 300))}, staged);
  ASSERT_EQ(report.commits, 1u);
  {
    IndexWriter writer(db());
    ASSERT_TRUE(writer.Delete("n3"));
    ASSERT_TRUE(writer.Delete("n299"));
    writer.Commit();
  }
  TempDir other;
  const std::string fresh = (other.path() / "db").string();
  IngestOptions direct;
  direct.jobs = 1;
  IngestPaths(fresh, {dir_.Write("fresh.jsonl", Lines("n", 300))}, direct);
  {
    IndexWriter writer(fresh);
    writer.Delete("n3");
    writer.Delete("n299");
    writer.Commit();
  }
  SearchRequest request;
  request.limit = 50;
  for (SortOrder sort : {SortOrder::kRelevance, SortOrder::kNewestFirst}) {
    for (const char* query : {"gia vang", "\"thị trường\"", "\"thi truong\"", "bai so"}) {
      SCOPED_TRACE(query);
      request.query = query;
      request.sort = sort;
      SearchResponse merged, expected;
      ASSERT_NO_THROW(merged = Searcher(db()).Search(request));
      expected = Searcher(fresh).Search(request);
      EXPECT_EQ(merged.total, 298u);
      EXPECT_EQ(merged.total, expected.total);
      EXPECT_EQ(merged.hits.size(), expected.hits.size());
    }
  }
}

TEST_F(IngestTest, ReplacingEverythingKeepsTheDatabaseCompact) {
  IngestOptions options;
  options.jobs = 2;
  IngestPaths(db(), {dir_.Write("v1.jsonl", Lines("r", 60, "cũ"))}, options);
  const uintmax_t before = DatabaseBytes();
  const IngestReport report =
      IngestPaths(db(), {dir_.Write("v2.jsonl", Lines("r", 60, "mới"))}, options);
  EXPECT_EQ(report.replaced, 60u);
  EXPECT_EQ(Count(), 60u);
  ExpectNoDuplicateIds(db());
  SearchRequest request;
  request.query = "cũ";
  EXPECT_EQ(Searcher(db()).Search(request).total, 0u);
  // The old versions' space is given back, not left inside the database.
  EXPECT_LT(DatabaseBytes(), before * 3 / 2);
}

TEST_F(IngestTest, FailingLargeBatchLeavesTheDatabaseAsItWas) {
  IngestPaths(db(), {testing::SeedsDir()});
  const std::string bad =
      dir_.Write("bad.jsonl", Lines("n", 300) + "{\"id\":\"broken\"\n" + Lines("m", 10));
  ExpectFailure({bad}, "bad.jsonl:301: malformed JSON", ErrorCode::kInvalidInput);
  EXPECT_EQ(Count(), 5u);
  EXPECT_FALSE(fs::exists(dir_.path() / ".db.tim-staging"));
  ExpectNoDuplicateIds(db());
}

TEST_F(IngestTest, CommitEveryKeepsTheStepsBeforeAnError) {
  for (unsigned jobs : {1u, 2u}) {
    SCOPED_TRACE(jobs);
    TempDir scratch;
    const std::string path = (scratch.path() / "db").string();
    const std::string good = Lines("n", 250);
    const std::string bad = dir_.Write("bad.jsonl", good.substr(0, good.find("{\"id\":\"n240\"")) +
                                                        "{broken\n");
    IngestOptions options;
    options.jobs = jobs;
    options.commit_every = 100;
    EXPECT_THROW(IngestPaths(path, {bad}, options), Error);
    EXPECT_EQ(Searcher(path).Stats().documents, 200u);  // two whole steps
    // Running the batch again completes it, with no duplicates.
    const IngestReport report = IngestPaths(path, {dir_.Write("good.jsonl", good)}, options);
    EXPECT_EQ(report.unchanged, 200u);
    EXPECT_EQ(report.added, 50u);
    EXPECT_EQ(report.commits, 1u);  // the steps of unchanged articles write nothing
    EXPECT_EQ(Searcher(path).Stats().documents, 250u);
    ExpectNoDuplicateIds(path);
  }
}

TEST_F(IngestTest, ProgressIsReportedOnTheCallingThread) {
  const std::string file = dir_.Write("p.jsonl", Lines("p", 50));
  std::vector<IngestProgress> seen;
  IngestOptions options;
  options.on_progress = [&](const IngestProgress& p) { seen.push_back(p); };
  IngestPaths(db(), {file}, options);
  ASSERT_EQ(seen.size(), 51u);
  EXPECT_EQ(seen[49].records, 50u);
  EXPECT_FALSE(seen[49].finishing);
  EXPECT_TRUE(seen[50].finishing);
  EXPECT_EQ(seen[50].input_total, fs::file_size(file));
  EXPECT_EQ(seen[50].input_bytes, fs::file_size(file));
}

TEST_F(IngestTest, DeleteArticlesReportsUnknownIds) {
  IngestPaths(db(), {testing::SeedsDir()});
  const DeleteReport report =
      DeleteArticles(db(), {"003_f2d66ba1e9ee483f", "nope", "000_ffa5402f6aae78c4"});
  EXPECT_EQ(report.deleted,
            (std::vector<std::string>{"003_f2d66ba1e9ee483f", "000_ffa5402f6aae78c4"}));
  EXPECT_EQ(report.not_found, std::vector<std::string>{"nope"});
  EXPECT_EQ(Count(), 3u);
  const std::string missing = (dir_.path() / "no-db").string();
  EXPECT_THROW(DeleteArticles(missing, {"x"}), Error);
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace tim
