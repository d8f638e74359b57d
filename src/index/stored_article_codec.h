// stored_article_codec.h: how an article's JSON is stored as its document's data.
//
// Xapian compresses each document's data alone with zlib, which finds
// little to share within one article (0.45 of the JSON on the news
// corpus). A zstd dictionary trained on the user's own articles holds
// what articles have in common, and brings that to 0.34.
//
// The stored data (the document's data, or kStoredArticleSlot) is either
//  - the JSON itself, starting with '{' (every database before this
//    format, and batches too small to train a dictionary); or
//  - kCompressedMarker, the 4-byte id of the dictionary (little-endian),
//    and the zstd frame without its 4-byte magic number.
// A dictionary lives in the database's user metadata under
// DictionaryKey(id); its id comes from its content, so databases merged by
// the compactor keep every dictionary their documents need.
#ifndef TIM_SRC_INDEX_STORED_ARTICLE_CODEC_H_
#define TIM_SRC_INDEX_STORED_ARTICLE_CODEC_H_

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;
struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace tim {

// Samples (JSON of articles) a dictionary is trained on, at most.
inline constexpr size_t kTrainingSamples = 2000;
// Fewer samples than this train no dictionary: the data stays plain JSON.
inline constexpr size_t kMinTrainingSamples = 500;
// The bytes of one article's JSON a sample keeps, at most.
inline constexpr size_t kMaxTrainingSampleBytes = 16 * 1024;

struct ZstdFree {
  void operator()(ZSTD_CCtx_s* context) const;
  void operator()(ZSTD_DCtx_s* context) const;
  void operator()(ZSTD_CDict_s* dictionary) const;
  void operator()(ZSTD_DDict_s* dictionary) const;
};

// A trained dictionary, ready to compress with. Immutable: threads share it.
class StoredDataDictionary {
 public:
  // Throws Error(kCorruption) if `bytes` is not a zstd dictionary.
  explicit StoredDataDictionary(std::string bytes);

  uint32_t id() const { return id_; }
  const std::string& bytes() const { return bytes_; }
  const ZSTD_CDict_s* compression() const { return compression_.get(); }

 private:
  std::string bytes_;
  uint32_t id_;
  std::unique_ptr<ZSTD_CDict_s, ZstdFree> compression_;
};

// The metadata key of dictionary `id`.
std::string DictionaryKey(uint32_t id);

// The JSON of articles to train a dictionary on, end to end: one block of
// memory, which goes back to the system once freed (thousands of small
// strings stayed in the heap, 10 MB more peak RSS for the whole ingest).
class TrainingSamples {
 public:
  void Add(std::string_view json);
  size_t size() const { return sizes_.size(); }
  const std::string& joined() const { return joined_; }
  const std::vector<size_t>& sizes() const { return sizes_; }

 private:
  std::string joined_;
  std::vector<size_t> sizes_;
};

// The stored data of the first kTrainingSamples documents of `db`, if it
// has at least kMinTrainingSamples (else none).
TrainingSamples SamplesFromDatabase(const Xapian::Database& db);

// A dictionary trained on `samples`; nullptr when there are fewer than
// kMinTrainingSamples or zstd cannot train on them.
std::shared_ptr<const StoredDataDictionary> TrainDictionary(
    const TrainingSamples& samples);

// The dictionary `db` has, if any (the first by key if several).
std::shared_ptr<const StoredDataDictionary> LoadDictionary(
    const Xapian::Database& db);

// Stores `dictionary` in `db`'s metadata unless it is there already.
void SaveDictionary(const StoredDataDictionary& dictionary,
                    Xapian::WritableDatabase& db);

// Compresses articles' JSON with one dictionary. One per thread.
class StoredDataCompressor {
 public:
  explicit StoredDataCompressor(
      std::shared_ptr<const StoredDataDictionary> dictionary);

  // The stored data for `json`.
  std::string Compress(std::string_view json);

  // Moves `document`'s data (an article's JSON), compressed, into
  // kStoredArticleSlot.
  void Store(Xapian::Document* document);

 private:
  std::shared_ptr<const StoredDataDictionary> dictionary_;
  std::unique_ptr<ZSTD_CCtx_s, ZstdFree> context_;
};

// Reads the stored data of one database's documents, keeping the
// dictionaries it has needed. One per thread; `db` must outlive it (it may
// be reopened: a dictionary never changes under its id).
class StoredDataReader {
 public:
  // `shards`: those of a database of several, whose dictionaries `db`'s
  // metadata (its first shard's) lacks.
  explicit StoredDataReader(const Xapian::Database& db, std::vector<Xapian::Database> shards = {});

  // The article JSON of stored `data`. Throws Error(kCorruption) for data
  // that cannot be decoded; Xapian errors propagate.
  std::string Read(std::string data);

  // The article JSON of `document`, wherever it is stored.
  std::string Read(const Xapian::Document& document);

 private:
  const ZSTD_DDict_s* Dictionary(uint32_t id);
  // The `size` bytes of JSON that zstd `frame` holds.
  std::string Decompress(const std::string& frame, size_t size,
                         const ZSTD_DDict_s* dictionary);

  const Xapian::Database& db_;
  const std::vector<Xapian::Database> shards_;
  std::unique_ptr<ZSTD_DCtx_s, ZstdFree> context_;
  std::unordered_map<uint32_t, std::unique_ptr<ZSTD_DDict_s, ZstdFree>>
      dictionaries_;
};

}  // namespace tim

#endif  // TIM_SRC_INDEX_STORED_ARTICLE_CODEC_H_
