// schema.h: how an article is laid out in the Xapian database.
//
// Bump kSchemaVersion whenever terms, values or stored data change meaning:
// it is part of every document's content hash, so a re-ingest after an
// upgrade rewrites documents instead of calling them unchanged.
#ifndef TIM_SRC_INDEX_SCHEMA_H_
#define TIM_SRC_INDEX_SCHEMA_H_

#include <xapian.h>

#include <string>

namespace tim::schema {

constexpr int kSchemaVersion = 5;
// The metadata key holding the kSchemaVersion a database was written with
// (set by every writer; absent in databases written before schema 5's key).
inline constexpr char kSchemaVersionKey[] = "tim.schema_version";

// Records kSchemaVersion in `db`, to be committed with a writer's changes.
// (Only just before a commit: a pending change of a handle whose directory
// a staged batch has since replaced would be written into the new one.)
inline void RecordSchemaVersion(Xapian::WritableDatabase& db) {
  db.set_metadata(kSchemaVersionKey, std::to_string(kSchemaVersion));
}

// Value slots.
// "YYYYMMDD" with 00 below the date's precision: the first day it may mean.
constexpr Xapian::valueno kDateStartSlot = 0;
// "YYYYMMDD" with 99 below the date's precision: the last day it may mean.
// Two bounds let a date filter keep a partial date that overlaps the range.
constexpr Xapian::valueno kDateEndSlot = 1;
constexpr Xapian::valueno kSourceSlot = 2;       // display name
constexpr Xapian::valueno kContentHashSlot = 3;  // see ContentHash()
constexpr Xapian::valueno kCategorySlot = 4;     // display name
// The publishers and agencies an article credits or cites ("Reuters",
// "Axios"), display names joined by kListSeparator.
constexpr Xapian::valueno kCitesSlot = 5;
// Where the date came from: "m" metadata, "i" inferred from the text (no
// value: undated). Only metadata dates fill kDateStartSlot/kDateEndSlot, so
// date filters, date sorting and the year/month facets ignore inferred
// dates unless they are asked to read the two slots below as well.
constexpr Xapian::valueno kDateKindSlot = 6;
// The same keys as kDateStartSlot/kDateEndSlot, for a date inferred from
// the text (InferDateFromText); such documents also get kInferredDateTerm.
constexpr Xapian::valueno kInferredDateStartSlot = 7;
constexpr Xapian::valueno kInferredDateEndSlot = 8;
// The document's folded syllables in order, and how often each is spelt the
// common way (position_map.h), for phrases, adjacency and exact matches:
// the index has no Xapian positions since schema 4.
constexpr Xapian::valueno kPositionMapSlot = 9;
// The article's JSON compressed with a zstd dictionary (stored_article_codec.h),
// when the database has one; else the JSON is the document's data. Glass
// deflates every document's data, which zstd's output cannot shrink: as a
// value it skips that, 10 % of the ingest instructions.
constexpr Xapian::valueno kStoredArticleSlot = 10;

constexpr char kListSeparator = '\x1f';

// Term prefixes. Unprefixed terms are folded syllables ("dam", "phan"):
// every match and phrase runs on them (phrases through kPositionMapSlot),
// so that typing without diacritics loses nothing. "E" terms hold a
// syllable's exact spelling ("Enằm"), to prefer exactly-accented matches:
// since schema 5 only spellings other than the syllable's common one
// ("năm"... see common_spellings.h), which the position map records.
constexpr char kIdPrefix[] = "Q";
constexpr char kExactPrefix[] = "E";
constexpr char kTitlePrefix[] = "S";     // folded title syllables
constexpr char kSourcePrefix[] = "XS";   // SourceKey() of the publisher
constexpr char kCategoryPrefix[] = "XC"; // SourceKey() of the category
constexpr char kCitesPrefix[] = "XA";    // SourceKey() of a cited agency
constexpr char kInferredDateTerm[] = "XDinferred";  // date read from text
constexpr char kBodyFingerprintPrefix[] = "XF";  // see BodyFingerprint()

// User metadata: a zstd dictionary of the stored data (stored_article_codec.h) is
// kept under this prefix and its id in 8 hex digits.
constexpr char kDictionaryKeyPrefix[] = "tim.zstd-dictionary.";

// Xapian rejects terms over 245 bytes; longer ids are hashed.
constexpr size_t kMaxIdTermBytes = 200;

}  // namespace tim::schema

#endif  // TIM_SRC_INDEX_SCHEMA_H_
