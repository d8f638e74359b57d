// facet_collector.h: exact facet counts and facet filters over a whole match
// set, from the FacetTable of the database revision (index/facet_table.h);
// the Searcher asks the matcher to look at every match, so counts are exact.
//
// Facet filters are applied here, not in the Xapian query, so that the
// counts of a filtered facet can still show its other values
// (drill-sideways): a document that fails exactly one facet's filter is
// counted in that facet only.
#ifndef TIM_SRC_SEARCH_FACET_COLLECTOR_H_
#define TIM_SRC_SEARCH_FACET_COLLECTOR_H_

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "index/facet_table.h"
#include "tim/searcher.h"

namespace tim {

inline constexpr char kOtherValue[] = "other";

using FacetFilters = std::map<std::string, std::vector<std::string>>;

// Decides which documents of the base query pass the facet filters, and
// counts the requested facets on the way. Xapian calls it once per
// matching document (all of them, given check_at_least = doccount).
class FacetCollector : public Xapian::MatchDecider {
 public:
  // Throws Error(kInvalidArgument) for an unknown facet name.
  FacetCollector(std::shared_ptr<const FacetTable> table,
                 const std::vector<std::string>& facets,
                 const FacetFilters& filters, bool with_inferred_dates,
                 const Xapian::Database& db);

  bool operator()(const Xapian::Document& doc) const override {
    return Accept(doc.get_docid());
  }

  // Counts document `id` (a match of the base query) where it belongs and
  // says whether it passes every filter.
  bool Accept(Xapian::docid id) const;
  // Accept() for each of `ids`, appending those it accepts to `accepted`
  // when given: without filters, each facet counts them in one tight loop.
  void AcceptAll(std::span<const Xapian::docid> ids,
                 std::vector<Xapian::docid>* accepted) const;

  // True if Accept() neither counts nor filters anything.
  bool Inert() const { return filters_.empty() && counters_.empty(); }

  // How many documents Accept() let through.
  uint64_t accepted() const { return accepted_; }

  // Counts of a requested facet: by count descending (dates: in date
  // order, "unknown" last), zero counts left out; with `limit` > 0, the
  // `limit` largest values and the rest summed as "other".
  std::vector<FacetValue> Values(const std::string& facet, size_t limit) const;

 private:
  // Accept() runs for every match: single-valued columns (all but
  // "cites") are read straight from their flat array.
  struct Filter {
    const FacetColumn* column;
    std::span<const uint32_t> single;
    std::vector<uint8_t> accepts;  // by ordinal
    bool Passes(Xapian::docid id) const {
      if (single.empty()) return PassesAny(id);
      return accepts[id < single.size() ? single[id] : 0];
    }
    bool PassesAny(Xapian::docid id) const;
  };
  struct Counter {
    std::string name;
    const FacetColumn* column;
    std::span<const uint32_t> single;
    std::vector<uint64_t> counts;  // by ordinal
    int filter = -1;               // index of this facet's own filter
    void Count(Xapian::docid id) {
      if (single.empty()) return CountEach(id);
      ++counts[id < single.size() ? single[id] : 0];
    }
    void CountEach(Xapian::docid id);
    void CountAll(std::span<const Xapian::docid> ids);
  };

  std::shared_ptr<const FacetTable> table_;
  std::vector<Filter> filters_;
  // Counting does not change which documents match; Xapian's interface
  // makes operator() const.
  mutable std::vector<Counter> counters_;
  mutable uint64_t accepted_ = 0;
};

}  // namespace tim

#endif  // TIM_SRC_SEARCH_FACET_COLLECTOR_H_
