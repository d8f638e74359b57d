// `tim ingest` and `tim delete` as separate processes: the lock held by a
// running writer, SIGKILL in the middle of a batch, standard input, deleting
// and the report's JSON fields.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.h"
#include "test_util.h"
#include "tim/searcher.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunTim;
using testing::ExpectNoDuplicateIds;
using testing::Child;
using testing::SyntheticBatch;
using testing::TempDir;
using testing::WaitUntil;

// True if some process holds a write lock on the database (without taking
// it: Xapian locks the flintlock file with fcntl).
bool WriteLocked(const std::string& db) {
  const int fd = open((fs::path(db) / "flintlock").c_str(), O_RDWR);
  if (fd < 0) return false;
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  const bool locked = fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  close(fd);
  return locked;
}

uint64_t DocumentCount(const std::string& db) {
  return Xapian::Database(db).get_doccount();
}

// xapian-check (xapian-tools) finds nothing wrong with the database.
void ExpectXapianCheckPasses(const std::string& db) {
  if (!fs::exists("/usr/bin/xapian-check")) {
    GTEST_SKIP() << "xapian-check not installed (Debian package xapian-tools)";
  }
  const std::string command = "/usr/bin/xapian-check '" + db + "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

class IngestCliTest : public testing::DatabaseTest {
 protected:
  std::string Staging() const { return (dir_.path() / ".db.tim-staging").string(); }
};

TEST_F(IngestCliTest, SecondWriterIsToldTheDatabaseIsLockedAtOnce) {
  Child first({"ingest", "--db", db(), "-"}, dir_, /*pipe_stdin=*/true);
  ASSERT_TRUE(WaitUntil(first, [&] { return WriteLocked(db()); })) << first.err();

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"ingest", "--db", db(), testing::SeedsDir()},
        std::vector<std::string>{"delete", "--db", db(), "x"}}) {
    const auto result = RunTim(args);
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_NE(result.err.find("locked by another writer"), std::string::npos)
        << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }

  first.WriteInput(R"({"id":"x","body":"Một bài từ stdin."})" "\n");
  first.CloseInput();
  const int status = first.Wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << first.err();
  EXPECT_NE(first.out().find("added 1,"), std::string::npos) << first.out();
  EXPECT_EQ(DocumentCount(db()), 1u);
}

TEST_F(IngestCliTest, KilledBetweenStepsKeepsWholeStepsAndResumes) {
  constexpr size_t kArticles = 3000, kStep = 500;
  const std::string batch = dir_.Write("batch.jsonl", SyntheticBatch(kArticles));
  {
    Child child({"ingest", "--db", db(), "--commit-every", std::to_string(kStep), batch},
                dir_, /*pipe_stdin=*/false);
    const bool mid_way = WaitUntil(child, [&] {
      return fs::exists(fs::path(db()) / "iamglass") && DocumentCount(db()) > 0;
    });
    kill(child.pid(), SIGKILL);
    child.Wait();
    if (!mid_way) std::cerr << "note: ingest finished before it could be killed\n";
  }
  const uint64_t kept = DocumentCount(db());
  EXPECT_EQ(kept % kStep, 0u) << "a step was half committed";
  ExpectXapianCheckPasses(db());

  const auto again = RunTim({"ingest", "--db", db(), "--json",
                             "--commit-every", std::to_string(kStep), batch});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const json report = json::parse(again.out);
  EXPECT_EQ(report["unchanged"], kept);
  EXPECT_EQ(report["added"], kArticles - kept);
  EXPECT_EQ(DocumentCount(db()), kArticles);
  ExpectNoDuplicateIds(db());
  ExpectXapianCheckPasses(db());
}

TEST_F(IngestCliTest, KilledWhileBuildingShardsLeavesTheDatabaseAsItWas) {
  ASSERT_EQ(RunTim({"ingest", "--db", db(), testing::SeedsDir()}).exit_code, 0);
  const std::string batch = dir_.Write("batch.jsonl", SyntheticBatch(3000));
  {
    Child child({"ingest", "--db", db(), "--jobs", "2", batch}, dir_,
                /*pipe_stdin=*/false);
    // Kill once a shard has committed part of its documents.
    const fs::path shard = fs::path(Staging()) / "shard0" / "iamglass";
    const bool mid_way = WaitUntil(child, [&] {
      std::error_code ec;
      return fs::exists(shard, ec) &&
             fs::file_size(fs::path(Staging()) / "shard0" / "postlist.glass", ec) > 0;
    });
    kill(child.pid(), SIGKILL);
    child.Wait();
    if (!mid_way) std::cerr << "note: ingest finished before it could be killed\n";
    if (!mid_way) GTEST_SKIP() << "too fast to interrupt";
  }
  EXPECT_EQ(DocumentCount(db()), 5u);
  ExpectXapianCheckPasses(db());

  const auto again = RunTim({"ingest", "--db", db(), "--json", batch});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["added"], 3000);
  EXPECT_EQ(DocumentCount(db()), 3005u);
  EXPECT_FALSE(fs::exists(Staging()));
  ExpectNoDuplicateIds(db());
}

TEST_F(IngestCliTest, StandardInputAndTheJsonReport) {
  const std::string input = dir_.Write(
      "in.jsonl", R"({"id":"a","body":"Giá vàng tăng."})" "\n"
                  R"({"id":"b","body":"Giá  vàng tăng."})" "\n{bad\n");
  Child child({"ingest", "--db", db(), "--json", "--skip-bad", "-"}, dir_,
              /*pipe_stdin=*/false, input);
  const int status = child.Wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << child.err();
  EXPECT_EQ(child.err(), "");  // no progress display in a pipe
  const json report = json::parse(child.out());
  for (const char* field :
       {"added", "replaced", "unchanged", "duplicates", "skipped", "errors", "records",
        "commits", "input_bytes", "warnings", "warnings_omitted", "elapsed_seconds",
        "docs_per_second", "mb_per_second"}) {
    EXPECT_TRUE(report.contains(field)) << field;
  }
  EXPECT_EQ(report["added"], 2);
  EXPECT_EQ(report["duplicates"], 1);
  EXPECT_EQ(report["errors"], 1);
  EXPECT_EQ(report["skipped"], 1);
  EXPECT_EQ(report["records"], 3);
  ASSERT_EQ(report["warnings"].size(), 2u);  // in input order
  EXPECT_EQ(report["warnings"][0], "<stdin>:2: same body as article 'a'");
  EXPECT_TRUE(report["warnings"][1].get<std::string>().starts_with(
      "<stdin>:3: malformed JSON: "))
      << report["warnings"][1];
}

TEST_F(IngestCliTest, HumanSummaryAndWarningsOnStderr) {
  const std::string file = dir_.Write("x.jsonl", "{\"id\":\"a\",\"body\":\"H\xe0\"}\n");
  const auto result = RunTim({"ingest", "--db", db(), "--invalid-utf8=repair", file});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out.starts_with(
      "added 1, replaced 0, unchanged 0, duplicates 0, skipped 0, errors 0 in "))
      << result.out;
  EXPECT_NE(result.out.find(" docs/s, "), std::string::npos) << result.out;
  EXPECT_TRUE(result.err.starts_with("tim: warning: " + file + ":1: invalid UTF-8"))
      << result.err;
  const auto wrong = RunTim({"ingest", "--db", db(), "--invalid-utf8=fix", file});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("--invalid-utf8: invalid UTF-8 handling must be error, skip or repair"), std::string::npos)
      << wrong.err;
}

TEST_F(IngestCliTest, DeleteRemovesAtOnceAndNamesUnknownIds) {
  ASSERT_EQ(RunTim({"ingest", "--db", db(), testing::SeedsDir()}).exit_code, 0);
  const auto result =
      RunTim({"delete", "--db", db(), "003_f2d66ba1e9ee483f", "no-such-id"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "deleted 1, not found 1\n");
  EXPECT_EQ(result.err, "tim: error: no article with id 'no-such-id' in " + db() + "\n");
  const auto stats = RunTim({"stats", "--db", db(), "--json"});
  EXPECT_EQ(json::parse(stats.out)["documents"], 4);

  const auto lenient = RunTim({"delete", "--db", db(), "--missing-ok", "--json",
                               "000_ffa5402f6aae78c4", "003_f2d66ba1e9ee483f"});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_EQ(json::parse(lenient.out),
            json::parse(R"({"deleted":["000_ffa5402f6aae78c4"],)"
                        R"("not_found":["003_f2d66ba1e9ee483f"]})"));
  EXPECT_EQ(DocumentCount(db()), 3u);

  const std::string missing = (dir_.path() / "typo").string();
  const auto nodb = RunTim({"delete", "--db", missing, "x"});
  EXPECT_EQ(nodb.exit_code, 1);
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace tim
