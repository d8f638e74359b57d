#include "facets.h"

#include <algorithm>
#include <numeric>

#include "document_builder.h"
#include "schema.h"
#include "tim/error.h"

namespace tim {

namespace {

std::string Identity(std::string_view raw) { return std::string(raw); }

std::string PublisherKey(std::string_view raw) { return SourceKey(raw); }

std::string AliasKey(std::string_view user_value) {
  return user_value == kUnknownValue ? std::string(kUnknownValue) : NameKey(user_value);
}

// kDateKindSlot holds "m" or "i"; users filter on the words.
std::string DateKind(std::string_view raw) {
  if (raw == "m" || raw == "metadata") return "metadata";
  if (raw == "i" || raw == "inferred") return "inferred";
  return "";
}

constexpr char kWithInferred[] = "+inferred";

// Date facets read DateKey()s, "YYYYMMDD" with 00 below the precision.
std::string YearOf(std::string_view key) {
  return key.size() == 8 ? std::string(key.substr(0, 4)) : "";
}

std::string MonthOf(std::string_view key) {
  if (key.size() != 8 || key.substr(4, 2) == "00") return "";
  std::string month(key.substr(0, 4));
  month += '-';
  month += key.substr(4, 2);
  return month;
}

std::string DayOf(std::string_view key) {
  if (key.size() != 8 || key.substr(6, 2) == "00") return "";
  std::string day = MonthOf(key);
  day += '-';
  day += key.substr(6, 2);
  return day;
}

// Splits a multi-valued slot on schema::kListSeparator.
template <typename Fn>
void ForEachPiece(std::string_view value, bool multi_valued, Fn&& fn) {
  if (!multi_valued) {
    fn(value);
    return;
  }
  while (!value.empty()) {
    const size_t cut = value.find(schema::kListSeparator);
    fn(value.substr(0, cut));
    if (cut == std::string_view::npos) break;
    value.remove_prefix(cut + 1);
  }
}

}  // namespace

FacetColumn::FacetColumn(const Xapian::Database& db,
                         const std::vector<Xapian::valueno>& slots,
                         bool multi_valued, Keys keys, bool in_label_order)
    : keys_(keys), in_label_order_(in_label_order) {
  labels_.push_back(kUnknownValue);
  const Xapian::docid last = db.get_lastdocid();
  std::vector<std::string> values(last + 1);
  for (auto slot = slots.rbegin(); slot != slots.rend(); ++slot) {
    for (auto it = db.valuestream_begin(*slot); it != db.valuestream_end(*slot);
         ++it) {
      values[it.get_docid()] = *it;  // earlier slots overwrite later ones
    }
  }
  // Raw values repeat (97 publishers over 70k articles): compute each one's
  // key once.
  // (Keys are views into `values`, which outlives the map.)
  std::unordered_map<std::string_view, uint32_t> by_raw;
  offsets_.assign(last + 2, 0);
  for (Xapian::docid id = 1; id <= last; ++id) {
    const size_t first = ordinals_.size();
    offsets_[id] = static_cast<uint32_t>(first);
    ForEachPiece(values[id], multi_valued, [&](std::string_view piece) {
      if (piece.empty()) return;
      const uint32_t ordinal = OrdinalOf(piece, &by_raw);
      if (std::find(ordinals_.begin() + first, ordinals_.end(), ordinal) ==
          ordinals_.end()) {
        ordinals_.push_back(ordinal);
      }
    });
    if (ordinals_.size() == first) ordinals_.push_back(0);
  }
  offsets_[last + 1] = static_cast<uint32_t>(ordinals_.size());
  if (!multi_valued) {
    // One ordinal per document: counting reads it without the offsets.
    single_.assign(ordinals_.begin() + offsets_[1], ordinals_.end());
    single_.insert(single_.begin(), 0);
    std::vector<uint32_t>().swap(offsets_);
    std::vector<uint32_t>().swap(ordinals_);
  }
}

uint32_t FacetColumn::OrdinalOf(
    std::string_view raw, std::unordered_map<std::string_view, uint32_t>* by_raw) {
  if (auto it = by_raw->find(raw); it != by_raw->end()) return it->second;
  const std::string key = keys_.key_of(raw);
  uint32_t ordinal = 0;
  if (!key.empty() && key != kUnknownValue) {
    auto [it, added] = ordinal_by_key_.try_emplace(key, labels_.size());
    if (added) labels_.push_back(keys_.label_of(raw));
    ordinal = it->second;
  }
  by_raw->emplace(raw, ordinal);
  return ordinal;
}

const uint32_t* FacetColumn::begin(Xapian::docid id) const {
  static const uint32_t kUnknown = 0;
  if (!single_.empty()) return id < single_.size() ? &single_[id] : &kUnknown;
  if (id + 1 >= offsets_.size()) return &kUnknown;
  return ordinals_.data() + offsets_[id];
}

const uint32_t* FacetColumn::end(Xapian::docid id) const {
  if (!single_.empty() || id + 1 >= offsets_.size()) return begin(id) + 1;
  return ordinals_.data() + offsets_[id + 1];
}

int64_t FacetColumn::Find(std::string_view user_value) const {
  const std::string key = keys_.user_key_of(user_value);
  if (key.empty() || key == kUnknownValue) return 0;
  auto it = ordinal_by_key_.find(key);
  if (it == ordinal_by_key_.end()) return -1;
  return it->second;
}

FacetTable::FacetTable() {
  using namespace schema;
  auto add = [&](const std::string& name, std::vector<Xapian::valueno> slots,
                 bool multi, FacetColumn::Keys keys, bool dates) {
    columns_[name].spec = Spec{std::move(slots), multi, keys, dates};
  };
  // Names group by SourceKey, so "Dân trí" and "DAN TRI" are one value.
  // Filters find a publisher or agency by any alias ("dantri.com.vn").
  const FacetColumn::Keys name{PublisherKey, Identity, PublisherKey};
  const FacetColumn::Keys alias{PublisherKey, Identity, AliasKey};
  add("source", {kSourceSlot}, false, alias, false);
  add("category", {kCategorySlot}, false, name, false);
  add("cites", {kCitesSlot}, true, alias, false);
  add("date_kind", {kDateKindSlot}, false, {DateKind, DateKind, Identity}, false);
  // Date facets group stored DateKeys by period; users type the label. The
  // "+inferred" columns fall back on the date read from the text.
  const FacetColumn::Keys periods[] = {{YearOf, YearOf, Identity},
                                       {MonthOf, MonthOf, Identity},
                                       {DayOf, DayOf, Identity}};
  const char* period_names[] = {"year", "month", "day"};
  for (int i = 0; i < 3; ++i) {
    add(period_names[i], {kDateStartSlot}, false, periods[i], true);
    add(std::string(period_names[i]) + kWithInferred,
        {kDateStartSlot, kInferredDateStartSlot}, false, periods[i], true);
  }
}

FacetTable::Dates::Dates(const Xapian::Database& db)
    : metadata_(Load(db, schema::kDateStartSlot, schema::kDateEndSlot)),
      inferred_(Load(db, schema::kInferredDateStartSlot,
                     schema::kInferredDateEndSlot)) {}

std::vector<FacetTable::Dates::Span> FacetTable::Dates::Load(
    const Xapian::Database& db, Xapian::valueno start_slot,
    Xapian::valueno end_slot) {
  std::vector<Span> spans(db.get_lastdocid() + 1);
  auto load = [&](Xapian::valueno slot, uint32_t Span::*field) {
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
      spans[it.get_docid()].*field = static_cast<uint32_t>(std::stoul(*it));
    }
  };
  load(start_slot, &Span::start);
  load(end_slot, &Span::end);
  return spans;
}

bool FacetTable::Dates::Overlap(Xapian::docid id, uint32_t from_key,
                                uint32_t to_key, bool with_inferred_dates) const {
  auto overlaps = [&](const std::vector<Span>& spans) {
    if (id >= spans.size() || spans[id].start == 0) return false;
    return spans[id].start <= to_key && spans[id].end >= from_key;
  };
  return overlaps(metadata_) || (with_inferred_dates && overlaps(inferred_));
}

Xapian::docid FacetTable::Dates::NextOverlap(Xapian::docid id, uint32_t from_key,
                                             uint32_t to_key,
                                             bool with_inferred_dates) const {
  for (; id < metadata_.size(); ++id) {
    if (Overlap(id, from_key, to_key, with_inferred_dates)) return id;
  }
  return 0;
}

const FacetTable::Dates& FacetTable::DateSpans(const Xapian::Database& db) const {
  std::call_once(dates_once_, [&] { dates_ = std::make_unique<Dates>(db); });
  return *dates_;
}

const FacetColumn* FacetTable::Column(std::string_view name,
                                      bool with_inferred_dates,
                                      const Xapian::Database& db) const {
  if (name.find('+') != std::string_view::npos) return nullptr;
  auto it = columns_.end();
  if (with_inferred_dates) {
    it = columns_.find(std::string(name) + kWithInferred);
  }
  if (it == columns_.end()) it = columns_.find(name);
  if (it == columns_.end()) return nullptr;
  const LazyColumn& lazy = it->second;
  std::call_once(lazy.once, [&] {
    lazy.column = std::make_unique<FacetColumn>(
        db, lazy.spec.slots, lazy.spec.multi_valued, lazy.spec.keys,
        lazy.spec.in_label_order);
  });
  return lazy.column.get();
}

const std::vector<std::string>& FacetTable::Names() {
  static const std::vector<std::string> kNames = {
      "source", "category", "cites", "date_kind", "year", "month", "day"};
  return kNames;
}

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
