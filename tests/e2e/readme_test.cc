// Keeps README.md true: its search examples run on the seeds and find
// something, its Quick start holds two commands, and the embedding example
// it shows is the one that is built and run here.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.h"

namespace tim {
namespace {

using testing::ReadFile;
using testing::RunProgram;
using testing::RunTim;
using testing::TempDir;

std::string Readme() { return ReadFile(std::string(TIM_SOURCE_DIR) + "/README.md"); }

// The lines of the README's code blocks of language `language`.
std::vector<std::string> CodeLines(const std::string& language) {
  std::vector<std::string> lines;
  std::istringstream in(Readme());
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      inside = !inside && line == "```" + language;
      continue;
    }
    if (inside) lines.push_back(line);
  }
  return lines;
}

// Splits a shell command line on spaces, honouring '...' and "..." quotes.
std::vector<std::string> ShellWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote) quote = 0;
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

TEST(ReadmeTest, QuickStartHasExactlyTwoCommands) {
  const std::string readme = Readme();
  const size_t section = readme.find("## Quick start");
  ASSERT_NE(section, std::string::npos);
  const size_t open = readme.find("```sh\n", section);
  const size_t close = readme.find("```", open + 6);
  const std::string block = readme.substr(open + 6, close - open - 6);
  EXPECT_EQ(std::count(block.begin(), block.end(), '\n'), 2) << block;
}

TEST(ReadmeTest, SearchExamplesRunOnTheSeedsAndFindSomething) {
  TempDir dir;
  const std::string db = (dir.path() / "db").string();
  ASSERT_EQ(RunTim({"ingest", "--db", db, testing::SeedsDir()}).exit_code, 0);
  int examples = 0;
  for (const std::string& line : CodeLines("sh")) {
    if (line.rfind("build/tim search ", 0) != 0 &&
        line.rfind("build/tim similar ", 0) != 0) {
      continue;
    }
    std::vector<std::string> words = ShellWords(line);
    words.erase(words.begin());  // build/tim
    words.insert(words.begin() + 1, {"--db", db, "--json"});
    const auto result = RunTim(words);
    ASSERT_EQ(result.exit_code, 0) << line << "\n" << result.err;
    const nlohmann::json response = nlohmann::json::parse(result.out);
    EXPECT_GE(response["total"].get<int>(), 1) << line;
    EXPECT_FALSE(response["hits"].empty()) << line;
    EXPECT_TRUE(response["warnings"].empty()) << line << ": " << response["warnings"];
    ++examples;
  }
  EXPECT_GE(examples, 10);
}

TEST(ReadmeTest, ShowsTheEmbeddingExampleThatIsBuilt) {
  const std::string example = ReadFile(std::string(TIM_SOURCE_DIR) + "/examples/embed.cc");
  ASSERT_FALSE(example.empty());
  EXPECT_NE(Readme().find(example), std::string::npos)
      << "README.md must quote examples/embed.cc verbatim";
}

TEST(ReadmeTest, EmbeddingExampleRuns) {
  TempDir dir;
  const auto result = RunProgram(TIM_EXAMPLE_BINARY,
                                 {(dir.path() / "db").string(), testing::SeedsDir()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // Seed 001 (2025-10-28) and the added article are the matches from 2025.
  EXPECT_NE(result.out.find("2 results"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("1. "), std::string::npos) << result.out;
}

}  // namespace
}  // namespace tim
