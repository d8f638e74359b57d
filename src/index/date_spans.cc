#include "index/date_spans.h"

#include <string>

#include "index/schema.h"
#include "index/value_streams.h"

namespace tim {

DateSpanTable::DateSpanTable(const Xapian::Database& db, bool remote)
    : metadata_(Load(db, remote, schema::kDateStartSlot, schema::kDateEndSlot)),
      inferred_(Load(db, remote, schema::kInferredDateStartSlot, schema::kInferredDateEndSlot)) {}

std::vector<DateSpanTable::Span> DateSpanTable::Load(const Xapian::Database& db, bool remote,
                                                     Xapian::valueno start_slot,
                                                     Xapian::valueno end_slot) {
  std::vector<Span> spans(db.get_lastdocid() + 1);
  auto load = [&](Xapian::valueno slot, uint32_t Span::*field) {
    ForEachValue(db, slot, remote, [&](Xapian::docid id, const std::string& value) {
      spans[id].*field = static_cast<uint32_t>(std::stoul(value));
    });
  };
  load(start_slot, &Span::start);
  load(end_slot, &Span::end);
  return spans;
}

bool DateSpanTable::Overlap(Xapian::docid id, uint32_t from_key,
                            uint32_t to_key, bool with_inferred_dates) const {
  auto overlaps = [&](const std::vector<Span>& spans) {
    if (id >= spans.size() || spans[id].start == 0) return false;
    return spans[id].start <= to_key && spans[id].end >= from_key;
  };
  return overlaps(metadata_) || (with_inferred_dates && overlaps(inferred_));
}

Xapian::docid DateSpanTable::NextOverlap(Xapian::docid id, uint32_t from_key,
                                         uint32_t to_key,
                                         bool with_inferred_dates) const {
  for (; id < metadata_.size(); ++id) {
    if (Overlap(id, from_key, to_key, with_inferred_dates)) return id;
  }
  return 0;
}

}  // namespace tim
