#include "ingest/add_decision.h"

#include "index/document_builder.h"
#include "index/schema.h"

namespace tim {

AddDecision DecideAdd(const Xapian::Database& db,
                      const PreparedArticle& article) {
  const auto existing = FindDocument(db, article.id_term);
  if (!existing) return {AddOutcome::kAdded, 0};
  const bool same = db.get_document(*existing).get_value(
                        schema::kContentHashSlot) == article.content_hash;
  return {same ? AddOutcome::kUnchanged : AddOutcome::kReplaced, *existing};
}

}  // namespace tim
