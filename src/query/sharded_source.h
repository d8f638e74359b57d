// sharded_source.h: tim's posting sources on a database of several shards.
//
// Xapian matches a database of shards shard by shard: it clones each
// posting source per shard and initialises the clone with that shard
// alone, whose docids are local and whose statistics (document count,
// term frequencies, lengths) are the shard's. tim's sources weigh with the
// whole collection's BM25 figures and read docids of the whole (a second
// pass's candidates, a window of position maps), so on a sharded database
// each runs on the whole database and keeps the documents of the shard it
// was given, which it answers in local docids.
#ifndef TIM_SRC_QUERY_SHARDED_SOURCE_H_
#define TIM_SRC_QUERY_SHARDED_SOURCE_H_

#include <xapian.h>

namespace tim {

// A query of `source` (taking ownership) on the database `db`: the source
// itself on a database of one shard; else wrapped so that each shard's
// clone is `source` initialised on the whole of `db`, walking its
// documents and keeping the shard's (each shard walks them all: n shards,
// n walks).
// `db` null: a database of one shard.
Xapian::Query SourceQuery(Xapian::PostingSource* source, const Xapian::Database* db);

}  // namespace tim

#endif  // TIM_SRC_QUERY_SHARDED_SOURCE_H_
