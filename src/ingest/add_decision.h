// add_decision.h: the one rule for what adding an article to a database
// does: add it (a new id), replace the document with its id, or nothing
// (the same content hash, which includes schema::kSchemaVersion). Used by
// the pipeline's writers and by IndexWriter::Add.
#ifndef TIM_SRC_INGEST_ADD_DECISION_H_
#define TIM_SRC_INGEST_ADD_DECISION_H_

#include <xapian.h>

#include "ingest/prepared_article.h"
#include "tim/index_writer.h"

namespace tim {

struct AddDecision {
  AddOutcome outcome = AddOutcome::kAdded;
  Xapian::docid existing = 0;  // the document with the id; 0 for kAdded
};

// What adding `article` to `db` does. Throws Xapian's errors.
AddDecision DecideAdd(const Xapian::Database& db,
                      const PreparedArticle& article);

}  // namespace tim

#endif  // TIM_SRC_INGEST_ADD_DECISION_H_
