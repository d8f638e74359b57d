#include "ingest/sharded_ingest.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unordered_set>
#include <utility>

#include "index/changesets.h"
#include "index/database_directory.h"
#include "index/xapian_errors.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/target_database.h"
#include "input/article_files.h"
#include "tim/error.h"

namespace tim {

namespace {

namespace fs = std::filesystem;

// Makes the new database of `count` shards at `db_path` (a new or empty
// directory): empty shards, then the stub that lists them. Returns their
// paths.
std::vector<std::string> CreateShards(const std::string& db_path, unsigned count) {
  const DirectoryLock lock = LockDatabaseForWriting(db_path);
  if (HoldsDatabase(db_path)) {
    throw Error(ErrorCode::kInvalidArgument,
                db_path + " is already a database of one shard; --shards makes a new database");
  }
  std::vector<std::string> shards;
  std::string stub = "# tim: " + std::to_string(count) +
                     " shards; an article is in shard FNV-1a(id) mod " + std::to_string(count) +
                     "\n";
  for (unsigned i = 0; i < count; ++i) {
    const std::string name = "shard" + std::to_string(i);
    shards.push_back((fs::path(db_path) / name).string());
    TranslateXapianErrors("creating " + shards.back(), [&] {
      OpenWritableDatabase(shards.back()).commit();
    });
    stub += "auto " + name + "\n";
  }
  const fs::path file = fs::path(db_path) / kStubFile, temporary = file.string() + ".tmp";
  std::ofstream(temporary, std::ios::binary) << stub;
  std::error_code ec;
  fs::rename(temporary, file, ec);
  if (ec) throw Error(ErrorCode::kIo, "cannot write " + file.string() + ": " + ec.message());
  return shards;
}

// The shards of the database at `db_path`, made with `options.shards` if
// it is new.
std::vector<std::string> ShardsFor(const std::string& db_path, const IngestOptions& options) {
  if (!IsShardedDatabase(db_path)) return CreateShards(db_path, options.shards);
  std::vector<std::string> shards = StubDatabases(db_path);
  if (options.shards > 1 && options.shards != shards.size()) {
    throw Error(ErrorCode::kInvalidArgument,
                db_path + " is a database of " + std::to_string(shards.size()) +
                    " shards, not " + std::to_string(options.shards));
  }
  return shards;
}

// The shards' reports as one: every shard read the whole input, so its
// size is any one's; each kept and counted its own articles.
IngestReport Merged(std::vector<IngestReport> reports) {
  IngestReport all = std::move(reports[0]);
  for (size_t i = 1; i < reports.size(); ++i) {
    const IngestReport& shard = reports[i];
    all.added += shard.added;
    all.replaced += shard.replaced;
    all.unchanged += shard.unchanged;
    all.duplicates += shard.duplicates;
    all.skipped += shard.skipped;
    all.errors += shard.errors;
    all.commits += shard.commits;
    all.warnings_omitted += shard.warnings_omitted;
    all.elapsed_seconds = std::max(all.elapsed_seconds, shard.elapsed_seconds);
    for (const std::string& warning : shard.warnings) {
      if (all.warnings.size() < IngestReport::kMaxReportWarnings) {
        all.warnings.push_back(warning);
      } else {
        ++all.warnings_omitted;
      }
    }
  }
  return all;
}

}  // namespace

bool IsShardedDatabase(const std::string& db_path) {
  return HoldsStub(db_path) && StubDatabases(db_path).size() > 1;
}

IngestReport IngestShards(const std::string& db_path, const std::vector<std::string>& paths,
                          const IngestOptions& options) {
  for (const std::string& path : paths) {
    if (path == kStdinPath) {
      throw Error(ErrorCode::kInvalidArgument,
                  "each shard of " + db_path +
                      " reads the whole input: give files or directories, not standard input");
    }
  }
  const std::vector<std::string> shards = ShardsFor(db_path, options);
  const auto count = static_cast<unsigned>(shards.size());
  // Before the threads (setenv): the shards keep changesets alike.
  PrepareProcessForChangesets(
      options.changesets ? *options.changesets
                         : TranslateXapianErrors("reading " + shards[0],
                                                 [&] { return RecordedChangesets(shards[0]); }));
  IngestOptions each = options;
  each.shards = 0;
  // Two jobs at least, so that a shard's large batch is staged: written
  // directly, one transaction of 350,000 articles took 1 GB.
  each.jobs = std::max(2u, JobCount(options.jobs) / count);
  IngestOptions first = each;  // reports progress, on the calling thread
  each.on_progress = nullptr;
  std::vector<IngestReport> reports(count);
  std::vector<std::exception_ptr> errors(count);
  auto run = [&](unsigned i) {
    try {
      reports[i] = RunIngest(shards[i], paths, i == 0 ? first : each, ShardRoute{i, count});
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < count; ++i) threads.emplace_back(run, i);
  run(0);
  for (std::thread& thread : threads) thread.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return Merged(std::move(reports));
}

DeleteReport DeleteFromShards(const std::string& db_path, const std::vector<std::string>& ids) {
  const std::vector<std::string> shards = StubDatabases(db_path);
  const auto count = static_cast<unsigned>(shards.size());
  std::vector<std::vector<std::string>> by_shard(count);
  for (const std::string& id : ids) by_shard[ShardOf(id, count)].push_back(id);
  std::vector<DeleteReport> reports(count);
  for (unsigned i = 0; i < count; ++i) {
    if (!by_shard[i].empty()) reports[i] = DeleteArticles(shards[i], by_shard[i]);
  }
  std::unordered_set<std::string> deleted;
  for (const DeleteReport& report : reports) deleted.insert(report.deleted.begin(), report.deleted.end());
  DeleteReport all;  // in the order given
  for (const std::string& id : ids) (deleted.count(id) ? all.deleted : all.not_found).push_back(id);
  return all;
}

}  // namespace tim
