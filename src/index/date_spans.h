// date_spans.h: every document's date span, read from the database once
// per revision, for date filters (MatchTree's date ranges) and date sorting.
#ifndef TIM_SRC_INDEX_DATE_SPANS_H_
#define TIM_SRC_INDEX_DATE_SPANS_H_

#include <xapian.h>

#include <cstdint>
#include <vector>

namespace tim {

class DateSpanTable {
 public:
  // `remote`: `db` has remote shards (value_streams.h).
  explicit DateSpanTable(const Xapian::Database& db, bool remote = false);
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
  // Documents are ingested in batches of nearby dates, so that most blocks
  // of consecutive docids hold no date of a range: NextOverlap passes over
  // such a block at once, by its earliest start and latest end.
  static constexpr Xapian::docid kBlock = 64;
  static std::vector<Span> Load(const Xapian::Database& db, bool remote,
                                Xapian::valueno start_slot, Xapian::valueno end_slot);
  static std::vector<Span> Blocks(const std::vector<Span>& spans);
  static bool Overlap(const std::vector<Span>& spans, size_t at, uint32_t from_key,
                      uint32_t to_key);
  // Whether the block of `id` may hold a document that Overlap()s.
  bool BlockOverlaps(Xapian::docid id, uint32_t from_key, uint32_t to_key,
                     bool with_inferred_dates) const;
  std::vector<Span> metadata_;  // by docid
  std::vector<Span> inferred_;  // by docid
  std::vector<Span> metadata_blocks_;  // by docid / kBlock
  std::vector<Span> inferred_blocks_;
};

}  // namespace tim

#endif  // TIM_SRC_INDEX_DATE_SPANS_H_
