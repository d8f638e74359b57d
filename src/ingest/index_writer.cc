#include "tim/index_writer.h"

#include <xapian.h>

#include <optional>

#include "index/database_directory.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/stored_article_codec.h"
#include "index/xapian_errors.h"
#include "ingest/add_decision.h"
#include "ingest/sharded_ingest.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/prepared_article.h"
#include "ingest/target_database.h"
#include "tim/error.h"

namespace tim {

struct IndexWriter::Impl {
  std::string path;
  DirectoryLock lock;  // before db: taken first, released last
  Xapian::WritableDatabase db;
  // A Xapian transaction is open from the first change to Commit(): inside
  // one, Xapian flushes but never commits by itself (outside, it would
  // commit every XAPIAN_FLUSH_THRESHOLD changes and expose half a batch).
  bool in_transaction = false;
  // With the database's dictionary, or one trained on its articles once it
  // has kMinTrainingSamples; none before.
  std::optional<StoredDataCompressor> compressor;
  // A dictionary trained here, saved with the first commit of articles it
  // compressed.
  std::shared_ptr<const StoredDataDictionary> unsaved_dictionary;
  // Training failed (zstd found nothing to learn): not again until Commit.
  bool training_failed = false;

  // Trains a dictionary once the database (with what this writer added)
  // is large enough.
  void TrainIfDue() {
    if (compressor || training_failed || db.get_doccount() < kMinTrainingSamples) return;
    unsaved_dictionary = TrainDictionary(SamplesFromDatabase(db));
    training_failed = unsaved_dictionary == nullptr;
    if (unsaved_dictionary) compressor.emplace(unsaved_dictionary);
  }

  void BeginBatchIfNeeded() {
    if (in_transaction) return;
    db.begin_transaction(/*flushed=*/true);
    in_transaction = true;
  }

  // The document with `id_term`, if any.
  std::optional<Xapian::docid> Find(const std::string& id_term) const {
    return FindDocument(db, id_term);
  }
};

IndexWriter::IndexWriter(const std::string& db_path)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = db_path;
  impl_->lock = LockDatabaseForWriting(db_path);
  impl_->db = OpenWritableDatabase(db_path);
  TranslateXapianErrors("reading " + db_path, [&] {
    if (auto dictionary = LoadDictionary(impl_->db)) {
      impl_->compressor.emplace(std::move(dictionary));
    }
  });
}

IndexWriter::~IndexWriter() {
  if (!impl_->in_transaction) return;
  try {
    impl_->db.cancel_transaction();
  } catch (...) {
    // Nothing was committed, so the database on disk is as it was.
  }
}

AddOutcome IndexWriter::Add(const Article& article) {
  PreparedArticle prepared = PrepareArticle(article, /*default_source=*/"");
  return TranslateXapianErrors("adding article " + prepared.id, [&] {
    const AddDecision decision = DecideAdd(impl_->db, prepared);
    if (decision.outcome == AddOutcome::kUnchanged) return decision.outcome;
    impl_->BeginBatchIfNeeded();
    impl_->TrainIfDue();
    if (impl_->compressor) impl_->compressor->Store(&prepared.document);
    impl_->db.replace_document(prepared.id_term, prepared.document);
    return decision.outcome;
  });
}

bool IndexWriter::Delete(const std::string& id) {
  return TranslateXapianErrors("deleting article " + id, [&] {
    const std::string id_term = IdTerm(id);
    if (!impl_->Find(id_term)) return false;
    impl_->BeginBatchIfNeeded();
    impl_->db.delete_document(id_term);
    return true;
  });
}

void IndexWriter::Commit() {
  TranslateXapianErrors("committing to database " + impl_->path, [&] {
    if (impl_->in_transaction) {
      if (impl_->unsaved_dictionary) SaveDictionary(*impl_->unsaved_dictionary, impl_->db);
      schema::RecordSchemaVersion(impl_->db);
      impl_->db.commit_transaction();
      impl_->in_transaction = false;
      impl_->unsaved_dictionary = nullptr;
    }
    impl_->training_failed = false;
  });
}

void IndexWriter::Rollback() {
  TranslateXapianErrors("rolling back database " + impl_->path, [&] {
    if (impl_->in_transaction) {
      impl_->db.cancel_transaction();
      impl_->in_transaction = false;
    }
  });
}

size_t IndexWriter::document_count() const {
  return TranslateXapianErrors("counting documents in " + impl_->path,
                               [&] { return size_t{impl_->db.get_doccount()}; });
}

IngestReport IngestPaths(const std::string& db_path,
                         const std::vector<std::string>& paths,
                         const IngestOptions& options) {
  if (options.shards > 1 || IsShardedDatabase(db_path)) {
    return IngestShards(db_path, paths, options);
  }
  return RunIngest(db_path, paths, options);
}

DeleteReport DeleteArticles(const std::string& db_path,
                            const std::vector<std::string>& ids) {
  if (IsShardedDatabase(db_path)) return DeleteFromShards(db_path, ids);
  return TranslateWriteErrors(db_path, "deleting from " + db_path, [&] {
    // Unlike ingest, deleting never creates a database (a mistyped --db).
    TranslateReadErrors(db_path, "opening database " + db_path,
                        [&] { Xapian::Database existing(db_path); });
    IndexWriter writer(db_path);
    DeleteReport report;
    for (const std::string& id : ids) {
      (writer.Delete(id) ? report.deleted : report.not_found).push_back(id);
    }
    writer.Commit();
    return report;
  });
}

}  // namespace tim
