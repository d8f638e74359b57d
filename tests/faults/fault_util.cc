#include "faults/fault_util.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace tim::testing {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string>& SeedTexts() {
  static const std::vector<std::string> texts = [] {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(SeedsDir())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> read;
    for (const fs::path& file : files) read.push_back(ReadFile(file.string()));
    return read;
  }();
  return texts;
}

// About `bytes` of seed text starting at a place that depends on `n`, cut
// at spaces so that no letter is split.
std::string SeedText(size_t n, size_t bytes) {
  const auto& texts = SeedTexts();
  std::string text;
  for (size_t i = 0; text.size() < bytes; ++i) {
    const std::string& seed = texts[(n + i) % texts.size()];
    size_t start = seed.find(' ', (n * 131) % (seed.size() / 2));
    start = start == std::string::npos ? 0 : start + 1;
    text += seed.substr(start, bytes - text.size());
    text += ' ';
  }
  const size_t cut = text.rfind(' ');
  return text.substr(0, cut);
}

}  // namespace

std::string SeedBatch(const std::string& prefix, size_t first, size_t count,
                      size_t body_bytes, const std::string& marker) {
  std::string out;
  for (size_t i = first; i < first + count; ++i) {
    std::string body = "Bản tin số " + std::to_string(i) + " " + marker + ". " +
                       SeedText(i, body_bytes);
    const json line = {{"id", prefix + "-" + std::to_string(i)}, {"body", body}};
    out += line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  }
  return out;
}

CommandResult RunTimWithEnv(const std::vector<std::string>& env,
                            const std::vector<std::string>& args) {
  std::vector<std::string> all = env;
  all.push_back(TIM_BINARY);
  all.insert(all.end(), args.begin(), args.end());
  return RunProgram("/usr/bin/env", all);
}

std::vector<std::string> InjectorEnv() {
  // A sanitized tim wants its runtime first among the loaded libraries.
  const char* asan = std::getenv("ASAN_OPTIONS");
  return {std::string("LD_PRELOAD=") + TIM_FAULT_INJECTOR,
          std::string("ASAN_OPTIONS=") + (asan ? std::string(asan) + ":" : "") +
              "verify_asan_link_order=0"};
}

std::optional<uint64_t> ArticleCount(const fs::path& db) {
  std::error_code ec;
  if (!fs::exists(db / "iamglass", ec)) return std::nullopt;
  return Xapian::Database(db.string()).get_doccount();
}

void ExpectXapianCheckPasses(const fs::path& db) {
  if (!fs::exists("/usr/bin/xapian-check")) {
    GTEST_SKIP() << "xapian-check not installed (Debian package xapian-tools)";
  }
  const auto check = RunProgram("/usr/bin/xapian-check", {db.string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

long SearchTotal(const fs::path& db, const std::string& query) {
  const auto result =
      RunTim({"search", "--db", db.string(), "--json", "--limit", "1", "--match", "all",
              "--no-suggest", query});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  if (result.exit_code != 0) return -1;
  return json::parse(result.out)["total"].get<long>();
}

}  // namespace tim::testing
