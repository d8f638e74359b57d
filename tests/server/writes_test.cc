// `tim serve` and a changing database: writes through the API (only with
// --allow-writes, under the writers' lock), and changes made by other
// processes, which the next request must see.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <string>

#include "server_process.h"
#include "test_util.h"
#include "tim/index_writer.h"

namespace tim::testing {
namespace {

using nlohmann::json;

json Body(const std::string& text) {
  json body = json::parse(text);
  body.erase("took_ms");
  return body;
}

// `count` JSON Lines articles "PREFIX-i" from `source`, dated `date`.
std::string Articles(const std::string& prefix, int count, const std::string& source,
                     const std::string& date) {
  std::string lines;
  for (int i = 0; i < count; ++i) {
    lines += json({{"id", prefix + "-" + std::to_string(i)},
                   {"source", source},
                   {"date", date},
                   {"title", "Đàm phán thương mại " + prefix + " số " + std::to_string(i)},
                   {"body", "Hai bên tiếp tục đàm phán về thuế quan và chuỗi cung ứng, lần thứ " +
                                std::to_string(i) + " của đợt " + prefix +
                                ". Các chuyên gia nhận định tiến triển còn chậm."}})
                 .dump() +
             "\n";
  }
  return lines;
}

class ServeWritesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "db").string();
    ASSERT_EQ(RunTim({"ingest", "--db", db_, SeedsDir()}).exit_code, 0);
  }

  int Documents() const {
    return json::parse(RunTim({"stats", "--db", db_, "--json"}).out)["documents"];
  }

  // What the server answers now is what a fresh `tim search` process sees:
  // totals, hits in date order, and the source, year and month counts.
  void ExpectServerSeesTheDatabase(ServerProcess& server, const std::string& when) {
    const auto result = server.Client().Get(
        "/api/search?q=dam+phan&facets=source,year,month&sort=date&limit=50");
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200) << result->body;
    const CommandResult cli = RunTim({"search", "--db", db_, "--json", "--facets",
                                      "source,year,month", "--sort", "date", "--limit", "50",
                                      "dam", "phan"});
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    const json served = Body(result->body), fresh = Body(cli.out);
    if (served["total"] != fresh["total"] || served["facets"] != fresh["facets"]) {
      ADD_FAILURE() << when << ": the server answers total " << served["total"] << ", "
                    << served["facets"]["year"] << "; tim search: " << fresh["total"] << ", "
                    << fresh["facets"]["year"];
      return;
    }
    EXPECT_EQ(served, fresh) << when;
    const json stats = json::parse(server.Client().Get("/api/stats")->body);
    EXPECT_EQ(stats["documents"], Documents()) << when;
  }

  TempDir dir_;
  std::string db_;
};

ino_t Inode(const std::string& path) {
  struct stat status {};
  stat(path.c_str(), &status);
  return status.st_ino;
}

TEST_F(ServeWritesTest, IngestAndDeleteThroughTheApi) {
  ServerProcess server({"--db", db_, "--allow-writes"});
  auto client = server.Client();
  const auto added = client.Post("/api/ingest?source=VTV",
                                 Articles("api", 2, "", "2024-05-01") +
                                     "{\"body\": \"Bài không có mã số.\"}\n",
                                 "application/x-ndjson");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 200) << added->body;
  const json summary = json::parse(added->body);
  EXPECT_EQ(summary["added"], 3);
  EXPECT_EQ(summary["errors"], 0);
  EXPECT_EQ(Documents(), 8);
  EXPECT_EQ(json::parse(client.Get("/healthz")->body)["documents"], 8);
  // The default publisher came from the URL, the default id names the body.
  const json article = json::parse(RunTim({"show", "--db", db_, "--json", "api-0"}).out);
  EXPECT_EQ(article["source"], "VTV");
  EXPECT_EQ(RunTim({"show", "--db", db_, "request:3"}).exit_code, 0);

  const auto deleted = client.Delete("/api/articles/api-0");
  ASSERT_EQ(deleted->status, 200) << deleted->body;
  EXPECT_EQ(json::parse(deleted->body)["deleted"], json::array({"api-0"}));
  EXPECT_EQ(Documents(), 7);
  EXPECT_EQ(json::parse(client.Get("/healthz")->body)["documents"], 7);
  const auto again = client.Delete("/api/articles/api-0");
  EXPECT_EQ(again->status, 404);
  EXPECT_EQ(json::parse(again->body)["code"], "not_found");
  EXPECT_EQ(json::parse(client.Get("/healthz")->body)["writes"], true);
}

TEST_F(ServeWritesTest, ABadLineAbortsTheWholeBatch) {
  ServerProcess server({"--db", db_, "--allow-writes"});
  const std::string body = Articles("bad", 1, "VTV", "2024") + "{\"id\": \"x\"\n";
  const auto refused = server.Client().Post("/api/ingest", body, "application/x-ndjson");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  const json error = json::parse(refused->body);
  EXPECT_EQ(error["code"], "invalid_input");
  // Named as the body, never by the server's temporary file.
  EXPECT_EQ(error["error"].get<std::string>().rfind("request.jsonl:2: ", 0), 0u) << error;
  EXPECT_EQ(Documents(), 5);
  const auto skipped =
      server.Client().Post("/api/ingest?skip_bad=true", body, "application/x-ndjson");
  ASSERT_EQ(skipped->status, 200) << skipped->body;
  EXPECT_EQ(json::parse(skipped->body)["errors"], 1);
  EXPECT_EQ(json::parse(skipped->body)["warnings"][0].get<std::string>().rfind("request.jsonl:2:", 0),
            0u);
  EXPECT_EQ(Documents(), 6);
  EXPECT_EQ(server.Client().Post("/api/ingest?jobs=2", body, "application/x-ndjson")->status, 400);
}

TEST_F(ServeWritesTest, ALockedDatabaseIs409) {
  ServerProcess server({"--db", db_, "--allow-writes"});
  {
    IndexWriter other_writer(db_);  // holds the writers' lock
    const auto ingest =
        server.Client().Post("/api/ingest", Articles("l", 1, "VTV", "2024"), "application/x-ndjson");
    ASSERT_TRUE(ingest);
    EXPECT_EQ(ingest->status, 409) << ingest->body;
    EXPECT_EQ(json::parse(ingest->body)["code"], "database_locked");
    const auto remove = server.Client().Delete("/api/articles/001_6255338c2fb240fd");
    EXPECT_EQ(remove->status, 409) << remove->body;
  }
  EXPECT_EQ(Documents(), 5);
  EXPECT_EQ(server.Client()
                .Post("/api/ingest", Articles("l", 1, "VTV", "2024"), "application/x-ndjson")
                ->status,
            200);
}

// A long-lived server sees every commit of other processes, in place or
// swapped in (Searcher follows the database's UUID and revision).
TEST_F(ServeWritesTest, SeesDeletesOfOtherProcesses) {
  ServerProcess server({"--db", db_});
  ExpectServerSeesTheDatabase(server, "at start");
  ASSERT_EQ(RunTim({"delete", "--db", db_, "004_620e17e2059e22f6", "001_6255338c2fb240fd"})
                .exit_code,
            0);
  ExpectServerSeesTheDatabase(server, "after tim delete");
}

TEST_F(ServeWritesTest, SeesIngestsOfOtherProcesses) {
  ServerProcess server({"--db", db_});
  ExpectServerSeesTheDatabase(server, "at start");

  // A small batch is committed in place.
  const std::string one = dir_.Write("one.jsonl", Articles("direct", 1, "VTV", "2019-03-04"));
  const ino_t before = Inode(db_);
  ASSERT_EQ(RunTim({"ingest", "--db", db_, "--jobs", "2", one}).exit_code, 0);
  ASSERT_EQ(Inode(db_), before) << "expected an in-place commit";
  ExpectServerSeesTheDatabase(server, "after an in-place commit");

  // A batch large next to the database is built beside it and swapped in:
  // a new database (a new UUID) whose revision numbers start again.
  const std::string many = dir_.Write("many.jsonl", Articles("staged", 150, "Dân trí", "2018-07"));
  ASSERT_EQ(RunTim({"ingest", "--db", db_, "--jobs", "2", many}).exit_code, 0);
  ASSERT_NE(Inode(db_), before) << "expected a staged swap";
  ExpectServerSeesTheDatabase(server, "after a staged swap");

  // In place again: the new database reaches a revision the old one had.
  const std::string two = dir_.Write("two.jsonl", Articles("again", 1, "VTV", "2017"));
  ASSERT_EQ(RunTim({"ingest", "--db", db_, "--jobs", "2", two}).exit_code, 0);
  ExpectServerSeesTheDatabase(server, "after an in-place commit on the swapped database");
  EXPECT_EQ(server.Stop(), 0);
}

// Found by the test above, not a server bug: after a staged batch is merged
// into an existing database, deleting any article makes date-sorted
// searches fail with "the database is corrupt (Unexpected end of posting
// list for 'dam')" (xapian-check finds no error; relevance order works).
// Same with `tim search --sort date` alone. Enable once fixed.
TEST_F(ServeWritesTest, DateSortAfterAStagedMergeAndADelete) {
  const std::string many = dir_.Write("many.jsonl", Articles("staged", 40, "Dân trí", "2018-07"));
  ASSERT_EQ(RunTim({"ingest", "--db", db_, "--jobs", "2", many}).exit_code, 0);
  ASSERT_EQ(RunTim({"delete", "--db", db_, "staged-3"}).exit_code, 0);
  const CommandResult sorted =
      RunTim({"search", "--db", db_, "--sort", "date", "--facets", "none", "dam", "phan"});
  EXPECT_EQ(sorted.exit_code, 0) << sorted.err;
}

}  // namespace
}  // namespace tim::testing
