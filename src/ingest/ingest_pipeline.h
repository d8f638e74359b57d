// ingest_pipeline.h: how a batch of articles gets into a database.
//
// The calling thread reads records; `jobs` threads turn them into Xapian
// documents (the analysis); one dispatcher takes them back in input order,
// spots duplicate bodies and hands each document to a writer thread. A step
// (the whole batch, or commit_every articles) is written either
//  - directly: one writer adds to the database inside a Xapian transaction,
//    committed at the end of the step; or
//  - staged, when the step is large next to the database: one writer per
//    job builds a shard in a staging directory beside the database, and the
//    shards are compacted together with the database into a new one, which
//    replaces the old with one atomic rename (RENAME_EXCHANGE).
// Either way readers see the whole step or nothing, and a crash leaves the
// database as it was before the step.
//
// Where each part lives: batch.h (the run and its threads: batch.cc,
// batch_reading.cc, batch_dispatch.cc), bounded_queue.h and reorderer.h
// (between the threads), prepared_article.h (the analysis),
// duplicate_bodies.h, add_decision.h (add, replace or unchanged, shared
// with IndexWriter), dictionary_choice.h, writer.h, step.h (direct_step.cc,
// staged_step.cc) and target_database.h (the lock and the swap).
#ifndef TIM_SRC_INGEST_INGEST_PIPELINE_H_
#define TIM_SRC_INGEST_INGEST_PIPELINE_H_

#include <string>
#include <string_view>
#include <vector>

#include "tim/index_writer.h"

namespace tim {

// Which articles of the input a batch keeps: those of shard `index` of
// `count` (ShardOf); all of them for one database. Only shard 0 reports
// the input's bad records and notes, which every shard reads.
struct ShardRoute {
  unsigned index = 0;
  unsigned count = 1;
};

// The threads a batch asked for `requested` jobs runs: one per core for 0.
unsigned JobCount(unsigned requested);

// The shard of `count` that holds the article with `id`: FNV-1a of the id,
// modulo `count`. Stored in every sharded database's layout: never change.
unsigned ShardOf(std::string_view id, unsigned count);

// The whole of IngestPaths into one database (or one shard, with `route`).
IngestReport RunIngest(const std::string& db_path,
                       const std::vector<std::string>& paths,
                       const IngestOptions& options, ShardRoute route = {});

}  // namespace tim

#endif  // TIM_SRC_INGEST_INGEST_PIPELINE_H_
