// A step written directly into the main database, inside one transaction.
#include <optional>
#include <utility>

#include "index/changesets.h"
#include "index/schema.h"
#include "index/stored_article_codec.h"
#include "index/xapian_errors.h"
#include "ingest/batch.h"
#include "ingest/step.h"
#include "ingest/writer.h"

namespace tim::ingest {

namespace {

class DirectStep : public Step {
 public:
  explicit DirectStep(Batch* batch) : batch_(batch) {
    TranslateXapianErrors("starting a transaction on " + batch->db_path(),
                          [&] { batch->main().begin_transaction(true); });
    writer_.emplace(batch, &batch->main(), batch->db_path(), /*shard=*/false,
                    /*base_path=*/"");
  }

  bool Put(PreparedArticle&& article) override {
    return writer_->Put(std::move(article));
  }

  bool Finish() override {
    writer_->Finish();
    batch_->ThrowIfFailed();
    TranslateXapianErrors("committing to " + batch_->db_path(), [&] {
      if (batch_->dictionary() && writer_->changes() > 0) {
        SaveDictionary(*batch_->dictionary(), batch_->main());
      }
      schema::RecordSchemaVersion(batch_->main());
      RecordChangesets(batch_->main(), batch_->changesets());
      batch_->main().commit_transaction();
    });
    return writer_->changes() > 0;
  }

  void Abandon() noexcept override {
    writer_->Abort();
    try {
      batch_->main().cancel_transaction();
    } catch (...) {
      // Nothing of the transaction was committed: the database is intact.
    }
  }

 private:
  Batch* const batch_;
  std::optional<Writer> writer_;
};

}  // namespace

std::unique_ptr<Step> NewDirectStep(Batch* batch) {
  return std::make_unique<DirectStep>(batch);
}

}  // namespace tim::ingest
