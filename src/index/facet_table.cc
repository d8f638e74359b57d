#include "index/facet_table.h"

#include <algorithm>
#include <numeric>

#include "index/schema.h"
#include "index/value_streams.h"
#include "text/names.h"
#include "text/source_aliases.h"
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
                         bool multi_valued, Keys keys, bool in_label_order, bool remote)
    : keys_(keys), in_label_order_(in_label_order) {
  labels_.push_back(kUnknownValue);
  const Xapian::docid last = db.get_lastdocid();
  std::vector<std::string> values(last + 1);
  for (auto slot = slots.rbegin(); slot != slots.rend(); ++slot) {
    // (Earlier slots overwrite later ones.)
    ForEachValue(db, *slot, remote,
                 [&](Xapian::docid id, const std::string& value) { values[id] = value; });
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
  if (user_value == kUnknownValue) return 0;
  const std::string key = keys_.user_key_of(user_value);
  // A value without a key ("", "!!!", a misspelt date kind) names nothing,
  // as the term a filter looks up for it would: not the unknown value.
  if (key.empty()) return -1;
  if (key == kUnknownValue) return 0;
  auto it = ordinal_by_key_.find(key);
  if (it == ordinal_by_key_.end()) return -1;
  return it->second;
}

FacetTable::FacetTable(bool remote) : remote_(remote) {
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

const DateSpanTable& FacetTable::DateSpans(const Xapian::Database& db) const {
  std::call_once(dates_once_, [&] { dates_ = std::make_unique<DateSpanTable>(db, remote_); });
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
        lazy.spec.in_label_order, remote_);
  });
  return lazy.column.get();
}

const std::vector<std::string>& FacetTable::Names() {
  static const std::vector<std::string> kNames = {
      "source", "category", "cites", "date_kind", "year", "month", "day"};
  return kNames;
}

}  // namespace tim
