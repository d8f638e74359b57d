// sharded_ingest.h: writing to a database of several shards (a directory
// whose XAPIANDB stub lists them, index/database_directory.h): each article
// goes to the shard ShardOf(id) names, so that a replace or a delete finds
// it there.
#ifndef TIM_SRC_INGEST_SHARDED_INGEST_H_
#define TIM_SRC_INGEST_SHARDED_INGEST_H_

#include <string>
#include <vector>

#include "tim/index_writer.h"

namespace tim {

// True if `db_path` is a directory whose stub lists several databases.
bool IsShardedDatabase(const std::string& db_path);

// IngestPaths into the shards of `db_path`, made first with
// `options.shards` shards if it is a new (or empty) directory. The shards'
// batches run in parallel, each reading the whole input and keeping its
// articles; each is atomic, the whole is not: after a failure the shards
// that finished keep their part, and running the batch again completes it.
IngestReport IngestShards(const std::string& db_path, const std::vector<std::string>& paths,
                          const IngestOptions& options);

// DeleteArticles on each shard, for the ids it holds.
DeleteReport DeleteFromShards(const std::string& db_path, const std::vector<std::string>& ids);

}  // namespace tim

#endif  // TIM_SRC_INGEST_SHARDED_INGEST_H_
