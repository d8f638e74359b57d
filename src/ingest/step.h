// step.h: one atomic unit of an ingest batch (all of it, or commit_every
// articles), written directly into the database inside one transaction,
// or staged: shards built beside it, merged with it into a new database
// that is swapped in.
#ifndef TIM_SRC_INGEST_STEP_H_
#define TIM_SRC_INGEST_STEP_H_

#include <xapian.h>

#include <memory>

#include "ingest/prepared_article.h"

namespace tim::ingest {

class Batch;

class Step {
 public:
  virtual ~Step() = default;
  // False once the batch has failed.
  virtual bool Put(PreparedArticle&& article) = 0;
  // Makes the step durable and visible; returns false if it changed
  // nothing. Throws on failure.
  virtual bool Finish() = 0;
  // Undoes the step after a failure; the database stays as it was.
  virtual void Abandon() noexcept = 0;
};

// Writes into `batch`'s database inside one transaction. Throws Error.
std::unique_ptr<Step> NewDirectStep(Batch* batch);

// Builds `shards` shards beside `batch`'s database, which holds
// `main_documents`, then merges them with it. Throws Error.
std::unique_ptr<Step> NewStagedStep(Batch* batch, unsigned shards,
                                    Xapian::doccount main_documents);

}  // namespace tim::ingest

#endif  // TIM_SRC_INGEST_STEP_H_
