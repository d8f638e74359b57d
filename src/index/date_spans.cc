#include "index/date_spans.h"

#include <algorithm>
#include <string>

#include "index/schema.h"
#include "index/value_streams.h"

namespace tim {

DateSpanTable::DateSpanTable(const Xapian::Database& db, bool remote)
    : metadata_(Load(db, remote, schema::kDateStartSlot, schema::kDateEndSlot)),
      inferred_(Load(db, remote, schema::kInferredDateStartSlot, schema::kInferredDateEndSlot)),
      metadata_blocks_(Blocks(metadata_)),
      inferred_blocks_(Blocks(inferred_)) {}

std::vector<DateSpanTable::Span> DateSpanTable::Blocks(const std::vector<Span>& spans) {
  std::vector<Span> blocks((spans.size() + kBlock - 1) / kBlock);
  for (size_t id = 0; id < spans.size(); ++id) {
    if (spans[id].start == 0) continue;
    Span& block = blocks[id / kBlock];
    block.start = block.start == 0 ? spans[id].start : std::min(block.start, spans[id].start);
    block.end = std::max(block.end, spans[id].end);
  }
  return blocks;
}

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

bool DateSpanTable::Overlap(const std::vector<Span>& spans, size_t at, uint32_t from_key,
                            uint32_t to_key) {
  return at < spans.size() && spans[at].start != 0 && spans[at].start <= to_key &&
         spans[at].end >= from_key;
}

bool DateSpanTable::Overlap(Xapian::docid id, uint32_t from_key,
                            uint32_t to_key, bool with_inferred_dates) const {
  return Overlap(metadata_, id, from_key, to_key) ||
         (with_inferred_dates && Overlap(inferred_, id, from_key, to_key));
}

bool DateSpanTable::BlockOverlaps(Xapian::docid id, uint32_t from_key, uint32_t to_key,
                                  bool with_inferred_dates) const {
  const size_t block = id / kBlock;
  return Overlap(metadata_blocks_, block, from_key, to_key) ||
         (with_inferred_dates && Overlap(inferred_blocks_, block, from_key, to_key));
}

Xapian::docid DateSpanTable::NextOverlap(Xapian::docid id, uint32_t from_key,
                                         uint32_t to_key,
                                         bool with_inferred_dates) const {
  while (id < metadata_.size()) {
    if (!BlockOverlaps(id, from_key, to_key, with_inferred_dates)) {
      id = (id / kBlock + 1) * kBlock;
      continue;
    }
    if (Overlap(id, from_key, to_key, with_inferred_dates)) return id;
    ++id;
  }
  return 0;
}

}  // namespace tim
