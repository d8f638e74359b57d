// The stored-article codec: any stored bytes decode or throw kCorruption
// (a dictionary's frame when the first byte is odd, else the bytes as they
// are), and any text compressed reads back the same.
#include <xapian.h>

#include <cstdlib>
#include <random>
#include <string>

#include "fuzz_input.h"
#include "index/stored_article_codec.h"
#include "tim/error.h"

namespace {

// A database holding a dictionary trained on made-up articles.
struct Codec {
  // The in-memory backend is deprecated but is the one needing no files.
  Xapian::WritableDatabase db = Xapian::InMemory::open();
  std::shared_ptr<const tim::StoredDataDictionary> dictionary;

  Codec() {
    static const char* const kWords[] = {
        "Hà", "Nội", "thành", "phố", "người", "dân", "ngày", "tháng", "năm",
        "chính", "phủ", "kinh", "tế", "giá", "xăng", "tăng", "giảm", "bóng",
        "đá", "Việt", "Nam", "đội", "tuyển", "học", "sinh", "trường", "bệnh",
        "viện", "thời", "tiết", "mưa", "bão", "giao", "thông", "đường"};
    std::mt19937 random(12);
    tim::TrainingSamples samples;
    for (int n = 0; n < 800; ++n) {
      std::string body;
      for (int i = 0; i < 150; ++i) {
        body += kWords[random() % std::size(kWords)];
        body += i % 17 == 16 ? ". " : " ";
      }
      samples.Add("{\"id\":\"" + std::to_string(n) + "\",\"title\":\"Tin " +
                  std::to_string(random() % 1000) + "\",\"source\":\"VnExpress\"," +
                  "\"date\":\"2024-0" + std::to_string(1 + n % 9) + "-1" +
                  std::to_string(n % 10) + "\",\"body\":\"" + body + "\"}");
    }
    dictionary = tim::TrainDictionary(samples);
    if (!dictionary) std::abort();
    tim::SaveDictionary(*dictionary, db);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Codec codec;
  if (size == 0) return -1;
  const std::string_view bytes = tim::fuzz::AsText(data + 1, size - 1);
  static tim::StoredDataReader reader(codec.db);  // loads the dictionary once
  if (data[0] & 2) {
    tim::StoredDataCompressor compressor(codec.dictionary);
    if (reader.Read(compressor.Compress(bytes)) != bytes) std::abort();
    return 0;
  }
  std::string stored;
  if (data[0] & 1) {
    stored = std::string(1, '\x01');
    const uint32_t id = codec.dictionary->id();
    for (int shift = 0; shift < 32; shift += 8) stored += static_cast<char>(id >> shift & 0xff);
  }
  stored += bytes;
  try {
    reader.Read(stored);
  } catch (const tim::Error& error) {
    if (error.code() != tim::ErrorCode::kCorruption) std::abort();
  }
  return 0;
}
