// Bare Xapian: what a user gets from Xapian's defaults, so that the cost of
// tim's own layers (analysis, folding, boosts, snippets) is visible.
#include <xapian.h>

#include <memory>

#include "engine.h"

namespace tim::bench {

namespace {

constexpr Xapian::valueno kSourceSlot = 0;
constexpr Xapian::valueno kDaySlot = 1;
constexpr Xapian::valueno kYearSlot = 2;
constexpr Xapian::valueno kMonthSlot = 3;
constexpr char kSourcePrefix[] = "XS";

class XapianBuilder : public Builder {
 public:
  XapianBuilder(const std::string& dir, bool append)
      : db_(dir, append ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_CREATE_OR_OVERWRITE) {
    generator_.set_database(db_);
  }

  void Add(const Article& article) override {
    const PeerFields fields = FieldsOf(article);
    Xapian::Document doc;
    doc.set_data(article.id + '\n' + article.title + '\n' + article.body);
    doc.add_boolean_term("Q" + article.id);
    doc.add_boolean_term(kSourcePrefix + fields.source);
    doc.add_value(kSourceSlot, fields.source);
    doc.add_value(kYearSlot, fields.year);
    doc.add_value(kMonthSlot, fields.month);
    if (!fields.day.empty()) doc.add_value(kDaySlot, fields.day);
    generator_.set_document(doc);
    generator_.index_text(article.title);
    generator_.increase_termpos();
    generator_.index_text(article.body);
    db_.add_document(doc);
  }

  void Finish() override { db_.commit(); }

 private:
  Xapian::WritableDatabase db_;
  Xapian::TermGenerator generator_;
};

void CopySpy(const Xapian::ValueCountMatchSpy& spy,
             std::map<std::string, uint64_t>* out) {
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    (*out)[*it] = it.get_termfreq();
  }
}

class XapianSession : public Session {
 public:
  explicit XapianSession(const std::string& dir) : db_(dir) {
    parser_.set_database(db_);
    parser_.set_default_op(Xapian::Query::OP_AND);
  }

  BenchResult Search(const BenchQuery& query) override {
    Xapian::Query parsed = parser_.parse_query(query.text);
    std::vector<Xapian::Query> filters;
    if (!query.source.empty()) filters.emplace_back(kSourcePrefix + query.source);
    if (!query.from.empty() || !query.to.empty()) {
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kDaySlot,
                           DayKey(query.from),
                           query.to.empty() ? "99999999" : DayKey(query.to));
    }
    for (const Xapian::Query& filter : filters) {
      parsed = Xapian::Query(Xapian::Query::OP_FILTER, parsed, filter);
    }
    Xapian::Enquire enquire(db_);
    enquire.set_query(parsed);
    if (query.newest_first) enquire.set_sort_by_value_then_relevance(kDaySlot, true);
    Xapian::ValueCountMatchSpy sources(kSourceSlot);
    Xapian::ValueCountMatchSpy years(kYearSlot);
    Xapian::ValueCountMatchSpy months(kMonthSlot);
    if (query.facets) {
      enquire.add_matchspy(&sources);
      enquire.add_matchspy(&years);
      enquire.add_matchspy(&months);
    }
    // checkatleast = doccount: an exact total, and spies that see every match.
    const Xapian::MSet mset =
        enquire.get_mset(query.offset, query.limit, db_.get_doccount());
    BenchResult result;
    result.total = mset.get_matches_estimated();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const std::string data = it.get_document().get_data();
      result.ids.push_back(data.substr(0, data.find('\n')));
    }
    if (query.facets) {
      CopySpy(sources, &result.facets.source);
      CopySpy(years, &result.facets.year);
      CopySpy(months, &result.facets.month);
    }
    return result;
  }

 private:
  Xapian::Database db_;
  Xapian::QueryParser parser_;
};

class XapianIndex : public SessionPerDirectory<XapianSession> {
 public:
  explicit XapianIndex(const std::string& dir) : SessionPerDirectory(dir) {
    Xapian::Database probe(dir);  // fail here, not in a worker thread
  }
};

}  // namespace

Engine XapianEngine() {
  Engine engine;
  engine.name = "xapian";
  engine.version = std::string("Xapian ") + Xapian::version_string();
  engine.notes = {
      "Default TermGenerator and QueryParser (default_op AND, no stemmer): "
      "lowercases only, so it cannot fold diacritics; queries typed without "
      "them match only unaccented words. A quoted span is the QueryParser's "
      "own phrase (FLAG_PHRASE is a default): OP_PHRASE over the positions "
      "the TermGenerator indexes (title and body apart).",
      "Facets: three ValueCountMatchSpy (source, year, month) with "
      "checkatleast = doccount; date range: OP_VALUE_RANGE on YYYYMMDD."};
  engine.create = CreateBuilder<XapianBuilder>;
  engine.open = OpenIndex<XapianIndex>;
  engine.compact = RunXapianCompact;
  return engine;
}

}  // namespace tim::bench
