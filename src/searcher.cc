#include "tim/searcher.h"

#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <unordered_set>

#include "date_parser.h"
#include "document_builder.h"
#include "facets.h"
#include "query_builder.h"
#include "schema.h"
#include "snippet.h"
#include "tim/error.h"
#include "tim/json.h"
#include "xapian_errors.h"

namespace tim {

namespace {

namespace fs = std::filesystem;

// A Xapian handle with the facet table of the revision it reads. Handles
// are not thread-safe, so each search borrows one for itself.
struct Handle {
  std::unique_ptr<Xapian::Database> db;
  std::shared_ptr<const FacetTable> facets;
};

uint64_t DirectorySize(const std::string& path) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

void CheckRequest(const SearchRequest& request) {
  for (const std::string& facet : request.facets) {
    if (!FacetCounter::IsKnownFacet(facet)) {
      throw Error(ErrorCode::kInvalidArgument,
                  "unknown facet '" + facet + "' (known: source, year, month)");
    }
  }
  if (request.from && request.to &&
      DateKey(*request.from) > DateEndKey(*request.to)) {
    throw Error(ErrorCode::kInvalidArgument,
                "--from " + request.from->ToString() + " is after --to " +
                    request.to->ToString());
  }
}

// The Xapian query for the request's publisher and date filters, or an
// empty query when there are none.
Xapian::Query FilterQuery(const SearchRequest& request) {
  std::vector<Xapian::Query> filters;
  if (!request.sources.empty()) {
    std::vector<Xapian::Query> sources;
    for (const std::string& source : request.sources) {
      sources.emplace_back(schema::kSourcePrefix + SourceKey(source));
    }
    filters.emplace_back(Xapian::Query::OP_OR, sources.begin(), sources.end());
  }
  // An article's date spans [start, end] (a whole month for "2023-08"); it
  // passes when that span overlaps the requested one.
  if (request.from) {
    filters.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kDateEndSlot,
                         DateKey(*request.from));
  }
  if (request.to) {
    filters.emplace_back(Xapian::Query::OP_VALUE_LE, schema::kDateStartSlot,
                         DateEndKey(*request.to));
  }
  if (filters.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
}

}  // namespace

struct Searcher::Impl {
  std::string path;
  std::mutex mutex;  // guards everything below
  std::vector<Handle> idle;
  std::shared_ptr<const FacetTable> latest_facets;
  Xapian::rev latest_revision = 0;

  Handle Open() {
    Handle handle;
    handle.db = std::make_unique<Xapian::Database>(path);
    Refresh(&handle);
    return handle;
  }

  // Gives `handle` the facet table of the revision it now reads, building
  // one if no other handle has it yet.
  void Refresh(Handle* handle) {
    const Xapian::rev revision = handle->db->get_revision();
    std::lock_guard<std::mutex> lock(mutex);
    if (!latest_facets || revision != latest_revision) {
      latest_facets = std::make_shared<const FacetTable>(*handle->db);
      latest_revision = revision;
    }
    handle->facets = latest_facets;
  }

  Handle Borrow() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!idle.empty()) {
        Handle handle = std::move(idle.back());
        idle.pop_back();
        return handle;
      }
    }
    return Open();
  }

  void Return(Handle handle) {
    std::lock_guard<std::mutex> lock(mutex);
    idle.push_back(std::move(handle));
  }

  // Runs `body` with a borrowed handle. A writer's commit can invalidate
  // what a handle was reading (DatabaseModifiedError): the handle then
  // moves to the new revision and `body` runs once more.
  template <typename Body>
  auto WithHandle(Body&& body) {
    Handle handle = Borrow();
    try {
      auto result = [&] {
        try {
          return body(handle);
        } catch (const Xapian::DatabaseModifiedError&) {
          handle.db->reopen();
          Refresh(&handle);
          return body(handle);
        }
      }();
      Return(std::move(handle));
      return result;
    } catch (...) {
      Return(std::move(handle));
      throw;
    }
  }
};

Searcher::Searcher(const std::string& db_path) : impl_(std::make_unique<Impl>()) {
  impl_->path = db_path;
  std::error_code ec;
  if (!fs::exists(fs::path(db_path) / "iamglass", ec) &&
      !fs::exists(fs::path(db_path) / "iamchert", ec)) {
    throw Error(ErrorCode::kNotFound,
                "no tim database at " + db_path +
                    " (create one with: tim ingest --db " + db_path + " PATH...)");
  }
  TranslateXapianErrors("opening database " + db_path,
                        [&] { impl_->Return(impl_->Open()); });
}

Searcher::~Searcher() = default;

SearchResponse Searcher::Search(const SearchRequest& request) const {
  const auto start = std::chrono::steady_clock::now();
  CheckRequest(request);
  BuiltQuery built = BuildQuery(request.query, request.strict_syntax);
  Xapian::Query query = built.query;
  const Xapian::Query filter = FilterQuery(request);
  if (!filter.empty()) query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
  const std::unordered_set<std::string> keys(built.highlight_keys.begin(),
                                             built.highlight_keys.end());

  SearchResponse response;
  response.query = request.query;
  response.warnings = std::move(built.warnings);
  TranslateXapianErrors("searching " + impl_->path, [&] {
    impl_->WithHandle([&](Handle& handle) {
      Xapian::Enquire enquire(*handle.db);
      enquire.set_query(query);
      enquire.set_weighting_scheme(Xapian::BM25Weight());
      Xapian::MultiValueKeyMaker oldest_first;
      if (request.sort == SortOrder::kNewestFirst) {
        // Undated articles have no value, which sorts last when reversed.
        enquire.set_sort_by_value_then_relevance(schema::kDateStartSlot, true);
      } else if (request.sort == SortOrder::kOldestFirst) {
        oldest_first.add_value(schema::kDateStartSlot, false, "99999999");
        enquire.set_sort_by_key_then_relevance(&oldest_first, false);
      }
      FacetCounter counter(handle.facets);
      if (!request.facets.empty()) enquire.add_matchspy(&counter);
      // Asking to check every document makes the total and the facet
      // counts exact rather than estimated.
      const Xapian::MSet mset = enquire.get_mset(
          request.offset, request.limit, handle.db->get_doccount());
      response.total = mset.get_matches_estimated();
      response.hits.clear();
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document doc = it.get_document();
        const Article article = ArticleFromJson(doc.get_data());
        Hit hit;
        hit.rank = request.offset + it.get_rank() - mset.get_firstitem() + 1;
        hit.id = article.id;
        hit.title = article.title;
        hit.source = article.source;
        hit.date = article.date;
        hit.score = it.get_weight();
        hit.snippet = MakeSnippet(article.body, keys, request.snippet_chars);
        response.hits.push_back(std::move(hit));
      }
      response.facets.clear();
      for (const std::string& facet : request.facets) {
        response.facets.push_back({facet, counter.Values(facet)});
      }
      return 0;
    });
  });
  response.took_ms = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start)
                         .count();
  return response;
}

std::optional<Article> Searcher::Get(const std::string& id) const {
  return TranslateXapianErrors("reading " + impl_->path, [&] {
    return impl_->WithHandle([&](Handle& handle) -> std::optional<Article> {
      const std::string term = IdTerm(id);
      Xapian::PostingIterator it = handle.db->postlist_begin(term);
      if (it == handle.db->postlist_end(term)) return std::nullopt;
      return ArticleFromJson(handle.db->get_document(*it).get_data());
    });
  });
}

DatabaseStats Searcher::Stats() const {
  SearchRequest all;
  all.limit = 0;
  all.facets = {"source"};
  const SearchResponse everything = Search(all);
  DatabaseStats stats;
  stats.path = impl_->path;
  stats.documents = everything.total;
  stats.sources = everything.facets[0].values;
  stats.size_bytes = DirectorySize(impl_->path);
  TranslateXapianErrors("reading " + impl_->path, [&] {
    impl_->WithHandle([&](Handle& handle) {
      const Xapian::Database& db = *handle.db;
      stats.undated =
          db.get_doccount() - db.get_value_freq(schema::kDateStartSlot);
      // The facet table holds the dates of live documents only, sorted;
      // Xapian's value bounds may be loose after deletions.
      const FacetTable& table = *handle.facets;
      if (table.date_count() > 1) {
        stats.earliest = DateFromKey(table.date_key(1));
        stats.latest = DateFromKey(table.date_key(table.date_count() - 1));
      }
      return 0;
    });
  });
  return stats;
}

void Searcher::Reopen() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->idle.clear();
  impl_->latest_facets.reset();
}

}  // namespace tim
