// The engine under test, through its public API only.
#include <xapian.h>

#include <filesystem>
#include <memory>

#include "engine.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim::bench {

namespace {

class TimBuilder : public Builder {
 public:
  explicit TimBuilder(const std::string& dir) : writer_(dir) {}
  void Add(const Article& article) override { writer_.Add(article); }
  void Finish() override { writer_.Commit(); }

 private:
  IndexWriter writer_;
};

void CopyFacet(const std::vector<Facet>& facets, const std::string& name,
               std::map<std::string, uint64_t>* out) {
  for (const Facet& facet : facets) {
    if (facet.name != name) continue;
    for (const FacetValue& value : facet.values) (*out)[value.value] = value.count;
  }
}

// tim::Searcher is thread-safe, so sessions share it.
class TimSession : public Session {
 public:
  explicit TimSession(std::shared_ptr<const Searcher> searcher)
      : searcher_(std::move(searcher)) {}

  BenchResult Search(const BenchQuery& query) override {
    SearchRequest request;
    request.query = query.text;
    request.offset = query.offset;
    request.limit = query.limit;
    if (!query.source.empty()) request.sources = {query.source};
    if (!query.from.empty()) request.from = ParseDate(query.from);
    if (!query.to.empty()) request.to = ParseDate(query.to);
    if (!query.facets) request.facets.clear();
    if (query.newest_first) request.sort = SortOrder::kNewestFirst;
    const SearchResponse response = searcher_->Search(request);
    BenchResult result;
    result.total = response.total;
    for (const Hit& hit : response.hits) result.ids.push_back(hit.id);
    CopyFacet(response.facets, "source", &result.facets.source);
    CopyFacet(response.facets, "year", &result.facets.year);
    CopyFacet(response.facets, "month", &result.facets.month);
    return result;
  }

 private:
  std::shared_ptr<const Searcher> searcher_;
};

class TimIndex : public Index {
 public:
  explicit TimIndex(const std::string& dir)
      : searcher_(std::make_shared<const Searcher>(dir)) {}
  std::unique_ptr<Session> NewSession() override {
    return std::make_unique<TimSession>(searcher_);
  }

 private:
  std::shared_ptr<const Searcher> searcher_;
};

}  // namespace

Engine TimEngine() {
  Engine engine;
  engine.name = "tim";
  engine.version = std::string("tim (this tree), Xapian ") + Xapian::version_string();
  engine.notes = {
      "Folds diacritics and tone placement; with diacritics in the query, "
      "ranks exact accents first; ranks adjacent syllables higher (2-term "
      "phrase boosts); makes a snippet for each hit; stores the whole article.",
      "Non-facet classes pass facets = {} so tim does the same work as peers."};
  engine.create = [](const std::string& dir, bool append) -> std::unique_ptr<Builder> {
    if (!append) std::filesystem::remove_all(dir);
    return std::make_unique<TimBuilder>(dir);
  };
  engine.open = OpenIndex<TimIndex>;
  engine.compact = RunXapianCompact;
  return engine;
}

}  // namespace tim::bench
