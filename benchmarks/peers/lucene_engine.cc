// Lucene++ 3.0: StandardTokenizer, lowercasing and ASCIIFoldingFilter (which
// maps Vietnamese letters, đ included, to ASCII). It has no facet module, so
// facets are counted by a Collector from FieldCache ordinals.
#include <lucene++/LuceneHeaders.h>
#include <lucene++/ASCIIFoldingFilter.h>
#include <lucene++/Collector.h>
#include <lucene++/ConstantScoreQuery.h>
#include <lucene++/FieldCache.h>
#include <lucene++/LowerCaseFilter.h>
#include <lucene++/QueryWrapperFilter.h>
#include <lucene++/Sort.h>
#include <lucene++/SortField.h>
#include <lucene++/StandardTokenizer.h>
#include <lucene++/TermAttribute.h>
#include <lucene++/TermRangeFilter.h>
#include <lucene++/TopFieldCollector.h>
#include <lucene++/TopScoreDocCollector.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "engine.h"

namespace tim::bench {

namespace {

namespace fs = std::filesystem;
using Lucene::newLucene;
using Lucene::String;

String Wide(const std::string& utf8) {
  return Lucene::StringUtils::toUnicode(utf8);
}

std::string Utf8(const String& wide) {
  return Lucene::StringUtils::toUTF8(wide);
}

class FoldingAnalyzer : public Lucene::Analyzer {
 public:
  LUCENE_CLASS(FoldingAnalyzer);

  Lucene::TokenStreamPtr tokenStream(const String&,
                                     const Lucene::ReaderPtr& reader) override {
    Lucene::TokenStreamPtr stream = newLucene<Lucene::StandardTokenizer>(
        Lucene::LuceneVersion::LUCENE_30, reader);
    stream = newLucene<Lucene::LowerCaseFilter>(stream);
    return newLucene<Lucene::ASCIIFoldingFilter>(stream);
  }
};

Lucene::FieldPtr Keyword(const wchar_t* name, const std::string& value) {
  return newLucene<Lucene::Field>(name, Wide(value), Lucene::Field::STORE_NO,
                                  Lucene::Field::INDEX_NOT_ANALYZED_NO_NORMS);
}

class LuceneBuilder : public Builder {
 public:
  LuceneBuilder(const std::string& dir, bool append) {
    fs::create_directories(dir);
    writer_ = newLucene<Lucene::IndexWriter>(
        Lucene::FSDirectory::open(Wide(dir)), newLucene<FoldingAnalyzer>(),
        !append, Lucene::IndexWriter::MaxFieldLengthUNLIMITED);
    writer_->setRAMBufferSizeMB(64);
  }

  void Add(const Article& article) override {
    const PeerFields fields = FieldsOf(article);
    Lucene::DocumentPtr doc = newLucene<Lucene::Document>();
    doc->add(newLucene<Lucene::Field>(L"id", Wide(article.id),
                                      Lucene::Field::STORE_YES,
                                      Lucene::Field::INDEX_NOT_ANALYZED_NO_NORMS));
    doc->add(newLucene<Lucene::Field>(L"title", Wide(article.title),
                                      Lucene::Field::STORE_YES, Lucene::Field::INDEX_NO));
    doc->add(newLucene<Lucene::Field>(L"body", Wide(article.body),
                                      Lucene::Field::STORE_YES, Lucene::Field::INDEX_NO));
    // One searchable field for title and body, as tim and the other peers
    // match a word in either.
    doc->add(newLucene<Lucene::Field>(L"text", Wide(article.title + "\n" + article.body),
                                      Lucene::Field::STORE_NO,
                                      Lucene::Field::INDEX_ANALYZED));
    doc->add(Keyword(L"source", fields.source));
    doc->add(Keyword(L"year", fields.year));
    doc->add(Keyword(L"month", fields.month));
    if (!fields.day.empty()) doc->add(Keyword(L"day", fields.day));
    writer_->addDocument(doc);
  }

  void Finish() override {
    writer_->commit();
    writer_->close();
  }

 private:
  Lucene::IndexWriterPtr writer_;
};

// Per-segment ordinal counts of one keyword field, merged by value.
class FacetField {
 public:
  explicit FacetField(const wchar_t* name) : name_(name) {}

  void SetReader(const Lucene::IndexReaderPtr& reader) {
    Flush();
    index_ = Lucene::FieldCache::DEFAULT()->getStringIndex(reader, name_);
    order_ = &index_->order[0];
    counts_.assign(index_->lookup.size(), 0);
  }
  void Count(int32_t doc) { ++counts_[order_[doc]]; }

  void Flush() {
    if (!index_) return;
    for (size_t ord = 1; ord < counts_.size(); ++ord) {
      if (counts_[ord]) totals_[Utf8(index_->lookup[static_cast<int32_t>(ord)])] += counts_[ord];
    }
    index_.reset();
  }
  std::map<std::string, uint64_t>& totals() { return totals_; }

 private:
  const wchar_t* name_;
  Lucene::StringIndexPtr index_;
  const int32_t* order_ = nullptr;
  std::vector<uint64_t> counts_;
  std::map<std::string, uint64_t> totals_;
};

// Passes every match to `inner` (which keeps the top hits) and counts it.
class FacetCollector : public Lucene::Collector {
 public:
  FacetCollector(Lucene::CollectorPtr inner, bool facets)
      : inner_(std::move(inner)), facets_(facets) {}
  LUCENE_CLASS(FacetCollector);

  void setScorer(const Lucene::ScorerPtr& scorer) override { inner_->setScorer(scorer); }
  void collect(int32_t doc) override {
    ++total_;
    if (facets_) {
      source_.Count(doc);
      year_.Count(doc);
      month_.Count(doc);
    }
    inner_->collect(doc);
  }
  void setNextReader(const Lucene::IndexReaderPtr& reader, int32_t base) override {
    if (facets_) {
      source_.SetReader(reader);
      year_.SetReader(reader);
      month_.SetReader(reader);
    }
    inner_->setNextReader(reader, base);
  }
  bool acceptsDocsOutOfOrder() override { return inner_->acceptsDocsOutOfOrder(); }

  uint64_t total() const { return total_; }
  void MoveFacets(FacetCounts* out) {
    for (FacetField* field : {&source_, &year_, &month_}) field->Flush();
    out->source = std::move(source_.totals());
    out->year = std::move(year_.totals());
    out->month = std::move(month_.totals());
  }

 private:
  Lucene::CollectorPtr inner_;
  bool facets_;
  uint64_t total_ = 0;
  FacetField source_{L"source"};
  FacetField year_{L"year"};
  FacetField month_{L"month"};
};

Lucene::FilterPtr MakeFilter(const BenchQuery& query) {
  Lucene::BooleanQueryPtr all = newLucene<Lucene::BooleanQuery>();
  if (!query.source.empty()) {
    all->add(newLucene<Lucene::TermQuery>(
                 newLucene<Lucene::Term>(L"source", Wide(query.source))),
             Lucene::BooleanClause::MUST);
  }
  if (!query.from.empty() || !query.to.empty()) {
    Lucene::FilterPtr range = newLucene<Lucene::TermRangeFilter>(
        L"day", Wide(DayKey(query.from)),
        Wide(query.to.empty() ? "99999999" : DayKey(query.to)), true, true);
    if (query.source.empty()) return range;
    all->add(newLucene<Lucene::ConstantScoreQuery>(range), Lucene::BooleanClause::MUST);
  }
  if (all->getClauses().empty()) return Lucene::FilterPtr();
  return newLucene<Lucene::QueryWrapperFilter>(all);
}

class LuceneSession : public Session {
 public:
  LuceneSession(Lucene::IndexSearcherPtr searcher, Lucene::AnalyzerPtr analyzer)
      : searcher_(std::move(searcher)), analyzer_(std::move(analyzer)) {}

  BenchResult Search(const BenchQuery& query) override {
    Lucene::BooleanQueryPtr words = WordsQuery(query);
    const int32_t wanted = static_cast<int32_t>(query.offset + query.limit);
    Lucene::TopDocsCollectorPtr top;
    if (query.newest_first) {
      Lucene::Collection<Lucene::SortFieldPtr> fields =
          Lucene::Collection<Lucene::SortFieldPtr>::newInstance();
      fields.add(newLucene<Lucene::SortField>(L"day", Lucene::SortField::STRING, true));
      fields.add(Lucene::SortField::FIELD_SCORE());
      top = Lucene::TopFieldCollector::create(newLucene<Lucene::Sort>(fields), wanted,
                                              false, true, false, false);
    } else {
      top = Lucene::TopScoreDocCollector::create(wanted, false);
    }
    auto collector = newLucene<FacetCollector>(top, query.facets);
    searcher_->search(words, MakeFilter(query), collector);
    BenchResult result;
    result.total = collector->total();
    Lucene::TopDocsPtr page = top->topDocs(static_cast<int32_t>(query.offset),
                                           static_cast<int32_t>(query.limit));
    for (const Lucene::ScoreDocPtr& hit : page->scoreDocs) {
      result.ids.push_back(Utf8(searcher_->doc(hit->doc)->get(L"id")));
    }
    if (query.facets) collector->MoveFacets(&result.facets);
    return result;
  }

 private:
  // The analyzer's terms for `text`, in order.
  std::vector<String> Terms(const std::string& text) {
    Lucene::TokenStreamPtr stream =
        analyzer_->tokenStream(L"text", newLucene<Lucene::StringReader>(Wide(text)));
    Lucene::TermAttributePtr term = stream->addAttribute<Lucene::TermAttribute>();
    std::vector<String> terms;
    while (stream->incrementToken()) terms.push_back(term->term());
    return terms;
  }

  // Loose words are term queries; a quoted span is a phrase query over its
  // terms, so that it matches as folded as the words do.
  Lucene::BooleanQueryPtr WordsQuery(const BenchQuery& query) {
    Lucene::BooleanQueryPtr words = newLucene<Lucene::BooleanQuery>();
    const Lucene::BooleanClause::Occur occur =
        query.any_word ? Lucene::BooleanClause::SHOULD : Lucene::BooleanClause::MUST;
    for (const QuerySpan& span : SplitQuotes(query.text)) {
      const std::vector<String> terms = Terms(span.text);
      if (span.quoted && terms.size() > 1) {
        Lucene::PhraseQueryPtr phrase = newLucene<Lucene::PhraseQuery>();
        for (const String& term : terms) phrase->add(newLucene<Lucene::Term>(L"text", term));
        words->add(phrase, occur);
        continue;
      }
      for (const String& term : terms) {
        words->add(newLucene<Lucene::TermQuery>(newLucene<Lucene::Term>(L"text", term)), occur);
      }
    }
    return words;
  }

  Lucene::IndexSearcherPtr searcher_;
  Lucene::AnalyzerPtr analyzer_;
};

// IndexSearcher over a read-only reader is thread-safe; sessions share it.
class LuceneIndex : public Index {
 public:
  explicit LuceneIndex(const std::string& dir)
      : searcher_(newLucene<Lucene::IndexSearcher>(
            Lucene::IndexReader::open(Lucene::FSDirectory::open(Wide(dir)), true))) {}

  std::unique_ptr<Session> NewSession() override {
    return std::make_unique<LuceneSession>(searcher_, newLucene<FoldingAnalyzer>());
  }

 private:
  Lucene::IndexSearcherPtr searcher_;
};

template <typename Body>
auto Translate(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Lucene::LuceneException& e) {
    throw std::runtime_error("Lucene++: " + Utf8(e.getError()));
  }
}

}  // namespace

Engine LuceneEngine() {
  Engine engine;
  engine.name = "lucene++";
  engine.version = "Lucene++ " TIM_BENCH_LUCENE_VERSION;
  engine.notes = {
      "StandardTokenizer + LowerCaseFilter + ASCIIFoldingFilter on one field "
      "(title + body): folds diacritics (đ included) but has no exact-accent "
      "layer and no adjacency boost; BooleanQuery of MUST TermQuery, a quoted "
      "span a MUST PhraseQuery over its folded terms (positions as indexed: "
      "title and body are one field, so a phrase may run from one into the "
      "other). Unlike tim it keeps the i/y spellings apart (sĩ/sỹ, lý/lí, "
      "tỷ/tỉ: fewer matches for words holding one), and its tokenizer cuts a "
      "word at combining marks, so it indexes the corpus's 167 articles "
      "written decomposed (NFD), 79 of them from the 2016 crawl, in pieces (a "
      "2016 date filter finds a few articles more or fewer).",
      "Facets: a custom Collector counting FieldCache StringIndex ordinals "
      "(no facet module in Lucene++ 3.0); filters: QueryWrapperFilter, "
      "TermRangeFilter, uncached; RAM buffer 64 MB, index not optimized."};
  engine.create = [](const std::string& dir, bool append) -> std::unique_ptr<Builder> {
    return Translate([&] { return std::unique_ptr<Builder>(new LuceneBuilder(dir, append)); });
  };
  engine.open = [](const std::string& dir) -> std::unique_ptr<Index> {
    return Translate([&] { return std::unique_ptr<Index>(new LuceneIndex(dir)); });
  };
  engine.compact = [](const std::string& dir, const std::string& out) {
    fs::copy(dir, out, fs::copy_options::recursive);
    Translate([&] {
      auto writer = newLucene<Lucene::IndexWriter>(
          Lucene::FSDirectory::open(Wide(out)), newLucene<FoldingAnalyzer>(),
          false, Lucene::IndexWriter::MaxFieldLengthUNLIMITED);
      writer->optimize();
      writer->close();
      return 0;
    });
  };
  return engine;
}

}  // namespace tim::bench
