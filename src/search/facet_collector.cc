#include "search/facet_collector.h"

#include <algorithm>

#include "tim/error.h"

namespace tim {

bool FacetCollector::Filter::PassesAny(Xapian::docid id) const {
  for (const uint32_t* o = column->begin(id); o != column->end(id); ++o) {
    if (accepts[*o]) return true;
  }
  return false;
}

void FacetCollector::Counter::CountEach(Xapian::docid id) {
  for (const uint32_t* o = column->begin(id); o != column->end(id); ++o) {
    ++counts[*o];
  }
}

void FacetCollector::Counter::CountAll(std::span<const Xapian::docid> ids) {
  if (single.empty()) {
    for (Xapian::docid id : ids) CountEach(id);
    return;
  }
  const uint32_t* ordinals = single.data();
  const size_t size = single.size();
  uint64_t* by_ordinal = counts.data();
  for (Xapian::docid id : ids) ++by_ordinal[id < size ? ordinals[id] : 0];
}

namespace {

const FacetColumn& RequireColumn(const FacetTable& table, const std::string& name,
                                 bool with_inferred_dates,
                                 const Xapian::Database& db) {
  const FacetColumn* column = table.Column(name, with_inferred_dates, db);
  if (!column) {
    std::string known;
    for (const std::string& n : FacetTable::Names()) known += (known.empty() ? "" : ", ") + n;
    throw Error(ErrorCode::kInvalidArgument,
                "unknown facet '" + name + "' (known: " + known + ")");
  }
  return *column;
}

}  // namespace

FacetCollector::FacetCollector(std::shared_ptr<const FacetTable> table,
                               const std::vector<std::string>& facets,
                               const FacetFilters& filters,
                               bool with_inferred_dates,
                               const Xapian::Database& db)
    : table_(std::move(table)) {
  std::map<std::string, int> filter_of_facet;
  for (const auto& [name, values] : filters) {
    if (values.empty()) continue;
    const FacetColumn& column = RequireColumn(*table_, name, with_inferred_dates, db);
    Filter filter{&column, column.single_ordinals(),
                  std::vector<uint8_t>(column.size())};
    for (const std::string& value : values) {
      const int64_t ordinal = column.Find(value);
      if (ordinal >= 0) filter.accepts[ordinal] = true;
    }
    filter_of_facet[name] = static_cast<int>(filters_.size());
    filters_.push_back(std::move(filter));
  }
  for (const std::string& name : facets) {
    const FacetColumn& column = RequireColumn(*table_, name, with_inferred_dates, db);
    Counter counter{name, &column, column.single_ordinals(),
                    std::vector<uint64_t>(column.size())};
    if (auto it = filter_of_facet.find(name); it != filter_of_facet.end()) {
      counter.filter = it->second;
    }
    counters_.push_back(std::move(counter));
  }
}

bool FacetCollector::Accept(Xapian::docid id) const {
  int failed = -1;
  for (size_t i = 0; i < filters_.size(); ++i) {
    if (filters_[i].Passes(id)) continue;
    if (failed >= 0) return false;  // fails two filters: counted nowhere
    failed = static_cast<int>(i);
  }
  if (failed < 0) {
    for (Counter& counter : counters_) counter.Count(id);
    ++accepted_;
    return true;
  }
  for (Counter& counter : counters_) {
    // A document failing only this facet's own filter still counts here,
    // so the facet shows the values a user could switch to.
    if (counter.filter == failed) counter.Count(id);
  }
  return false;
}

void FacetCollector::AcceptAll(std::span<const Xapian::docid> ids,
                               std::vector<Xapian::docid>* accepted) const {
  if (!filters_.empty()) {
    for (Xapian::docid id : ids) {
      if (Accept(id) && accepted) accepted->push_back(id);
    }
    return;
  }
  for (Counter& counter : counters_) counter.CountAll(ids);
  accepted_ += ids.size();
  if (accepted) accepted->insert(accepted->end(), ids.begin(), ids.end());
}

std::vector<FacetValue> FacetCollector::Values(const std::string& facet,
                                               size_t limit) const {
  const Counter* counter = nullptr;
  for (const Counter& c : counters_) {
    if (c.name == facet) counter = &c;
  }
  if (!counter) return {};
  std::vector<uint32_t> order;
  for (uint32_t o = 0; o < counter->counts.size(); ++o) {
    if (counter->counts[o]) order.push_back(o);
  }
  const FacetColumn& column = *counter->column;
  const auto& counts = counter->counts;
  auto by_count = [&](uint32_t a, uint32_t b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return column.label(a) < column.label(b);
  };
  std::sort(order.begin(), order.end(), by_count);
  uint64_t other = 0;
  if (limit > 0 && order.size() > limit) {
    for (size_t i = limit; i < order.size(); ++i) other += counts[order[i]];
    order.resize(limit);
  }
  if (column.in_label_order()) {
    // A histogram: in date order, "unknown" (ordinal 0) last.
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      if ((a == 0) != (b == 0)) return b == 0;
      return column.label(a) < column.label(b);
    });
  }
  std::vector<FacetValue> values;
  for (uint32_t o : order) values.push_back({column.label(o), counts[o]});
  if (other) values.push_back({kOtherValue, other});
  return values;
}

}  // namespace tim
