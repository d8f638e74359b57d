#include "index/stored_article_codec.h"

#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>

#include "index/schema.h"
#include "tim/error.h"

namespace tim {

namespace {

// Cannot start JSON text.
constexpr char kCompressedMarker = '\x01';
constexpr size_t kIdBytes = 4;
constexpr char kFrameMagic[] = {'\x28', '\xb5', '\x2f', '\xfd'};  // LE 0xFD2FB528
// Measured on 3,500 news articles with a dictionary trained on 2,000
// others (stored size / JSON size; compression CPU for the 211 MB corpus):
// level 3 0.339 in 1.2-1.6 s, level 6 0.320 in 4-6 s, level 9 0.310 in
// 8-10 s. Levels 4 and 5 compress worse than 3 with a dictionary; 6 took
// 10 % more CPU for the whole `tim ingest` of the corpus, for 1.6 % less
// index.
constexpr int kCompressionLevel = 3;
// 256 KB compressed 3% better than 112 KB; 512 KB no better.
constexpr size_t kDictionaryBytes = 256 * 1024;
// Guards the allocation against a corrupted content size.
constexpr unsigned long long kMaxArticleBytes = 1ull << 30;
// What a read allocates before the frame has shown it holds more.
constexpr size_t kFirstOutputBytes = 64 * 1024;

[[noreturn]] void ThrowCorrupt(const std::string& what) {
  throw Error(ErrorCode::kCorruption, "stored article data: " + what);
}

void AppendId(uint32_t id, std::string* out) {
  for (size_t i = 0; i < kIdBytes; ++i) out->push_back(static_cast<char>(id >> (8 * i)));
}

uint32_t ReadId(std::string_view data) {
  uint32_t id = 0;
  for (size_t i = 0; i < kIdBytes; ++i) {
    id |= uint32_t{static_cast<unsigned char>(data[i])} << (8 * i);
  }
  return id;
}

}  // namespace

void ZstdFree::operator()(ZSTD_CCtx_s* context) const { ZSTD_freeCCtx(context); }
void ZstdFree::operator()(ZSTD_DCtx_s* context) const { ZSTD_freeDCtx(context); }
void ZstdFree::operator()(ZSTD_CDict_s* dictionary) const { ZSTD_freeCDict(dictionary); }
void ZstdFree::operator()(ZSTD_DDict_s* dictionary) const { ZSTD_freeDDict(dictionary); }

StoredDataDictionary::StoredDataDictionary(std::string bytes)
    : bytes_(std::move(bytes)), id_(ZDICT_getDictID(bytes_.data(), bytes_.size())) {
  if (id_ == 0) ThrowCorrupt("not a zstd dictionary");
  compression_.reset(ZSTD_createCDict(bytes_.data(), bytes_.size(), kCompressionLevel));
  if (!compression_) ThrowCorrupt("cannot load dictionary " + DictionaryKey(id_));
}

std::string DictionaryKey(uint32_t id) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(id));
  return schema::kDictionaryKeyPrefix + std::string(hex);
}

void TrainingSamples::Add(std::string_view json) {
  // A sample's beginning teaches the dictionary what articles share (the
  // keys, the common words) as well as the whole would, and the samples of
  // records of 15 MiB took 380 MB (hardening 7). News articles are 3-8 KB:
  // they are kept whole, so the dictionary trained on them is unchanged.
  json = json.substr(0, kMaxTrainingSampleBytes);
  joined_ += json;
  sizes_.push_back(json.size());
}

TrainingSamples SamplesFromDatabase(const Xapian::Database& db) {
  TrainingSamples samples;
  if (db.get_doccount() < kMinTrainingSamples) return samples;
  StoredDataReader stored(db);
  for (auto it = db.postlist_begin(""); it != db.postlist_end("") &&
                                        samples.size() < kTrainingSamples;
       ++it) {
    samples.Add(stored.Read(db.get_document(*it)));
  }
  return samples;
}

std::shared_ptr<const StoredDataDictionary> TrainDictionary(
    const TrainingSamples& samples) {
  if (samples.size() < kMinTrainingSamples) return nullptr;
  // zstd wants a dictionary well below what it is trained on.
  std::string dictionary(std::min(kDictionaryBytes, samples.joined().size() / 8), '\0');
  const size_t size = ZDICT_trainFromBuffer(
      dictionary.data(), dictionary.size(), samples.joined().data(),
      samples.sizes().data(), static_cast<unsigned>(samples.size()));
  if (ZDICT_isError(size)) return nullptr;
  dictionary.resize(size);
  return std::make_shared<const StoredDataDictionary>(std::move(dictionary));
}

std::shared_ptr<const StoredDataDictionary> LoadDictionary(
    const Xapian::Database& db) {
  const std::string prefix = schema::kDictionaryKeyPrefix;
  const auto key = db.metadata_keys_begin(prefix);
  if (key == db.metadata_keys_end(prefix)) return nullptr;
  return std::make_shared<const StoredDataDictionary>(db.get_metadata(*key));
}

void SaveDictionary(const StoredDataDictionary& dictionary,
                    Xapian::WritableDatabase& db) {
  const std::string key = DictionaryKey(dictionary.id());
  if (db.get_metadata(key).empty()) db.set_metadata(key, dictionary.bytes());
}

StoredDataCompressor::StoredDataCompressor(
    std::shared_ptr<const StoredDataDictionary> dictionary)
    : dictionary_(std::move(dictionary)), context_(ZSTD_createCCtx()) {
  // The id is ours to store, and Xapian's tables are not checksummed
  // either; the content size lets the reader allocate once.
  ZSTD_CCtx_setParameter(context_.get(), ZSTD_c_checksumFlag, 0);
  ZSTD_CCtx_setParameter(context_.get(), ZSTD_c_dictIDFlag, 0);
  ZSTD_CCtx_setParameter(context_.get(), ZSTD_c_contentSizeFlag, 1);
  ZSTD_CCtx_refCDict(context_.get(), dictionary_->compression());
}

std::string StoredDataCompressor::Compress(std::string_view json) {
  std::string frame(ZSTD_compressBound(json.size()), '\0');
  const size_t size = ZSTD_compress2(context_.get(), frame.data(), frame.size(),
                                     json.data(), json.size());
  if (ZSTD_isError(size)) {
    throw Error(ErrorCode::kInternal,
                std::string("cannot compress an article: ") + ZSTD_getErrorName(size));
  }
  std::string stored(1, kCompressedMarker);
  AppendId(dictionary_->id(), &stored);
  stored.append(frame, sizeof kFrameMagic, size - sizeof kFrameMagic);
  return stored;
}

StoredDataReader::StoredDataReader(const Xapian::Database& db,
                                   std::vector<Xapian::Database> shards)
    : db_(db), shards_(std::move(shards)), context_(ZSTD_createDCtx()) {}

void StoredDataCompressor::Store(Xapian::Document* document) {
  document->add_value(schema::kStoredArticleSlot, Compress(document->get_data()));
  document->set_data({});
}

std::string StoredDataReader::Read(const Xapian::Document& document) {
  std::string stored = document.get_value(schema::kStoredArticleSlot);
  return Read(stored.empty() ? document.get_data() : std::move(stored));
}

std::string StoredDataReader::Read(std::string data) {
  if (data.empty() || data[0] != kCompressedMarker) return data;
  if (data.size() < 1 + kIdBytes) ThrowCorrupt("truncated header");
  const ZSTD_DDict_s* dictionary = Dictionary(ReadId(std::string_view(data).substr(1)));
  std::string frame(kFrameMagic, sizeof kFrameMagic);
  frame.append(data, 1 + kIdBytes);
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
      size > kMaxArticleBytes) {
    ThrowCorrupt("bad frame header");
  }
  return Decompress(frame, size, dictionary);
}

std::string StoredDataReader::Decompress(const std::string& frame, size_t size,
                                         const ZSTD_DDict_s* dictionary) {
  // The output grows with what the frame really yields: a corrupted header
  // claiming up to kMaxArticleBytes allocated (and zeroed) all of it, a
  // second of work and 1 GiB for six bytes of damage (found by fuzzing).
  ZSTD_DCtx_reset(context_.get(), ZSTD_reset_session_only);
  ZSTD_DCtx_refDDict(context_.get(), dictionary);
  std::string json(std::min(size, kFirstOutputBytes), '\0');
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  ZSTD_outBuffer out{json.data(), json.size(), 0};
  for (;;) {
    const size_t left = ZSTD_decompressStream(context_.get(), &out, &in);
    if (ZSTD_isError(left)) ThrowCorrupt(ZSTD_getErrorName(left));
    if (left == 0) break;  // the frame is complete
    if (out.pos < out.size) {
      if (in.pos == in.size) ThrowCorrupt("truncated frame");
      continue;
    }
    if (json.size() == size) ThrowCorrupt("size differs from the frame header");
    json.resize(std::min(size, json.size() * 2));
    out = {json.data(), json.size(), out.pos};
  }
  if (in.pos != in.size || out.pos != size) {
    ThrowCorrupt("size differs from the frame header");
  }
  return json;
}

const ZSTD_DDict_s* StoredDataReader::Dictionary(uint32_t id) {
  auto& slot = dictionaries_[id];
  if (!slot) {
    std::string bytes = db_.get_metadata(DictionaryKey(id));
    for (size_t i = 0; bytes.empty() && i < shards_.size(); ++i) {
      bytes = shards_[i].get_metadata(DictionaryKey(id));
    }
    if (bytes.empty() || ZDICT_getDictID(bytes.data(), bytes.size()) != id) {
      dictionaries_.erase(id);
      ThrowCorrupt("dictionary " + DictionaryKey(id) + " is missing");
    }
    slot.reset(ZSTD_createDDict(bytes.data(), bytes.size()));
    if (!slot) {
      dictionaries_.erase(id);
      ThrowCorrupt("cannot load dictionary " + DictionaryKey(id));
    }
  }
  return slot.get();
}

}  // namespace tim
