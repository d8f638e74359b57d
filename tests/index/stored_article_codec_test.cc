// The stored data codec, and how ingest, IndexWriter and search use it.
#include "index/stored_article_codec.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <xapian.h>

#include <string>
#include <vector>

#include "index/document_builder.h"
#include "index/schema.h"
#include "input/article_files.h"
#include "fixtures.h"
#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/json.h"
#include "tim/searcher.h"

namespace tim {
namespace {

using testing::TempDir;

std::vector<Article> ReadAll(const std::string& path, size_t limit = SIZE_MAX) {
  std::vector<Article> articles;
  ReadArticles(path, [&](Article&& article, const RecordLocation&) {
    if (articles.size() < limit) articles.push_back(std::move(article));
  });
  return articles;
}

// The JSON a document stores for `article`.
std::string StoredJson(Article article) {
  NormalizeArticle(&article, "");
  return ToJson(article);
}

// `count` articles made of the seed articles' real text: article i has
// the paragraphs of two seeds, cut at an offset that depends on i.
std::vector<Article> SeedVariations(size_t count, const std::string& prefix) {
  const std::vector<Article> seeds = ReadAll(testing::SeedsDir());
  std::vector<Article> articles;
  for (size_t i = 0; i < count; ++i) {
    const Article& a = seeds[i % seeds.size()];
    const Article& b = seeds[(i / seeds.size()) % seeds.size()];
    Article article;
    article.id = prefix + std::to_string(i);
    article.title = a.title + " (" + std::to_string(i) + ")";
    article.source = i % 2 ? "VnExpress" : "Tuổi Trẻ";
    article.body = a.body.substr(0, a.body.size() / 2 + i % 97) + "\n\n" +
                   b.body.substr(b.body.size() / 3) + " Số " + std::to_string(i * 7919);
    articles.push_back(std::move(article));
  }
  return articles;
}

std::string JsonLines(const std::vector<Article>& articles) {
  std::string out;
  for (const Article& article : articles) out += ToJson(article) + "\n";
  return out;
}

std::vector<std::string> JsonOf(const std::vector<Article>& articles) {
  std::vector<std::string> json;
  for (const Article& article : articles) json.push_back(StoredJson(article));
  return json;
}

TrainingSamples Samples(const std::vector<std::string>& json) {
  TrainingSamples samples;
  for (const std::string& one : json) samples.Add(one);
  return samples;
}

TrainingSamples Samples(const std::vector<Article>& articles) {
  return Samples(JsonOf(articles));
}

std::vector<std::string> DictionaryKeys(const Xapian::Database& db) {
  const std::string prefix = schema::kDictionaryKeyPrefix;
  return {db.metadata_keys_begin(prefix), db.metadata_keys_end(prefix)};
}

// A document's raw stored data: compressed in its value slot, else plain
// as its data.
std::string RawData(const Xapian::Document& document) {
  const std::string compressed = document.get_value(schema::kStoredArticleSlot);
  if (!compressed.empty()) {
    EXPECT_TRUE(document.get_data().empty());
    return compressed;
  }
  return document.get_data();
}

// Every document's raw stored data.
std::vector<std::string> RawData(const Xapian::Database& db) {
  std::vector<std::string> data;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    data.push_back(RawData(db.get_document(*it)));
  }
  return data;
}

// The dictionary id compressed data names.
uint32_t IdOf(const std::string& data) {
  uint32_t id = 0;
  for (size_t i = 0; i < 4; ++i) {
    id |= uint32_t{static_cast<unsigned char>(data[1 + i])} << (8 * i);
  }
  return id;
}

class StoredDataTest : public testing::DatabaseTest {
 protected:
  // A database holding `dictionary`, as ingest leaves it.
  std::string DatabaseWith(const StoredDataDictionary& dictionary) {
    const std::string path = (dir_.path() / "dict-db").string();
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    SaveDictionary(dictionary, db);
    db.commit();
    return path;
  }

  // A dictionary trained on `samples` (nullptr if none), a database holding
  // it, and a compressor and a reader with it.
  struct Codec {
    Codec(std::shared_ptr<const StoredDataDictionary> trained, const std::string& path)
        : dictionary(std::move(trained)), db(path), compressor(dictionary), reader(db) {}
    std::shared_ptr<const StoredDataDictionary> dictionary;
    Xapian::Database db;
    StoredDataCompressor compressor;
    StoredDataReader reader;
  };
  std::unique_ptr<Codec> TrainCodec(const TrainingSamples& samples) {
    auto dictionary = TrainDictionary(samples);
    if (dictionary == nullptr) return nullptr;
    const std::string path = DatabaseWith(*dictionary);
    return std::make_unique<Codec>(std::move(dictionary), path);
  }

  void ExpectCorruption(StoredDataReader& reader, const std::string& data) {
    try {
      reader.Read(data);
      FAIL() << "read corrupted data without an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kCorruption) << e.what();
    }
  }


};

TEST_F(StoredDataTest, TooFewSamplesTrainNoDictionary) {
  EXPECT_EQ(TrainDictionary(Samples(SeedVariations(kMinTrainingSamples - 1, "s"))),
            nullptr);
  EXPECT_NE(TrainDictionary(Samples(SeedVariations(kMinTrainingSamples, "s"))),
            nullptr);
}

TEST_F(StoredDataTest, SeedArticlesRoundTrip) {
  const auto codec = TrainCodec(Samples(SeedVariations(600, "train")));
  ASSERT_NE(codec, nullptr);
  for (const Article& seed : ReadAll(testing::SeedsDir())) {
    const std::string json = StoredJson(seed);
    const std::string stored = codec->compressor.Compress(json);
    EXPECT_EQ(stored[0], '\x01');
    EXPECT_EQ(IdOf(stored), codec->dictionary->id());
    EXPECT_LT(stored.size(), json.size() / 2) << seed.id;
    EXPECT_EQ(codec->reader.Read(stored), json) << seed.id;
  }
}

TEST_F(StoredDataTest, CorpusSampleRoundTripsSmallerThanZlib) {
  const auto sample = testing::CorpusSamplePath();
  if (!sample) GTEST_SKIP() << testing::kNoCorpusMessage;
  const std::vector<std::string> all = JsonOf(ReadAll(*sample));
  ASSERT_GE(all.size(), 2 * kMinTrainingSamples);
  const std::vector<std::string> train(all.begin(), all.begin() + all.size() / 2);
  const auto codec = TrainCodec(Samples(train));
  ASSERT_NE(codec, nullptr);
  size_t json_bytes = 0, stored_bytes = 0;
  for (size_t i = all.size() / 2; i < all.size(); ++i) {
    const std::string stored = codec->compressor.Compress(all[i]);
    ASSERT_EQ(codec->reader.Read(stored), all[i]) << "article " << i;
    json_bytes += all[i].size();
    stored_bytes += stored.size();
  }
  // Xapian's zlib stores the corpus's articles at 0.45 of their JSON.
  EXPECT_LT(stored_bytes, json_bytes * 0.40);
}

TEST_F(StoredDataTest, PlainJsonReadsAsItIs) {
  const std::string path = (dir_.path() / "empty").string();
  Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN).commit();
  const Xapian::Database db(path);
  StoredDataReader reader(db);
  const std::string json = StoredJson(testing::MakeArticle("a", "Giá vàng tăng."));
  EXPECT_EQ(reader.Read(json), json);
  EXPECT_EQ(reader.Read(""), "");
}

TEST_F(StoredDataTest, CorruptedDataIsACorruptionError) {
  const auto codec = TrainCodec(Samples(SeedVariations(600, "train")));
  ASSERT_NE(codec, nullptr);
  StoredDataReader& reader = codec->reader;
  const std::string stored =
      codec->compressor.Compress(StoredJson(SeedVariations(1, "x")[0]));
  ExpectCorruption(reader, stored.substr(0, 3));                 // no id
  ExpectCorruption(reader, stored.substr(0, 5));                 // no frame
  ExpectCorruption(reader, stored.substr(0, stored.size() - 9));  // truncated
  ExpectCorruption(reader, stored + "tail");
  std::string other_dictionary = stored;
  other_dictionary[1] ^= 0x55;
  ExpectCorruption(reader, other_dictionary);
  // The frame header claims more than the frame holds.
  std::string garbage = stored.substr(0, 5) + std::string(40, '\xff');
  ExpectCorruption(reader, garbage);
  // Still reads good data afterwards.
  EXPECT_EQ(reader.Read(stored), StoredJson(SeedVariations(1, "x")[0]));
}

// Found by stored_article_fuzz: a damaged frame header claiming 1 GiB of
// content had the reader allocate and zero all of it before failing.
TEST_F(StoredDataTest, AFrameClaimingAHugeSizeAllocatesNoMoreThanItHolds) {
  const auto codec = TrainCodec(Samples(SeedVariations(600, "train")));
  ASSERT_NE(codec, nullptr);
  const std::string stored = codec->compressor.Compress("{}");
  // The fuzzer's input: a header byte (single segment, 4-byte content
  // size) and a content size of 0x303ba4a4 (808 MB).
  const std::string damaged = stored.substr(0, 5) + "\xa4\xa4\xa4\x3b\x30";
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  ExpectCorruption(codec->reader, damaged);
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 64 * 1024) << "KiB more peak memory";
}

TEST_F(StoredDataTest, SmallBatchStoresPlainJson) {
  IngestPaths(db(), {testing::SeedsDir()});
  const Xapian::Database database(db());
  EXPECT_TRUE(DictionaryKeys(database).empty());
  const std::vector<std::string> data = RawData(database);
  ASSERT_EQ(data.size(), 5u);
  for (const std::string& stored : data) EXPECT_EQ(stored[0], '{');
  EXPECT_TRUE(Searcher(db()).Get("000_ffa5402f6aae78c4").has_value());
}

// The first batch trains a dictionary; a second batch, staged or direct,
// and IndexWriter reuse it.
TEST_F(StoredDataTest, LaterBatchesReuseTheFirstDictionary) {
  for (unsigned jobs : {1u, 2u}) {
    SCOPED_TRACE("jobs " + std::to_string(jobs));
    TempDir dir;
    const std::string path = (dir.path() / "db").string();
    IngestOptions options;
    options.jobs = jobs;
    const std::vector<Article> first = SeedVariations(kMinTrainingSamples + 50, "a");
    IngestPaths(path, {dir.Write("first.jsonl", JsonLines(first))}, options);
    std::vector<std::string> keys = DictionaryKeys(Xapian::Database(path));
    ASSERT_EQ(keys.size(), 1u);
    const uint32_t id = LoadDictionary(Xapian::Database(path))->id();
    EXPECT_EQ(keys[0], DictionaryKey(id));

    const std::vector<Article> second = SeedVariations(kMinTrainingSamples, "b");
    IngestPaths(path, {dir.Write("second.jsonl", JsonLines(second))}, options);
    IngestPaths(path, {testing::SeedsDir()}, options);
    {
      IndexWriter writer(path);
      writer.Add(testing::MakeArticle("single", "Một bài báo thêm vào sau."));
      writer.Commit();
    }
    const Xapian::Database database(path);
    EXPECT_EQ(DictionaryKeys(database), keys);
    const std::vector<std::string> data = RawData(database);
    EXPECT_EQ(data.size(), first.size() + second.size() + 5 + 1);
    for (const std::string& stored : data) {
      ASSERT_EQ(stored[0], '\x01');
      EXPECT_EQ(IdOf(stored), id);
    }
    const Searcher searcher(path);
    EXPECT_EQ(searcher.Get("b3")->body, ArticleFromJson(StoredJson(second[3])).body);
    EXPECT_EQ(searcher.Get("single")->body, "Một bài báo thêm vào sau.");
  }
}

// A database of `articles` as tim wrote them before compression: plain JSON,
// no dictionary, docids in order.
void WritePlainDatabase(const std::string& path, const std::vector<Article>& articles) {
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
  for (Article article : articles) {
    NormalizeArticle(&article, "");
    db.add_document(BuildDocument(article));
  }
  db.commit();
}

// A database without a dictionary (written before compression, in plain
// JSON) trains one from its own articles at the next batch.
TEST_F(StoredDataTest, DictionaryTrainedFromTheDatabase) {
  IngestOptions options;
  options.jobs = 1;
  options.commit_every = 100;  // steps too small to train on
  const std::vector<Article> articles = SeedVariations(kMinTrainingSamples + 100, "c");
  IngestPaths(db(), {dir_.Write("all.jsonl", JsonLines(articles))}, options);
  // The batch's first articles trained it (the input is read twice).
  EXPECT_EQ(DictionaryKeys(Xapian::Database(db())).size(), 1u);

  TempDir other;
  const std::string path = (other.path() / "db").string();
  WritePlainDatabase(path, articles);
  ASSERT_TRUE(DictionaryKeys(Xapian::Database(path)).empty());
  IngestPaths(path, {testing::SeedsDir()}, options);
  const Xapian::Database database(path);
  EXPECT_EQ(DictionaryKeys(database).size(), 1u);
  const Xapian::Document seed =
      database.get_document(*database.postlist_begin(IdTerm("000_ffa5402f6aae78c4")));
  EXPECT_EQ(RawData(seed)[0], '\x01');
  const Xapian::Document old = database.get_document(*database.postlist_begin(IdTerm("c1")));
  EXPECT_EQ(RawData(old)[0], '{');  // what was written stays as it was
}

// IndexWriter, adding articles one at a time, trains a dictionary once the
// database has kMinTrainingSamples, and saves it with the articles it
// compressed; what it wrote before stays plain.
TEST_F(StoredDataTest, IndexWriterTrainsOnceTheDatabaseIsLargeEnough) {
  const std::vector<Article> articles = SeedVariations(kMinTrainingSamples + 50, "w");
  {
    IndexWriter writer(db());
    for (size_t i = 0; i < kMinTrainingSamples; ++i) writer.Add(articles[i]);
    writer.Commit();
  }
  EXPECT_TRUE(DictionaryKeys(Xapian::Database(db())).empty());
  {
    IndexWriter writer(db());
    for (size_t i = kMinTrainingSamples; i < articles.size(); ++i) writer.Add(articles[i]);
    writer.Rollback();  // nothing compressed is kept, nor the dictionary
  }
  EXPECT_TRUE(DictionaryKeys(Xapian::Database(db())).empty());
  {
    IndexWriter writer(db());
    for (size_t i = kMinTrainingSamples; i < articles.size(); ++i) writer.Add(articles[i]);
    writer.Commit();
  }
  const Xapian::Database database(db());
  ASSERT_EQ(DictionaryKeys(database).size(), 1u);
  auto raw = [&](const std::string& id) {
    return RawData(database.get_document(*database.postlist_begin(IdTerm(id))));
  };
  EXPECT_EQ(raw("w0")[0], '{');
  EXPECT_EQ(raw("w520")[0], '\x01');
  const Searcher searcher(db());
  for (const char* id : {"w0", "w499", "w500", "w549"}) {
    const size_t i = std::stoul(std::string(id).substr(1));
    EXPECT_EQ(searcher.Get(id)->body, ArticleFromJson(StoredJson(articles[i])).body) << id;
  }
}

void ExpectSameHits(const SearchResponse& a, const SearchResponse& b) {
  EXPECT_EQ(a.total, b.total);
  ASSERT_EQ(a.hits.size(), b.hits.size());
  for (size_t i = 0; i < a.hits.size(); ++i) {
    EXPECT_EQ(a.hits[i].id, b.hits[i].id);
    EXPECT_EQ(a.hits[i].title, b.hits[i].title);
    EXPECT_EQ(a.hits[i].source, b.hits[i].source);
    EXPECT_DOUBLE_EQ(a.hits[i].score, b.hits[i].score);
    EXPECT_EQ(a.hits[i].snippet.text, b.hits[i].snippet.text);
    EXPECT_EQ(a.hits[i].snippet.highlights, b.hits[i].snippet.highlights);
    EXPECT_EQ(a.hits[i].matched_terms, b.hits[i].matched_terms);
  }
  EXPECT_EQ(a.suggestion, b.suggestion);
}

TEST_F(StoredDataTest, SearchIsTheSameWithAndWithoutCompression) {
  const auto sample = testing::CorpusSamplePath();
  if (!sample) GTEST_SKIP() << testing::kNoCorpusMessage;
  const std::vector<Article> articles = ReadAll(*sample);
  const std::string compressed = db();
  IngestOptions options;
  options.jobs = 1;  // docids in input order, as IndexWriter gives them
  IngestPaths(compressed, {*sample}, options);
  const std::string plain = (dir_.path() / "plain").string();
  WritePlainDatabase(plain, articles);
  ASSERT_EQ(DictionaryKeys(Xapian::Database(compressed)).size(), 1u);
  ASSERT_TRUE(DictionaryKeys(Xapian::Database(plain)).empty());
  const Searcher a(compressed), b(plain);
  for (const char* query : {"việt nam", "giá vàng", "bong da", "\"hà nội\"", "kinh tế"}) {
    SCOPED_TRACE(query);
    SearchRequest request;
    request.query = query;
    request.limit = 20;
    const SearchResponse first = a.Search(request);
    EXPECT_FALSE(first.hits.empty());
    ExpectSameHits(first, b.Search(request));
    request.sort = SortOrder::kNewestFirst;
    ExpectSameHits(a.Search(request), b.Search(request));
  }
  EXPECT_EQ(ToJson(*a.Get(articles[7].id)), ToJson(*b.Get(articles[7].id)));
}

}  // namespace
}  // namespace tim
