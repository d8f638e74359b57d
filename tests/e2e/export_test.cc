// `tim export` and Searcher::ForEachMatch: every match, no paging, as CSV
// (RFC 4180, read back by Python's csv module) or JSON Lines.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "fixtures.h"
#include "test_util.h"
#include "tim/error.h"
#include "tim/searcher.h"

namespace tim {
namespace {

using nlohmann::json;
using testing::RunProgram;
using testing::RunTim;
using testing::TempDir;

// Reads the CSV file argv[1] with Python's csv module and the JSON Lines
// file argv[2]; exits 0 when they hold the same records.
constexpr char kCsvMatchesJsonl[] = R"py(
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    rows = list(csv.DictReader(f))
with open(sys.argv[2], encoding='utf-8') as f:
    objects = [json.loads(line) for line in f]
def text(value):
    return '' if value is None else ('true' if value is True else 'false' if value is False else value)
expected = [{k: text(v) for k, v in o.items()} for o in objects]
if rows != expected:
    print(len(rows), len(expected), rows[:1], expected[:1])
    sys.exit(1)
print(len(rows))
)py";

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

// Exports `query` from `db` both ways, checks that the CSV reads back as
// the JSON Lines and that both hold as many articles as `tim search`
// counts; returns that count.
size_t ExpectExportsAgree(const std::string& db, const std::vector<std::string>& query,
                          const std::string& fields) {
  TempDir dir;
  std::vector<std::string> args = {"export", "--db", db, "--fields", fields};
  args.insert(args.end(), query.begin(), query.end());
  const auto jsonl = RunTim(args);
  EXPECT_EQ(jsonl.exit_code, 0) << jsonl.err;
  args.insert(args.end(), {"--format", "csv", "--bom"});
  const auto csv = RunTim(args);
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("\xEF\xBB\xBF", 0), 0u);

  std::vector<std::string> search = {"search", "--db", db, "--json", "--limit", "0"};
  search.insert(search.end(), query.begin(), query.end());
  const json response = json::parse(RunTim(search).out);
  const std::vector<json> objects = JsonLines(jsonl.out);
  EXPECT_EQ(objects.size(), response["total"].get<size_t>());
  std::set<std::string> ids;
  for (const json& object : objects) ids.insert(object["id"].get<std::string>());
  EXPECT_EQ(ids.size(), objects.size()) << "an article exported twice";

  if (!std::filesystem::exists("/usr/bin/python3")) return objects.size();
  const auto check = RunProgram("/usr/bin/python3", {"-c", kCsvMatchesJsonl,
                                                     dir.Write("out.csv", csv.out),
                                                     dir.Write("out.jsonl", jsonl.out)});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  return objects.size();
}

using ExportTest = testing::SeedCliTest;

TEST_F(ExportTest, ExportsEveryMatchAsCsvAndJsonLines) {
  EXPECT_EQ(ExpectExportsAgree(db(), {}, "all"), 5u);
  EXPECT_EQ(ExpectExportsAgree(db(), {"dam", "phan"}, "id,title,date,date_inferred,body"), 5u);
  EXPECT_GE(ExpectExportsAgree(db(), {"\"liên minh châu âu\""}, "all"), 1u);
  EXPECT_GE(ExpectExportsAgree(db(), {"--from", "2025", "Nga"}, "id,date"), 1u);
  EXPECT_EQ(ExpectExportsAgree(db(), {"khongcotu"}, "id"), 0u);
  // Match auto relaxes a long question, and a query no article has every
  // word of: export walks the same set as search counts.
  EXPECT_GE(ExpectExportsAgree(db(), {"ai là người phát ngôn điện Kremlin về biên giới"}, "id"),
            1u);
  EXPECT_GE(ExpectExportsAgree(db(), {"Kremlin", "khongcotu"}, "id"), 1u);
}

TEST_F(ExportTest, CsvQuotesPerRfc4180) {
  const auto csv = RunTim({"export", "--db", db(), "--format", "csv", "--fields", "id,title,body"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("id,title,body\r\n", 0), 0u) << csv.out.substr(0, 40);
  EXPECT_NE(csv.out.find(",\""), std::string::npos);  // titles hold commas
}

TEST_F(ExportTest, BadFieldsAndFormatsAreUsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--fields", "id,nope"}, {"--format", "xml"}, {"--bom"}}) {
    std::vector<std::string> command = {"export", "--db", db()};
    command.insert(command.end(), args.begin(), args.end());
    const auto result = RunTim(command);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_EQ(result.err.rfind("tim: error: ", 0), 0u) << result.err;
  }
}

TEST_F(ExportTest, ForEachMatchStopsWhenAsked) {
  const Searcher searcher(db());
  SearchRequest all;
  std::vector<std::string> ids;
  EXPECT_EQ(searcher.ForEachMatch(all, [&](const Article& article) {
    ids.push_back(article.id);
    return true;
  }), 5u);
  EXPECT_EQ(ids.size(), 5u);
  size_t seen = 0;
  EXPECT_EQ(searcher.ForEachMatch(all, [&](const Article&) { return ++seen < 2; }), 2u);
  // A phrase goes through Xapian's matcher rather than the match walk.
  SearchRequest phrase;
  phrase.query = "\"đàm phán\"";
  seen = 0;
  EXPECT_EQ(searcher.ForEachMatch(phrase, [&](const Article&) { return ++seen < 2; }), 2u);
  EXPECT_THROW(searcher.ForEachMatch(phrase, [](const Article&) -> bool {
    throw Error(ErrorCode::kIo, "visit failed");
  }), Error);
}

}  // namespace

// Export on the corpus sample: counts equal the totals of search for
// word, phrase, negated and filtered queries, and the CSV (bodies with
// quotes and line breaks) reads back through Python's csv module.
TEST(CorpusExportTest, CountsEqualSearchTotalsAndCsvRoundTrips) {
  const auto sample = testing::CorpusSamplePath();
  if (!sample) GTEST_SKIP() << testing::kNoCorpusMessage;
  const std::string db = testing::CachedSampleDatabase(*sample);
  EXPECT_GT(ExpectExportsAgree(db, {"kinh", "tế"}, "all"), 10u);
  ExpectExportsAgree(db, {"\"biên giới\""}, "id,title,date");
  ExpectExportsAgree(db, {"Nga -Ukraine"}, "id,source");
  ExpectExportsAgree(db, {"--filter", "year=2025", "--source", "VnExpress", "chính phủ"}, "id,date,source");
}

}  // namespace tim
