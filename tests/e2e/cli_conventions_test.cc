// The `tim` binary's command-line conventions: exit code 2 and one
// `tim: error:` line for a bad command line, --version, --color and
// NO_COLOR, the program's name in usage, facets in the order asked for.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "test_util.h"
#include "tim/version.h"

namespace tim {
namespace {

using testing::RunProgram;
using testing::RunTim;
using testing::TempDir;

class CliConventionsTest : public testing::SeedCliTest {
 protected:
  // Runs tim with NO_COLOR=`no_color` on a pseudo-terminal (util-linux
  // `script`), where --color auto colours unless told not to.
  testing::CommandResult RunOnTerminal(const std::string& no_color,
                                       const std::string& args) {
    if (!std::filesystem::exists("/usr/bin/script")) return {};
    return RunProgram("/usr/bin/env",
                      {"NO_COLOR=" + no_color, "/usr/bin/script", "-qec",
                       std::string(TIM_BINARY) + " " + args, "/dev/null"});
  }
};

void ExpectUsageError(const std::vector<std::string>& args, const std::string& needle) {
  const auto result = testing::ExpectOneLineError(args, needle);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err.rfind("tim: error: ", 0), 0u) << result.err;
}

TEST(CliConventionsParseTest, EveryBadCommandLineIsAnErrorLineAndExitTwo) {
  ExpectUsageError({"search", "--limit", "x", "foo"}, "--limit");
  ExpectUsageError({"search", "--no-such-option"}, "--no-such-option");
  ExpectUsageError({"frobnicate"}, "subcommand");
  ExpectUsageError({}, "subcommand");
  ExpectUsageError({"show"}, "ID");
  ExpectUsageError({"search", "--color", "sometimes", "x"}, "--color");
}

TEST(CliConventionsParseTest, UsageNamesTheProgramTim) {
  const auto result = RunTim({"search", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.find(TIM_BINARY), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Usage: tim search"), std::string::npos) << result.out;
}

TEST(CliConventionsParseTest, VersionNamesLibrarySchemaXapianAndIcu) {
  const auto result = RunTim({"--version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const RuntimeVersions versions = Versions();
  EXPECT_EQ(versions.library, TIM_VERSION_STRING);
  EXPECT_GT(versions.schema, 0);
  for (const std::string& line :
       {"tim " + versions.library, "schema " + std::to_string(versions.schema),
        "Xapian " + versions.xapian, "ICU " + versions.icu}) {
    EXPECT_NE(result.out.find(line + "\n"), std::string::npos) << line << "\n" << result.out;
  }
}

TEST_F(CliConventionsTest, StatsShowTheSchemaVersion) {
  const auto human = RunTim({"stats", "--db", db()});
  EXPECT_NE(human.out.find("schema:    " + std::to_string(Versions().schema) + "\n"),
            std::string::npos)
      << human.out;
  const auto json = nlohmann::json::parse(RunTim({"stats", "--db", db(), "--json"}).out);
  EXPECT_EQ(json["schema_version"], Versions().schema);
}

TEST_F(CliConventionsTest, JsonFacetsComeInTheOrderRequested) {
  const auto result =
      RunTim({"search", "--db", db(), "--json", "--facets", "year,source,category", "dam"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto response = nlohmann::ordered_json::parse(result.out);
  std::vector<std::string> names;
  for (const auto& [name, values] : response["facets"].items()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"year", "source", "category"}));
}

TEST_F(CliConventionsTest, ColorOption) {
  const std::string escape = "\033[";
  const auto always = RunTim({"search", "--db", db(), "--color", "always", "dam"});
  EXPECT_NE(always.out.find(escape), std::string::npos);
  const auto after_name = RunTim({"--color", "always", "search", "--db", db(), "dam"});
  EXPECT_NE(after_name.out.find(escape), std::string::npos);
  const auto never = RunTim({"search", "--db", db(), "--color", "never", "dam"});
  EXPECT_EQ(never.out.find(escape), std::string::npos);
  const auto piped = RunTim({"search", "--db", db(), "dam"});
  EXPECT_EQ(piped.out.find(escape), std::string::npos);
}

TEST_F(CliConventionsTest, OnlyANonEmptyNoColorTurnsColourOff) {
  const auto empty = RunOnTerminal("", "search --db " + db() + " dam");
  if (empty.exit_code == -1) GTEST_SKIP() << "util-linux script(1) not installed";
  ASSERT_EQ(empty.exit_code, 0) << empty.out;
  EXPECT_NE(empty.out.find("\033["), std::string::npos) << empty.out;
  const auto set = RunOnTerminal("1", "search --db " + db() + " dam");
  EXPECT_EQ(set.out.find("\033["), std::string::npos) << set.out;
}

}  // namespace
}  // namespace tim
