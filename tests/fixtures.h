// fixtures.h: the GoogleTest fixtures many suites share.
#ifndef TIM_TESTS_FIXTURES_H_
#define TIM_TESTS_FIXTURES_H_

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_util.h"

namespace tim::testing {

// Runs `tim ARGS...` expecting it to fail with one line on stderr that
// holds `needle` and no Xapian internals; returns what it printed.
inline CommandResult ExpectOneLineError(const std::vector<std::string>& args,
                                        const std::string& needle) {
  const CommandResult result = RunTim(args);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_EQ(result.err.find("Xapian"), std::string::npos) << result.err;
  return result;
}

// A test with a temporary directory, removed after it, and the path of a
// database in it, which the test makes.
class DatabaseTest : public ::testing::Test {
 protected:
  std::string db() const { return (dir_.path() / "db").string(); }

  TempDir dir_;
};

// The real `tim` on a database of the five seed articles, made by
// `tim ingest` before each test.
class SeedCliTest : public DatabaseTest {
 protected:
  void SetUp() override {
    const CommandResult result = RunTim({"ingest", "--db", db(), SeedsDir()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  // `tim search --db DB --json ARGS...`, expected to succeed.
  nlohmann::json SearchJson(std::vector<std::string> args) const {
    args.insert(args.begin(), {"search", "--db", db(), "--json"});
    const CommandResult result = RunTim(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out);
  }
};

// A test on the corpus sample's database (built once per run), opened as
// `db_`; skipped, saying why, where the sample is absent.
class SampleDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto sample = CorpusSamplePath();
    if (!sample) GTEST_SKIP() << kNoCorpusMessage;
    db_ = Xapian::Database(CachedSampleDatabase(*sample));
  }

  Xapian::Database db_;
};

}  // namespace tim::testing

#endif  // TIM_TESTS_FIXTURES_H_
