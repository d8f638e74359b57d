#include "facets.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "date_parser.h"
#include "document_builder.h"
#include "schema.h"

namespace tim {

namespace {

// Fills `ordinals` (by docid) from the values in `slot`, numbering distinct
// values from 1 in the order of `names` (which it fills, 0 = unknown).
void LoadSlot(const Xapian::Database& db, Xapian::valueno slot,
              bool key_by_source, std::vector<uint32_t>* ordinals,
              std::vector<std::string>* names) {
  std::vector<std::pair<Xapian::docid, std::string>> values;
  for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot);
       ++it) {
    values.emplace_back(it.get_docid(), *it);
  }
  // Publishers spelled differently ("Dân trí", "Dân Trí") are one value,
  // shown under the spelling met first.
  std::map<std::string, std::string> display_by_key;
  for (const auto& [docid, value] : values) {
    display_by_key.try_emplace(key_by_source ? SourceKey(value) : value, value);
  }
  names->assign(1, kUnknownValue);
  std::unordered_map<std::string, uint32_t> ordinal_by_key;
  for (const auto& [key, display] : display_by_key) {
    ordinal_by_key.emplace(key, static_cast<uint32_t>(names->size()));
    names->push_back(key_by_source ? display : key);
  }
  ordinals->assign(db.get_lastdocid() + 1, 0);
  for (const auto& [docid, value] : values) {
    (*ordinals)[docid] =
        ordinal_by_key.at(key_by_source ? SourceKey(value) : value);
  }
}

std::vector<FacetValue> ByCountDescending(std::vector<FacetValue> values) {
  std::stable_sort(values.begin(), values.end(),
                   [](const FacetValue& a, const FacetValue& b) {
                     return a.count > b.count;
                   });
  return values;
}

}  // namespace

FacetTable::FacetTable(const Xapian::Database& db) {
  LoadSlot(db, schema::kSourceSlot, /*key_by_source=*/true, &source_ordinal_,
           &source_names_);
  LoadSlot(db, schema::kDateStartSlot, /*key_by_source=*/false,
           &date_ordinal_, &date_keys_);
  date_keys_[0].clear();
}

FacetCounter::FacetCounter(std::shared_ptr<const FacetTable> table)
    : table_(std::move(table)),
      by_source_(table_->source_count()),
      by_date_(table_->date_count()) {}

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  const Xapian::docid id = doc.get_docid();
  ++by_source_[table_->source_of(id)];
  ++by_date_[table_->date_of(id)];
}

bool FacetCounter::IsKnownFacet(const std::string& facet) {
  return facet == "source" || facet == "year" || facet == "month";
}

std::vector<FacetValue> FacetCounter::Values(const std::string& facet) const {
  std::vector<FacetValue> values;
  if (facet == "source") {
    for (size_t i = 0; i < by_source_.size(); ++i) {
      if (by_source_[i]) values.push_back({table_->source_name(i), by_source_[i]});
    }
    return ByCountDescending(std::move(values));
  }
  // Date keys are sorted, so a period's dates are consecutive ordinals: one
  // pass merges them into year or month buckets, in date order.
  const size_t prefix = facet == "year" ? 4 : 6;
  uint64_t unknown = by_date_.empty() ? 0 : by_date_[0];
  for (size_t i = 1; i < by_date_.size(); ++i) {
    if (!by_date_[i]) continue;
    const std::string& key = table_->date_key(i);
    if (prefix == 6 && key.compare(4, 2, "00") == 0) {
      unknown += by_date_[i];  // known to the year only: month unknown
      continue;
    }
    std::string label = key.substr(0, 4);
    if (prefix == 6) {
      label += '-';
      label.append(key, 4, 2);
    }
    if (!values.empty() && values.back().value == label) {
      values.back().count += by_date_[i];
    } else {
      values.push_back({label, by_date_[i]});
    }
  }
  if (unknown) values.push_back({kUnknownValue, unknown});
  return values;
}

}  // namespace tim
