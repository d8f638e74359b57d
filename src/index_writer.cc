#include "tim/index_writer.h"

#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "article_reader.h"
#include "document_builder.h"
#include "schema.h"
#include "tim/error.h"
#include "xapian_errors.h"

namespace tim {

struct IndexWriter::Impl {
  std::string path;
  Xapian::WritableDatabase db;
  // A Xapian transaction is open from the first change to Commit(): inside
  // one, Xapian flushes but never commits by itself (outside, it would
  // commit every XAPIAN_FLUSH_THRESHOLD changes and expose half a batch).
  bool in_transaction = false;

  void BeginBatchIfNeeded() {
    if (in_transaction) return;
    db.begin_transaction(/*flushed=*/true);
    in_transaction = true;
  }

  // The document with `id_term`, if any.
  std::optional<Xapian::docid> Find(const std::string& id_term) const {
    Xapian::PostingIterator it = db.postlist_begin(id_term);
    if (it == db.postlist_end(id_term)) return std::nullopt;
    return *it;
  }
};

IndexWriter::IndexWriter(const std::string& db_path)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = db_path;
  std::error_code ec;
  std::filesystem::create_directories(db_path, ec);
  if (ec) {
    throw Error(ErrorCode::kIo,
                "cannot create database directory " + db_path + ": " +
                    ec.message());
  }
  TranslateXapianErrors("opening database " + db_path + " for writing", [&] {
    impl_->db = Xapian::WritableDatabase(db_path, Xapian::DB_CREATE_OR_OPEN);
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

AddOutcome IndexWriter::Add(const Article& input) {
  Article article = input;
  NormalizeArticle(&article, /*default_source=*/"");
  if (article.id.empty()) {
    throw Error(ErrorCode::kInvalidInput, "article has no id");
  }
  if (article.body.empty()) {
    throw Error(ErrorCode::kInvalidInput,
                "article " + article.id + " has no body");
  }
  return TranslateXapianErrors("adding article " + article.id, [&] {
    const Xapian::Document doc = BuildDocument(article);
    const std::string id_term = IdTerm(article.id);
    const std::optional<Xapian::docid> existing = impl_->Find(id_term);
    if (existing &&
        impl_->db.get_document(*existing).get_value(schema::kContentHashSlot) ==
            doc.get_value(schema::kContentHashSlot)) {
      return AddOutcome::kUnchanged;
    }
    impl_->BeginBatchIfNeeded();
    impl_->db.replace_document(id_term, doc);
    return existing ? AddOutcome::kReplaced : AddOutcome::kAdded;
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
      impl_->db.commit_transaction();
      impl_->in_transaction = false;
    }
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
  const auto start = std::chrono::steady_clock::now();
  IngestReport report;
  IndexWriter writer(db_path);
  const ArticleSink add = [&](Article&& article, const RecordLocation& where) {
    if (article.source.empty()) article.source = options.default_source;
    try {
      switch (writer.Add(article)) {
        case AddOutcome::kAdded: ++report.added; break;
        case AddOutcome::kReplaced: ++report.replaced; break;
        case AddOutcome::kUnchanged: ++report.unchanged; break;
      }
    } catch (const Error& e) {
      throw Error(e.code(), where.ToString() + ": " + e.what());
    }
    if (options.on_progress) options.on_progress(report.articles_read());
  };
  BadRecordHandler on_bad;
  if (options.skip_bad_records) {
    on_bad = [&](const std::string& message) {
      ++report.skipped;
      report.warnings.push_back(message);
    };
  }
  for (const std::string& path : paths) ReadArticles(path, add, on_bad);
  writer.Commit();
  report.elapsed_seconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start)
                               .count();
  return report;
}

}  // namespace tim
