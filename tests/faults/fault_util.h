// fault_util.h: what the fault and concurrency tests share: batches made of
// the seed texts, running `tim` with the fault injector, and the checks a
// database must pass after a writer died.
#ifndef TIM_TESTS_FAULTS_FAULT_UTIL_H_
#define TIM_TESTS_FAULTS_FAULT_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "test_util.h"

namespace tim::testing {

// JSON Lines of `count` articles with ids PREFIX-first ... PREFIX-(first +
// count - 1), each a distinct text of about `body_bytes` built from the seed
// articles, with `marker` (a made-up word) in every body when not empty.
std::string SeedBatch(const std::string& prefix, size_t first, size_t count,
                      size_t body_bytes = 1500, const std::string& marker = "");

// Runs tim with extra environment entries ("NAME=value").
CommandResult RunTimWithEnv(const std::vector<std::string>& env,
                            const std::vector<std::string>& args);

// The environment that loads the fault injector (fault_injector.cc).
std::vector<std::string> InjectorEnv();

// The number of articles of the database at `db`; nullopt if there is no
// database there (a first ingest killed before it created one).
std::optional<uint64_t> ArticleCount(const std::filesystem::path& db);

// xapian-check (Debian package xapian-tools) finds the database sound;
// skips the calling test when it is not installed.
void ExpectXapianCheckPasses(const std::filesystem::path& db);

// `tim search --json --limit 1 QUERY`'s total, or -1 with the error
// (gtest failure) if the search failed.
long SearchTotal(const std::filesystem::path& db, const std::string& query);

}  // namespace tim::testing

#endif  // TIM_TESTS_FAULTS_FAULT_UTIL_H_
