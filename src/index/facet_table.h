// facet_table.h: each document's facet values, read from the database once
// per revision.
//
// Xapian's ValueCountMatchSpy reads a value per matching document and, with
// default settings, counts only the documents the matcher happened to look
// at. tim instead loads each document's facet values once per database
// revision into compact per-docid arrays (FacetTable), so counting is an
// array lookup (search/facet_collector.h).
#ifndef TIM_SRC_INDEX_FACET_TABLE_H_
#define TIM_SRC_INDEX_FACET_TABLE_H_

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

#include "index/date_spans.h"

namespace tim {

inline constexpr char kUnknownValue[] = "unknown";

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
  // `remote`: `db` has remote shards (value_streams.h).
  FacetColumn(const Xapian::Database& db,
              const std::vector<Xapian::valueno>& slots, bool multi_valued,
              Keys keys, bool in_label_order, bool remote = false);

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

// Every facet of one database revision, and its date spans (DateSpans),
// each loaded on first use (a CLI search asks for three facets; loading all
// of them would dominate a cold start). Thread-safe: loading happens once,
// with the caller's handle, which must read the revision the table was made
// for.
class FacetTable {
 public:
  // `remote`: the database read has remote shards (value_streams.h).
  explicit FacetTable(bool remote = false);

  // nullptr for an unknown facet name. With `with_inferred_dates`, the
  // date facets (year, month, day) also read dates inferred from the text.
  const FacetColumn* Column(std::string_view name, bool with_inferred_dates,
                            const Xapian::Database& db) const;
  static const std::vector<std::string>& Names();

  // The date spans of the revision, for date filters and sorting.
  const DateSpanTable& DateSpans(const Xapian::Database& db) const;

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

  bool remote_;
  std::map<std::string, LazyColumn, std::less<>> columns_;
  mutable std::once_flag dates_once_;
  mutable std::unique_ptr<DateSpanTable> dates_;
};

}  // namespace tim

#endif  // TIM_SRC_INDEX_FACET_TABLE_H_
