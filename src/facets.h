// facets.h: exact facet counts and facet filters over a whole match set.
//
// Xapian's ValueCountMatchSpy reads a value per matching document and, with
// default settings, counts only the documents the matcher happened to look
// at. tim instead loads each document's facet values once per database
// revision into compact per-docid arrays (FacetTable), so counting is an
// array lookup; the Searcher asks the matcher to look at every match, so
// counts are exact.
//
// Facet filters are applied here too, not in the Xapian query, so that the
// counts of a filtered facet can still show its other values
// (drill-sideways): a document that fails exactly one facet's filter is
// counted in that facet only.
#ifndef TIM_SRC_FACETS_H_
#define TIM_SRC_FACETS_H_

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tim/searcher.h"

namespace tim {

inline constexpr char kUnknownValue[] = "unknown";
inline constexpr char kOtherValue[] = "other";

// One facet's values for every document. Ordinal 0 is "unknown".
class FacetColumn {
 public:
  // `key_of` maps a stored value to the key documents are grouped under
  // ("" for unknown), `label_of` gives the label shown for a new key, and
  // `user_key_of` the key of a value as a user types it in a filter.
  using KeyFn = std::string (*)(std::string_view raw);
  struct Keys {
    KeyFn key_of;
    KeyFn label_of;
    KeyFn user_key_of;
  };
  // Reads each document's value from the first of `slots` that has one.
  FacetColumn(const Xapian::Database& db,
              const std::vector<Xapian::valueno>& slots, bool multi_valued,
              Keys keys, bool in_label_order);

  // The ordinals of document `id`: {0} when it has no value.
  const uint32_t* begin(Xapian::docid id) const;
  const uint32_t* end(Xapian::docid id) const;
  // When every document has exactly one ordinal: the ordinals by docid
  // (a document past the end has none, ordinal 0). Empty otherwise.
  std::span<const uint32_t> single_ordinals() const { return single_; }

  size_t size() const { return labels_.size(); }
  const std::string& label(uint32_t ordinal) const { return labels_[ordinal]; }
  // The ordinal of the value a user typed, compared by key; -1 if no
  // document has it.
  int64_t Find(std::string_view user_value) const;
  // Dates show in label order (a histogram); others by count.
  bool in_label_order() const { return in_label_order_; }

 private:
  uint32_t OrdinalOf(std::string_view raw,
                     std::unordered_map<std::string_view, uint32_t>* by_raw);

  Keys keys_;
  bool in_label_order_;
  // Multi-valued: by docid, [offsets_[id], offsets_[id+1]) of ordinals_.
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> ordinals_;
  std::vector<uint32_t> single_;  // single-valued: by docid (the others empty)
  std::vector<std::string> labels_;
  std::unordered_map<std::string, uint32_t> ordinal_by_key_;
};

// Every facet of one database revision, each loaded on first use (a CLI
// search asks for three facets; loading all of them would dominate a cold
// start). Thread-safe: loading happens once, with the caller's handle,
// which must read the revision the table was made for.
class FacetTable {
 public:
  FacetTable();

  // nullptr for an unknown facet name. With `with_inferred_dates`, the
  // date facets (year, month, day) also read dates inferred from the text.
  const FacetColumn* Column(std::string_view name, bool with_inferred_dates,
                            const Xapian::Database& db) const;
  static const std::vector<std::string>& Names();

  // Every document's date span, for date filters and sorting.
  class Dates {
   public:
    explicit Dates(const Xapian::Database& db);
    // True if document `id`'s date span overlaps [from_key, to_key]
    // (YYYYMMDD numbers, a partial date spanning its period); dates read
    // from the text count only `with_inferred_dates`.
    bool Overlap(Xapian::docid id, uint32_t from_key, uint32_t to_key,
                 bool with_inferred_dates) const;
    // The first document from `id` on that Overlap()s, or 0 if none.
    Xapian::docid NextOverlap(Xapian::docid id, uint32_t from_key, uint32_t to_key,
                              bool with_inferred_dates) const;
    // Document `id`'s metadata date as a YYYYMMDD number (00 below its
    // precision), or 0 when it has none: the date sort key.
    uint32_t Start(Xapian::docid id) const {
      return id < metadata_.size() ? metadata_[id].start : 0;
    }

   private:
    struct Span {
      uint32_t start = 0;  // 0: no date
      uint32_t end = 0;
    };
    static std::vector<Span> Load(const Xapian::Database& db,
                                  Xapian::valueno start_slot,
                                  Xapian::valueno end_slot);
    std::vector<Span> metadata_;  // by docid
    std::vector<Span> inferred_;  // by docid
  };
  const Dates& DateSpans(const Xapian::Database& db) const;

 private:
  struct Spec {
    std::vector<Xapian::valueno> slots;
    bool multi_valued;
    FacetColumn::Keys keys;
    bool in_label_order;
  };
  struct LazyColumn {
    Spec spec;
    mutable std::once_flag once;
    mutable std::unique_ptr<FacetColumn> column;
  };

  std::map<std::string, LazyColumn, std::less<>> columns_;
  mutable std::once_flag dates_once_;
  mutable std::unique_ptr<Dates> dates_;
};

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

#endif  // TIM_SRC_FACETS_H_
