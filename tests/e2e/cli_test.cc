// The real `tim` binary: its JSON contract, exit codes and error lines.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixtures.h"
#include "test_util.h"

namespace tim {
namespace {

using nlohmann::json;
using testing::ExpectOneLineError;
using testing::RunTim;
using testing::TempDir;

using CliTest = testing::SeedCliTest;

// Regression: a batch into an empty database is built beside it and
// swapped in, which once dropped the repository's index/README.md.
TEST(CliIngestTest, KeepsOtherFilesInTheDatabaseDirectory) {
  TempDir dir;
  const std::string db = (dir.path() / "index").string();
  dir.Write("index/README.md", "the default database\n");
  for (int round = 0; round < 2; ++round) {
    const auto result = RunTim({"ingest", "--db", db, testing::SeedsDir()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(testing::ReadFile(db + "/README.md"), "the default database\n");
  }
}

TEST_F(CliTest, SearchJsonHasTheContractFields) {
  const json response = SearchJson({"dam", "phan"});
  EXPECT_EQ(response["query"], "dam phan");
  EXPECT_EQ(response["total"], 5);
  ASSERT_EQ(response["hits"].size(), 5u);
  for (const json& hit : response["hits"]) {
    for (const char* field : {"rank", "id", "title", "source", "date", "score", "snippet"}) {
      EXPECT_TRUE(hit.contains(field)) << field;
    }
    EXPECT_NE(hit["snippet"].get<std::string>().find("<mark>"), std::string::npos);
  }
  EXPECT_EQ(response["hits"][0]["rank"], 1);
  for (const char* facet : {"source", "year", "month"}) {
    int sum = 0;
    for (const json& value : response["facets"][facet]) sum += value["count"].get<int>();
    EXPECT_EQ(sum, 5) << facet;
  }
  EXPECT_TRUE(response["took_ms"].is_number());
}

TEST_F(CliTest, UnaccentedQueriesGetAnAccentedSuggestion) {
  EXPECT_EQ(SearchJson({"lien", "minh", "chau", "au"})["suggestion"], "liên minh châu âu");
  EXPECT_TRUE(SearchJson({"đàm", "phán"})["suggestion"].is_null());
  EXPECT_TRUE(SearchJson({"--no-suggest", "dam", "phan"})["suggestion"].is_null());
  const auto human = RunTim({"search", "--db", db(), "dam", "phan"});
  EXPECT_NE(human.out.find("Did you mean: đàm phán"), std::string::npos) << human.out;
}

TEST_F(CliTest, UndatedHitsHaveNullDateAndInferredDatesSaySo) {
  // Seed 000 has no date anywhere; seed 003's text says "tháng 6/2024".
  const json undated = SearchJson({"Jaeger"});
  ASSERT_EQ(undated["hits"].size(), 1u);
  EXPECT_TRUE(undated["hits"][0]["date"].is_null());
  const json inferred = SearchJson({"Kursk"});
  ASSERT_EQ(inferred["hits"].size(), 1u);
  EXPECT_EQ(inferred["hits"][0]["date"], "2024-06");
  EXPECT_EQ(inferred["hits"][0]["date_inferred"], true);
}

TEST_F(CliTest, FromFilterAndFacetSelection) {
  const json response = SearchJson({"--from", "2025-01", "--facets", "year", "dam phan"});
  EXPECT_EQ(response["total"], 1);
  EXPECT_EQ(response["hits"][0]["date"], "2025-10-28");
  EXPECT_TRUE(response["facets"].contains("year"));
  EXPECT_FALSE(response["facets"].contains("source"));
  EXPECT_TRUE(SearchJson({"--facets", "none", "Nga"})["facets"].empty());
}

TEST_F(CliTest, ReingestKeepsFiveDocuments) {
  const auto again = RunTim({"ingest", "--db", db(), "--json", testing::SeedsDir()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["unchanged"], 5);
  const auto stats = RunTim({"stats", "--db", db(), "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(json::parse(stats.out)["documents"], 5);
}

TEST_F(CliTest, HumanOutputListsHitsAndFacets) {
  const auto result = RunTim({"search", "--db", db(), "Kursk"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("1 results"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Kursk"), std::string::npos);
  EXPECT_NE(result.out.find("source:"), std::string::npos);
  EXPECT_EQ(result.out.find("\033["), std::string::npos);  // no colour in a pipe
}

TEST_F(CliTest, ShowPrintsTheStoredArticle) {
  const auto result = RunTim({"show", "--db", db(), "--json", "004_620e17e2059e22f6"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json article = json::parse(result.out);
  EXPECT_EQ(article["date"], "2023-08");
  EXPECT_NE(article["body"].get<std::string>().find("Yermak"), std::string::npos);
}

TEST_F(CliTest, ErrorsAreOneLineWithNonZeroExit) {
  ExpectOneLineError({"search", "--db", (dir_.path() / "missing").string(), "x"}, "missing");
  ExpectOneLineError({"search", "--db", db(), "--from", "2023-13", "x"}, "month");
  ExpectOneLineError({"search", "--db", db(), "--strict", "\"đàm phán"}, "unbalanced quote");
  ExpectOneLineError({"search", "--db", db(), "--sort", "sideways", "x"}, "--sort");
  ExpectOneLineError({"show", "--db", db(), "nope"}, "nope");
  const std::string bad = dir_.Write("bad.jsonl", "{\"id\": 1,\n");
  ExpectOneLineError({"ingest", "--db", db(), bad}, "bad.jsonl:1");
  ExpectOneLineError({"ingest", "--db", db(), (dir_.path() / "absent").string()}, "absent");
  const auto stats = RunTim({"stats", "--db", db(), "--json"});
  EXPECT_EQ(json::parse(stats.out)["documents"], 5);  // nothing lost
}

// Hardening finding 14: ids and titles reach the terminal escaped, so a
// record can neither forge output lines nor send escape sequences.
TEST_F(CliTest, HostileIdsAndTitlesAreShownEscaped) {
  const std::string hostile = dir_.Write(
      "hostile.jsonl",
      R"({"id":"evil\u202eforged\u200f","title":"Kursk \u001b]0;owned\u0007\u202e",)"
      R"("body":"Kursk giữa dòng\n\u001b[31m đỏ"})" "\n");
  ASSERT_EQ(RunTim({"ingest", "--db", db(), hostile}).exit_code, 0);
  const std::string id = "evil\u202eforged\u200f";
  const auto human = RunTim({"search", "--db", db(), "Kursk", "--limit", "20"});
  EXPECT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("Kursk \\x1b]0;owned\\x07\\u202e"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("evil\\u202eforged\\u200f"), std::string::npos);
  EXPECT_EQ(human.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(human.out.find("\ntim: error"), std::string::npos);
  const auto shown = RunTim({"show", "--db", db(), id});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out.find('\x1b'), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("dòng\n\\x1b[31m"), std::string::npos) << shown.out;  // lines kept
  // An error quoting the id is still one line.
  ExpectOneLineError({"show", "--db", db(), id + "\nx"}, "evil\\u202eforged\\u200f\\x0ax");
  // JSON escapes by itself: the id reads back exactly.
  const json hits = SearchJson({"Kursk", "--limit", "20"});
  bool found = false;
  for (const json& hit : hits["hits"]) found = found || hit["id"] == id;
  EXPECT_TRUE(found) << hits.dump();
}

// A copy of the seeds database with one table damaged by `damage`.
std::string DamagedCopy(const std::string& db, const std::string& name,
                        const std::string& table, bool truncate) {
  namespace fs = std::filesystem;
  const std::string copy = db + "-" + name;
  fs::copy(db, copy, fs::copy_options::recursive);
  const fs::path file = fs::path(copy) / (table + ".glass");
  std::string bytes = testing::ReadFile(file.string());
  if (truncate) {
    bytes.resize(bytes.size() / 2);
  } else {
    for (size_t i = 0; i < bytes.size(); i += 97) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  }
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  return copy;
}

// Hardening: every reading command on a corrupt or truncated database
// either fails with one line naming the table and xapian-check, or (when
// it reads no damaged block) answers exactly as on the undamaged database:
// never a crash, a Xapian message or a wrong answer.
TEST_F(CliTest, CorruptOrTruncatedTablesFailWithOneLine) {
  const std::vector<std::vector<std::string>> commands = {
      {"search", "Kursk"},
      {"search", "--json", "dam phan"},
      {"stats", "--json"},
      {"show", "004_620e17e2059e22f6"},
      {"similar", "004_620e17e2059e22f6"}};
  const auto run = [](std::vector<std::string> command, const std::string& db) {
    command.insert(command.begin() + 1, {"--db", db});
    return RunTim(command);
  };
  int failures = 0;
  for (const std::string table : {"postlist", "termlist", "docdata"}) {
    for (const bool truncate : {true, false}) {
      const std::string copy =
          DamagedCopy(db(), table + (truncate ? "-truncated" : "-flipped"), table, truncate);
      for (const auto& command : commands) {
        SCOPED_TRACE(copy + " " + command[0]);
        const auto result = run(command, copy);
        if (result.exit_code == 0) {
          auto expected = run(command, db()).out;
          auto actual = result.out;
          if (command[0] == "stats") {  // the path and size differ by design
            expected = json::parse(expected)["documents"].dump();
            actual = json::parse(actual)["documents"].dump();
          }
          EXPECT_EQ(actual, expected);
          continue;
        }
        ++failures;
        EXPECT_NE(result.err.find(table + ".glass is corrupt"), std::string::npos) << result.err;
        EXPECT_NE(result.err.find("run xapian-check " + copy), std::string::npos) << result.err;
        EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
      }
    }
  }
  EXPECT_GE(failures, 20);  // most damage is met, and named
}

// Hardening 15: writing into a damaged database crashed inside Xapian (an
// untranslated Xapian error from the duplicate check) or said "EOF
// reading block 6". Every write now fails with one line naming the table
// and xapian-check, and leaves the damaged files as they were.
TEST_F(CliTest, WritesToCorruptOrTruncatedTablesFailWithOneLine) {
  const std::string batch = dir_.Write(
      "new.jsonl", R"({"id":"n1","body":"Bài mới về đàm phán."})" "\n"
                   R"({"id":"n2","body":"Bài mới nữa."})" "\n");
  const std::vector<std::vector<std::string>> commands = {
      {"ingest", "--jobs", "1", batch},
      {"ingest", "--jobs", "2", batch},
      {"delete", "004_620e17e2059e22f6"}};
  for (const std::string table : {"postlist", "termlist", "docdata"}) {
    for (const bool truncate : {true, false}) {
      for (size_t i = 0; i < commands.size(); ++i) {
        const std::vector<std::string>& command = commands[i];
        const std::string copy = DamagedCopy(
            db(), table + (truncate ? "-truncated-" : "-flipped-") + std::to_string(i), table,
            truncate);
        const std::string file = copy + "/" + table + ".glass";
        const std::string damaged = testing::ReadFile(file);
        std::vector<std::string> args = command;
        args.insert(args.begin() + 1, {"--db", copy});
        SCOPED_TRACE(copy + " " + command[0] + " " + command[1]);
        const auto result = RunTim(args);
        EXPECT_EQ(result.exit_code, 1) << result.err;
        EXPECT_NE(result.err.find(table + ".glass is corrupt"), std::string::npos) << result.err;
        EXPECT_NE(result.err.find("run xapian-check " + copy), std::string::npos) << result.err;
        EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
        EXPECT_EQ(testing::ReadFile(file), damaged);
      }
    }
  }
}

TEST_F(CliTest, UnbalancedQuoteWarnsWithoutStrict) {
  const auto result = RunTim({"search", "--db", db(), "--json", "\"đàm phán"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json response = json::parse(result.out);
  EXPECT_EQ(response["total"], 5);
  EXPECT_EQ(response["warnings"].size(), 1u);
}

TEST_F(CliTest, BatchPrintsOneJsonObjectPerQuery) {
  const std::string queries =
      dir_.Write("queries.txt", "dam phan\n\nKursk\n(unbalanced\nNATO date:2025\n");
  const auto result = RunTim({"search", "--db", db(), "--batch", queries, "--facets", "year"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::vector<json> responses;
  for (std::string line; std::getline(lines, line);) responses.push_back(json::parse(line));
  ASSERT_EQ(responses.size(), 4u);  // the blank line is skipped
  EXPECT_EQ(responses[0]["total"], 5);
  EXPECT_EQ(responses[1]["total"], 1);
  EXPECT_EQ(responses[2]["warnings"].size(), 1u);
  EXPECT_EQ(responses[3]["total"], 1);
  EXPECT_TRUE(responses[3]["facets"].contains("year"));
}

TEST_F(CliTest, BatchReportsFailedQueriesAndGoesOn) {
  const std::string queries = dir_.Write("queries.txt", "\"đàm phán\nKursk\n");
  const auto result = RunTim({"search", "--db", db(), "--strict", "--batch", queries});
  EXPECT_EQ(result.exit_code, 1);
  std::istringstream lines(result.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(json::parse(first)["code"], "invalid_argument");
  EXPECT_EQ(json::parse(second)["total"], 1);
}

// Hardening finding 3: a query of ~10,000 nested parentheses crashed the
// process, and every later query of the batch was lost.
TEST_F(CliTest, BatchGoesOnAfterDeeplyNestedParentheses) {
  const std::string deep = std::string(4000, '(') + "Kursk" + std::string(4000, ')');
  for (const char* strict : {"--no-suggest", "--strict"}) {
    const std::string queries = dir_.Write("deep.txt", deep + "\nKursk\n");
    const auto result = RunTim({"search", "--db", db(), strict, "--batch", queries});
    std::istringstream lines(result.out);
    std::vector<json> responses;
    for (std::string line; std::getline(lines, line);) responses.push_back(json::parse(line));
    ASSERT_EQ(responses.size(), 2u) << result.err;
    EXPECT_EQ(responses[1]["total"], 1);
  }
}

TEST_F(CliTest, FilterAndSourceOptionsLeaveTheQueryAlone) {
  const json response =
      SearchJson({"--filter", "year=2023", "--filter", "year=2025", "--source", "unknown", "dam", "phan"});
  EXPECT_EQ(response["query"], "dam phan");
  EXPECT_EQ(response["total"], 2);
  const auto bad = RunTim({"search", "--db", db(), "--filter", "year", "x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("FACET=VALUE"), std::string::npos) << bad.err;
}

TEST_F(CliTest, SimilarExcludesTheArticleItself) {
  const auto result = RunTim({"similar", "--db", db(), "--json", "001_6255338c2fb240fd"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json response = json::parse(result.out);
  EXPECT_GE(response["total"].get<int>(), 1);
  for (const json& hit : response["hits"]) EXPECT_NE(hit["id"], "001_6255338c2fb240fd");
  EXPECT_NE(RunTim({"similar", "--db", db(), "nope"}).exit_code, 0);
}

}  // namespace
}  // namespace tim
