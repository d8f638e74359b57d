// facets.h: exact facet counts over a whole match set.
//
// Xapian's ValueCountMatchSpy reads a value per matching document and, with
// default settings, counts only the documents the matcher happened to look
// at. tim instead loads each document's publisher and date once, into arrays
// indexed by docid (FacetTable), and the spy only increments counters; the
// Searcher asks the matcher to look at every match so counts are exact.
#ifndef TIM_SRC_FACETS_H_
#define TIM_SRC_FACETS_H_

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tim/searcher.h"

namespace tim {

inline constexpr char kUnknownValue[] = "unknown";

// Per-document facet attributes of one database revision. Immutable once
// built, so it may be shared between threads.
class FacetTable {
 public:
  explicit FacetTable(const Xapian::Database& db);

  // Ordinal 0 stands for "unknown" in both tables.
  uint32_t source_of(Xapian::docid id) const { return At(source_ordinal_, id); }
  uint32_t date_of(Xapian::docid id) const { return At(date_ordinal_, id); }
  size_t source_count() const { return source_names_.size(); }
  size_t date_count() const { return date_keys_.size(); }
  const std::string& source_name(uint32_t ordinal) const {
    return source_names_[ordinal];
  }
  // "YYYYMMDD" (see DateKey) of a date ordinal; empty for ordinal 0.
  const std::string& date_key(uint32_t ordinal) const {
    return date_keys_[ordinal];
  }

 private:
  static uint32_t At(const std::vector<uint32_t>& table, Xapian::docid id) {
    return id < table.size() ? table[id] : 0;
  }

  std::vector<uint32_t> source_ordinal_;  // by docid
  std::vector<uint32_t> date_ordinal_;    // by docid
  std::vector<std::string> source_names_;
  std::vector<std::string> date_keys_;    // sorted, so ordinals sort by date
};

// Counts facet values of the documents the matcher hands it.
class FacetCounter : public Xapian::MatchSpy {
 public:
  explicit FacetCounter(std::shared_ptr<const FacetTable> table);

  void operator()(const Xapian::Document& doc, double weight) override;

  // Counts by facet name: "source" (by count, descending), "year" and
  // "month" (in date order, "unknown" last). Zero counts are left out.
  std::vector<FacetValue> Values(const std::string& facet) const;

  // True for the facet names Values() accepts.
  static bool IsKnownFacet(const std::string& facet);

 private:
  std::shared_ptr<const FacetTable> table_;
  std::vector<uint64_t> by_source_;
  std::vector<uint64_t> by_date_;
};

}  // namespace tim

#endif  // TIM_SRC_FACETS_H_
