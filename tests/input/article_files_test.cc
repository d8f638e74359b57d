#include "input/article_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "test_util.h"
#include "text/captions.h"
#include "text/titles.h"
#include "tim/article.h"
#include "tim/error.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using testing::CodePoints;

// A fresh directory under the system temp directory, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto now =
        std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = fs::temp_directory_path() /
            ("tim_article_files_test_" + std::to_string(getpid()) + "_" +
             std::to_string(now) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `bytes` to `name` (creating parent directories); returns the path.
  std::string Write(const std::string& name, std::string_view bytes) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file.string();
  }
  std::string Path(const std::string& name = "") const {
    return name.empty() ? path_.string() : (path_ / name).string();
  }

 private:
  fs::path path_;
};

struct Record {
  Article article;
  RecordLocation where;
};

std::vector<Record> ReadAll(const std::string& path,
                            std::vector<std::string>* bad = nullptr) {
  std::vector<Record> records;
  BadRecordHandler on_bad;
  if (bad) on_bad = [bad](const std::string& m) { bad->push_back(m); };
  ReadArticles(
      path,
      [&](Article&& a, const RecordLocation& w) {
        records.push_back({std::move(a), w});
      },
      on_bad);
  return records;
}

// Reads `path` expecting an Error; returns it.
Error ReadExpectingError(const std::string& path) {
  try {
    ReadAll(path);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error reading " << path;
  return Error(ErrorCode::kInternal, "");
}

// Writes each (name, contents) into `dir`.
void WriteFiles(const TempDir& dir,
                std::initializer_list<std::pair<std::string, std::string>> files) {
  for (const auto& [name, contents] : files) dir.Write(name, contents);
}

// Reads `path` expecting an invalid-input Error; returns its message.
std::string InvalidInputMessage(const std::string& path) {
  const Error e = ReadExpectingError(path);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
  return e.what();
}

std::string SourceDir() {
#ifdef TIM_SOURCE_DIR
  return TIM_SOURCE_DIR;
#else
  return ".";
#endif
}

std::string SeedsDir() { return SourceDir() + "/seeds"; }

std::string CorpusSample() {
  if (const char* dir = std::getenv("TIM_CORPUS_DIR"); dir && *dir) {
    return std::string(dir) + "/sample-2k.jsonl";
  }
#ifdef TIM_SOURCE_DIR
  return std::string(TIM_SOURCE_DIR) + "/../shared/corpus/sample-2k.jsonl";
#else
  return "../shared/corpus/sample-2k.jsonl";
#endif
}

// `text` gzip-compressed, as gzip(1) would write it.
std::string Gzip(std::string_view text) {
  z_stream stream{};
  // 15 + 16: a gzip header and trailer rather than zlib's.
  EXPECT_EQ(deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                         Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// ---------------------------------------------------------------------------
// The seeds.

class ReaderSeedsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::is_directory(SeedsDir()))
        << "seeds not found at " << SeedsDir()
        << "; run from the source tree or define TIM_SOURCE_DIR";
    records_ = ReadAll(SeedsDir());
    ASSERT_EQ(records_.size(), 5u);
  }
  const Article& Seed(size_t i) const { return records_[i].article; }

  std::vector<Record> records_;
};

TEST_F(ReaderSeedsTest, ReadsEverySeedInNameOrder) {
  const char* kIds[] = {"000_ffa5402f6aae78c4", "001_6255338c2fb240fd",
                        "002_875d31cde75c60a3", "003_f2d66ba1e9ee483f",
                        "004_620e17e2059e22f6"};
  for (size_t i = 0; i < records_.size(); ++i) {
    const Record& r = records_[i];
    EXPECT_EQ(r.article.id, kIds[i]);
    EXPECT_EQ(r.where.file, SeedsDir() + "/" + kIds[i] + ".txt");
    EXPECT_EQ(r.where.line, 1u);
    EXPECT_TRUE(r.article.title.empty());
    EXPECT_TRUE(r.article.source.empty());
    EXPECT_TRUE(r.article.category.empty());
    EXPECT_TRUE(r.article.url.empty());
    EXPECT_FALSE(r.article.date_inferred);
    EXPECT_TRUE(r.article.extra_fields.empty());
    EXPECT_TRUE(IsValidUtf8(r.article.body));
  }
}

TEST_F(ReaderSeedsTest, BodiesAreTrimmedAndKeepParagraphs) {
  for (const Record& r : records_) {
    const std::string& body = r.article.body;
    ASSERT_FALSE(body.empty());
    EXPECT_NE(body.front(), ' ') << r.article.id;
    EXPECT_NE(body.front(), '\n') << r.article.id;
    EXPECT_NE(body.back(), ' ') << r.article.id;
    EXPECT_NE(body.back(), '\n') << r.article.id;
    EXPECT_NE(body.find('\n'), std::string::npos) << r.article.id;
    EXPECT_EQ(body.find('\r'), std::string::npos) << r.article.id;
  }
  EXPECT_TRUE(Seed(0).body.starts_with("Một pháo thủ thuộc Lữ đoàn Jaeger"));
  EXPECT_TRUE(Seed(3).body.ends_with("sự ngờ vực và thiếu lòng tin."));
}

TEST_F(ReaderSeedsTest, DateHeaderIsReadAndRemoved) {
  ASSERT_TRUE(Seed(1).date.has_value());
  EXPECT_EQ(*Seed(1).date, (Date{2025, 10, 28}));
  EXPECT_TRUE(
      Seed(1).body.starts_with("Ngoại trưởng Nga Sergei Lavrov (Ảnh: RBC)."));

  ASSERT_TRUE(Seed(4).date.has_value());
  EXPECT_EQ(*Seed(4).date, (Date{2023, 8, 0}));
  EXPECT_EQ(Seed(4).date->precision(), DatePrecision::kMonth);
  EXPECT_TRUE(Seed(4).body.starts_with("Tổng thống Mỹ Joe Biden (trái)"));

  for (size_t i : {0, 2, 3}) EXPECT_FALSE(Seed(i).date.has_value()) << i;
}

TEST_F(ReaderSeedsTest, DerivedTitles) {
  // The opening “ of seed 001 is dropped: the first sentence ends inside the
  // quotation ("...có đúng không?"), so the quote is never closed.
  const struct {
    size_t seed;
    std::string_view prefix;
  } kCases[] = {
      {0, "Tờ Axios (Mỹ)"},
      {1, "Trong cuộc gặp thượng đỉnh tại Alaska"},
      {2, "Khi cuộc xâm lược của Nga ở Ukraine"},
      {3, "Phát ngôn viên Điện Kremlin"},
      {4,
       "Phái đoàn đàm phán Ukraine do ông Andrii Yermak, Chánh văn phòng "
       "Tổng thống Ukraine, dẫn đầu."},
  };
  for (const auto& c : kCases) {
    const std::string title = DeriveTitle(Seed(c.seed).body);
    EXPECT_TRUE(title.starts_with(c.prefix))
        << "seed " << c.seed << ": " << title;
    EXPECT_LE(CodePoints(title), 120u) << title;
    EXPECT_TRUE(IsValidUtf8(title)) << title;
  }
  EXPECT_EQ(DeriveTitle(Seed(4).body),
            "Phái đoàn đàm phán Ukraine do ông Andrii Yermak, Chánh văn phòng "
            "Tổng thống Ukraine, dẫn đầu.");
}

TEST_F(ReaderSeedsTest, LongTitlesAreCutAtAWord) {
  // Seed 003's first sentence is 200 characters long.
  const std::string title = DeriveTitle(Seed(3).body);
  EXPECT_TRUE(title.ends_with("…")) << title;
  EXPECT_EQ(title.find(" …"), std::string::npos) << title;
  const std::string_view without = std::string_view(title).substr(
      0, title.size() - std::string_view("…").size());
  EXPECT_NE(Seed(3).body.find(std::string(without) + " "), std::string::npos)
      << "cut inside a word: " << title;
}

TEST_F(ReaderSeedsTest, CaptionLinesOfTheSeeds) {
  const char* kCaptions[] = {
      "Một pháo thủ thuộc Lữ đoàn Jaeger độc lập số 152 của Ukraine né tránh "
      "máy bay không người lái chiến đấu của Nga, gần thị trấn tiền tuyến "
      "Pokrovsk ở vùng Donetsk ở Ukraine, ngày 11-12 - Ảnh: REUTERS",
      "Ngoại trưởng Nga Sergei Lavrov (Ảnh: RBC).",
      "Nguồn hình ảnh, EPA-EFE/REX/Shutterstock",
      "Chụp lại hình ảnh,",
      "Tổng thống Mỹ Joe Biden (trái) và người đồng cấp Ukraine Volodymyr "
      "Zelensky (Ảnh: Reuters).",
  };
  for (const char* line : kCaptions) EXPECT_TRUE(IsCaptionLine(line)) << line;
  for (const Record& r : records_) {
    EXPECT_FALSE(IsCaptionLine(DeriveTitle(r.article.body))) << r.article.id;
  }
}

// ---------------------------------------------------------------------------
// Seed text format.

TEST(ReaderSeedTextTest, StripsBomAndCrlf) {
  TempDir dir;
  const std::string path =
      dir.Write("a.txt", "\xEF\xBB\xBFLine one.\r\n\r\nLine two.\r\n");
  const auto records = ReadAll(path);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].article.id, "a");
  EXPECT_EQ(records[0].article.body, "Line one.\n\nLine two.");
}

TEST(ReaderSeedTextTest, DateHeaderVariants) {
  TempDir dir;
  const struct {
    std::string_view text;
    std::optional<Date> date;
    std::string_view body;
  } kCases[] = {
      {"date 2025-10-28 Text.", Date{2025, 10, 28}, "Text."},
      {" \tdate\t2023-08  Text.", Date{2023, 8, 0}, "Text."},
      {"date 2014\nText on the next line.", Date{2014, 0, 0},
       "Text on the next line."},
      {"date night is fun.", std::nullopt, "date night is fun."},
      {"dated 2023 text.", std::nullopt, "dated 2023 text."},
      {"Text.\ndate 2023 is not a header here.", std::nullopt,
       "Text.\ndate 2023 is not a header here."},
      {"Date 2023 text.", std::nullopt, "Date 2023 text."},
  };
  for (const auto& c : kCases) {
    const auto records = ReadAll(dir.Write("s.txt", c.text));
    ASSERT_EQ(records.size(), 1u) << c.text;
    EXPECT_EQ(records[0].article.date, c.date) << c.text;
    EXPECT_EQ(records[0].article.body, c.body) << c.text;
  }
}

TEST(ReaderSeedTextTest, BadDateInHeader) {
  TempDir dir;
  const std::string path = dir.Write("x.txt", "date 2023-13-45 Text.");
  const std::string message = InvalidInputMessage(path);
  const std::string prefix = path + ":1: bad date in header: ";
  EXPECT_TRUE(message.starts_with(prefix)) << message;
  EXPECT_GT(message.size(), prefix.size()) << message;
}

TEST(ReaderSeedTextTest, EmptyArticles) {
  TempDir dir;
  for (std::string_view text :
       {"", "  \n\t\r\n ", "\xEF\xBB\xBF", "date 2023-08\n\n", "\xC2\xA0\n"}) {
    const std::string path = dir.Write("x.txt", text);
    EXPECT_EQ(InvalidInputMessage(path), path + ": empty article (no text)");
  }
}

TEST(ReaderSeedTextTest, InvalidUtf8NamesLineAndByte) {
  TempDir dir;
  const std::string path =
      dir.Write("x.txt", "Dòng một.\nDòng hai.\nabcd\xFF rest\n");
  EXPECT_EQ(InvalidInputMessage(path), path + ":3: invalid UTF-8 at byte 5");

  // A truncated sequence on line 1, with CRLF line ends elsewhere.
  const std::string path2 = dir.Write("y.txt", "ab\xE1\xBA");
  EXPECT_EQ(std::string(ReadExpectingError(path2).what()),
            path2 + ":1: invalid UTF-8 at byte 3");
}

TEST(ReaderSeedTextTest, BinaryFile) {
  TempDir dir;
  const std::string path =
      dir.Write("x.txt", std::string_view("PK\x03\x04\0\0\x08\0", 8));
  EXPECT_EQ(InvalidInputMessage(path), path + ": binary file, not text");
}

TEST(ReaderSeedTextTest, Utf16File) {
  TempDir dir;
  const std::string path =
      dir.Write("x.txt", std::string_view("\xFF\xFEH\0i\0", 6));
  const std::string message = InvalidInputMessage(path);
  EXPECT_TRUE(message.starts_with(path + ": UTF-16 text is not supported")) << message;
}

TEST(ReaderSeedTextTest, SkipsBadFilesWhenAsked) {
  TempDir dir;
  WriteFiles(dir, {{"a.txt", "Một."}, {"b.txt", ""}, {"c.txt", "bad \xC0\x80"},
                   {"d.txt", "date 2023-02-30 Ngày không có."}, {"e.txt", "Hai."}});
  std::vector<std::string> bad;
  const auto records = ReadAll(dir.Path(), &bad);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].article.body, "Một.");
  EXPECT_EQ(records[1].article.body, "Hai.");
  ASSERT_EQ(bad.size(), 3u);
  EXPECT_EQ(bad[0], dir.Path("b.txt") + ": empty article (no text)");
  EXPECT_EQ(bad[1], dir.Path("c.txt") + ":1: invalid UTF-8 at byte 5");
  EXPECT_TRUE(bad[2].starts_with(dir.Path("d.txt") + ":1: bad date in header"))
      << bad[2];
}

// ---------------------------------------------------------------------------
// Paths.

TEST(ReaderPathsTest, DirectoriesAreReadRecursivelyInSortedOrder) {
  TempDir dir;
  WriteFiles(dir, {{"b.txt", "B"}, {"a/z.txt", "AZ"}, {"a/b/x.txt", "ABX"},
                   {"c.jsonl", "{\"body\":\"C1\"}\n{\"body\":\"C2\"}\n"},
                   {"notes.md", "ignored"}, {"data.json", "{}"}, {"README", "ignored"},
                   {".hidden.txt", "hidden"}, {".git/x.txt", "hidden directory"},
                   {"d.jsonl.gz", Gzip("{\"body\":\"D\"}\n")},
                   {"e.json.gz", Gzip("{\"body\":\"ignored\"}\n")}});
  std::vector<std::string> bodies;
  for (const Record& r : ReadAll(dir.Path())) bodies.push_back(r.article.body);
  EXPECT_EQ(bodies,
            (std::vector<std::string>{"ABX", "AZ", "B", "C1", "C2", "D"}));
}

TEST(ReaderPathsTest, NamedFileIsReadWhateverItsExtension) {
  TempDir dir;
  const auto records = ReadAll(dir.Write("notes.md", "Một bài."));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].article.id, "notes");
  EXPECT_EQ(records[0].article.body, "Một bài.");
  // A named .jsonl file is JSON Lines.
  EXPECT_EQ(ReadAll(dir.Write("x.jsonl", R"({"body":"b"})")).size(), 1u);
}

// The seeds as JSON Lines, one object a seed: {"id": stem, "body": text}.
std::string SeedsAsJsonLines() {
  std::string lines;
  for (const Record& seed : ReadAll(SeedsDir())) {
    lines += nlohmann::json{{"id", seed.article.id}, {"body", seed.article.body}}.dump();
    lines += "\n";
  }
  return lines;
}

// `tim ingest <(zcat x.jsonl.gz)` was read as one seed article: a pipe's
// name (/dev/fd/63) does not say JSON Lines, its content does.
TEST(ReaderPathsTest, ProcessSubstitutionOfJsonLinesIsReadAsJsonLines) {
  TempDir dir;
  const std::string fifo = dir.Path("63");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string lines = SeedsAsJsonLines();
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);
    out << lines;  // what zcat writes
  });
  std::vector<Record> records;
  std::vector<std::string> bad;
  try {
    records = ReadAll(fifo, &bad);
  } catch (...) {
    writer.join();
    throw;
  }
  writer.join();
  EXPECT_TRUE(bad.empty()) << bad.front();
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].article.id, "000_ffa5402f6aae78c4");
  EXPECT_EQ(records[4].where.ToString(), fifo + ":5");
}

TEST(ReaderPathsTest, UnnamedFormatsAreToldByTheirFirstCharacter) {
  TempDir dir;
  // JSON Lines under another name, after a BOM and blank lines.
  const auto json = ReadAll(dir.Write("export.ndjson", "\xEF\xBB\xBF \n\n" + SeedsAsJsonLines()));
  EXPECT_EQ(json.size(), 5u);
  // Prose is one seed article, whatever follows it.
  const std::string prose = testing::ReadFile(SeedsDir() + "/000_ffa5402f6aae78c4.txt");
  const auto seed = ReadAll(dir.Write("note", "\n" + prose + "\n{\"body\":\"x\"}\n"));
  ASSERT_EQ(seed.size(), 1u);
  EXPECT_EQ(seed[0].article.id, "note");
  // Names still decide: a .txt file starting with "{" is a seed article.
  const auto braces = ReadAll(dir.Write("b.txt", "{Chú thích} " + prose));
  ASSERT_EQ(braces.size(), 1u);
  EXPECT_TRUE(braces[0].article.body.starts_with("{Chú thích}"));
}

TEST(ReaderPathsTest, MissingPath) {
  TempDir dir;
  const std::string path = dir.Path("nope");
  const Error e = ReadExpectingError(path);
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(std::string(e.what()), "no such file or directory: " + path);
}

TEST(ReaderPathsTest, UnreadableFile) {
  if (geteuid() == 0) GTEST_SKIP() << "root can read any file";
  TempDir dir;
  const std::string path = dir.Write("x.txt", "text");
  fs::permissions(path, fs::perms::none);
  const Error e = ReadExpectingError(path);
  EXPECT_EQ(e.code(), ErrorCode::kIo);
  EXPECT_EQ(std::string(e.what()),
            "cannot read " + path + ": Permission denied");
}

TEST(ReaderPathsTest, GzipFilesAreReadByContent) {
  TempDir dir;
  const auto records = ReadAll(dir.Write(
      "x.jsonl.gz", Gzip("{\"id\":\"a\",\"body\":\"Hà Nội\"}\n{\"body\":\"b\"}\n")));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].article.body, "Hà Nội");
  EXPECT_EQ(records[1].article.id, "x:2");  // the stem drops .jsonl.gz
  EXPECT_EQ(records[1].where.ToString(), dir.Path("x.jsonl.gz") + ":2");
  // Compressed data under a plain name, and plain text under a .gz name.
  EXPECT_EQ(ReadAll(dir.Write("y.jsonl", Gzip("{\"body\":\"y\"}"))).size(), 1u);
  EXPECT_EQ(ReadAll(dir.Write("z.jsonl.gz", "{\"body\":\"z\"}")).size(), 1u);
  // A seed text file may be compressed too.
  const auto seed = ReadAll(dir.Write("s.txt.gz", Gzip("date 2024 Bài báo.")));
  ASSERT_EQ(seed.size(), 1u);
  EXPECT_EQ(seed[0].article.id, "s");
  EXPECT_EQ(seed[0].article.body, "Bài báo.");
}

TEST(ReaderPathsTest, CorruptGzipNamesTheFile) {
  TempDir dir;
  std::string data = Gzip(std::string(100000, 'x'));
  data.resize(data.size() / 2);  // truncated
  const std::string path = dir.Write("t.jsonl.gz", data);
  const std::string message = InvalidInputMessage(path);
  EXPECT_TRUE(message.starts_with(path + ": corrupt compressed data")) << message;
}

TEST(ReaderPathsTest, StandardInputIsJsonLines) {
  TempDir dir;
  const std::string input =
      dir.Write("in", "{\"body\":\"một\"}\n{\"id\":\"k\",\"body\":\"hai\"}\n");
  const int saved = dup(STDIN_FILENO);
  const int fd = open(input.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  dup2(fd, STDIN_FILENO);
  close(fd);
  std::vector<Record> records;
  try {
    records = ReadAll("-");
  } catch (...) {
    dup2(saved, STDIN_FILENO);
    throw;
  }
  dup2(saved, STDIN_FILENO);
  close(saved);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].article.id, "stdin:1");
  EXPECT_EQ(records[0].where.ToString(), "<stdin>:1");
  EXPECT_EQ(records[1].article.id, "k");
}

TEST(ReaderPathsTest, ListArticleFilesMatchesWhatIsRead) {
  TempDir dir;
  dir.Write("b.txt", "B");
  dir.Write("a.jsonl.gz", Gzip("{\"body\":\"A\"}"));
  dir.Write("c.md", "no");
  EXPECT_EQ(ListArticleFiles(dir.Path()),
            (std::vector<std::string>{dir.Path("a.jsonl.gz"), dir.Path("b.txt")}));
  EXPECT_EQ(ListArticleFiles("-"), std::vector<std::string>{"-"});
}

TEST(ReaderPathsTest, SymlinkLoopIsReadOnce) {
  TempDir dir;
  dir.Write("d/a.txt", "A");
  std::error_code ec;
  fs::create_directory_symlink(dir.Path("d"), dir.Path("d/loop"), ec);
  if (ec) GTEST_SKIP() << "cannot create a symlink: " << ec.message();
  EXPECT_EQ(ReadAll(dir.Path()).size(), 1u);
}

// ---------------------------------------------------------------------------
// JSON Lines.

TEST(ReaderJsonLinesTest, ReadsFieldsAndKeepsUnknownOnes) {
  TempDir dir;
  const std::string path = dir.Write(
      "news.jsonl",
      "\xEF\xBB\xBF"
      R"({"id":"vnexpress-1","url":"https://e.vn/1","title":"Tiêu đề",)"
      R"("source":"VnExpress","date":"2025-11-02T15:47:00+07:00",)"
      R"("category":"Thế giới","body":"  Nội dung.\nĐoạn hai.  ",)"
      R"("tags":["a","b"],"n":3,"meta":{"k":null},"note":"ghi chú"})"
      "\n\n   \n"
      R"({"body":"Bài thứ hai.","title":null,"date":null,"id":null})"
      "\r\n");
  const auto records = ReadAll(path);
  ASSERT_EQ(records.size(), 2u);

  const Article& a = records[0].article;
  EXPECT_EQ(records[0].where.file, path);
  EXPECT_EQ(records[0].where.line, 1u);
  EXPECT_EQ(records[0].where.ToString(), path + ":1");
  EXPECT_EQ(a.id, "vnexpress-1");
  EXPECT_EQ(a.url, "https://e.vn/1");
  EXPECT_EQ(a.title, "Tiêu đề");
  EXPECT_EQ(a.source, "VnExpress");
  EXPECT_EQ(a.category, "Thế giới");
  EXPECT_EQ(a.body, "Nội dung.\nĐoạn hai.");
  EXPECT_EQ(a.date, (Date{2025, 11, 2}));
  EXPECT_FALSE(a.date_inferred);
  EXPECT_EQ(a.extra_fields,
            (std::map<std::string, std::string>{{"meta", R"({"k":null})"},
                                                {"n", "3"},
                                                {"note", "\"ghi chú\""},
                                                {"tags", R"(["a","b"])"}}));

  const Article& b = records[1].article;
  EXPECT_EQ(records[1].where.line, 4u);
  EXPECT_EQ(b.id, "news:4");
  EXPECT_EQ(b.body, "Bài thứ hai.");
  EXPECT_TRUE(b.title.empty());
  EXPECT_FALSE(b.date.has_value());
  EXPECT_TRUE(b.extra_fields.empty());
}

TEST(ReaderJsonLinesTest, DecodesHtmlEntitiesInTextFields) {
  const struct {
    std::string_view json_text;  // as written inside the JSON string
    std::string_view decoded;
  } kCases[] = {
      {"Bộ NN&amp;PTNT", "Bộ NN&PTNT"},
      {"Ông&nbsp;Nam", "Ông\u00A0Nam"},
      {"&lt;b&gt; &quot;x&quot; &#39;y&#39; &apos;z&apos;",
       "<b> \"x\" 'y' 'z'"},
      {"&#7871; &#x1EBF; &#X1EBF; &#233;", "ế ế ế é"},
      {"&amp;lt; stays &lt;", "&lt; stays <"},
      {"mối chúa& đã, A & B, &unknown; &#; &#x; &#0; &#xD800; &#x110000;",
       "mối chúa& đã, A & B, &unknown; &#; &#x; &#0; &#xD800; &#x110000;"},
      {"&#12345678; &amp", "&#12345678; &amp"},
  };
  TempDir dir;
  for (const auto& c : kCases) {
    const std::string text(c.json_text);
    const std::string path = dir.Write(
        "e.jsonl", R"({"id":"&amp;","url":"u?a=1&amp;b=2","title":")" + text +
                       R"(","source":")" + text + R"(","category":")" + text +
                       R"(","body":"x )" + text + R"("})");
    const auto records = ReadAll(path);
    ASSERT_EQ(records.size(), 1u);
    const Article& a = records[0].article;
    EXPECT_EQ(a.title, c.decoded);
    EXPECT_EQ(a.source, c.decoded);
    EXPECT_EQ(a.category, c.decoded);
    EXPECT_EQ(a.body, "x " + std::string(c.decoded));
    EXPECT_EQ(a.id, "&amp;");  // identifiers are not text
    EXPECT_EQ(a.url, "u?a=1&amp;b=2");
  }
}

TEST(ReaderJsonLinesTest, BadRecords) {
  const struct {
    std::string_view line;
    std::string_view message;  // after "file:LINE: "
  } kCases[] = {
      {R"({"body": "x")", "malformed JSON: "},
      {R"({"body": "x"} trailing)", "malformed JSON: "},
      {"not json", "malformed JSON: "},
      {R"(["body"])", "expected a JSON object, got array"},
      {R"("body")", "expected a JSON object, got string"},
      {"42", "expected a JSON object, got number"},
      {R"({"title":"t"})", "missing body"},
      {R"({"body":null})", "missing body"},
      {R"({"body":" \n\t "})", "missing body (\"body\" is blank)"},
      {R"({"body":"&nbsp;"})", "missing body (\"body\" is blank)"},
      {R"({"body":5})", "field \"body\" must be a string, not number"},
      {R"({"body":"x","id":7})", "field \"id\" must be a string, not number"},
      {R"({"body":"x","id":""})", "field \"id\" is empty"},
      {R"({"body":"x","url":[]})", "field \"url\" must be a string, not array"},
      {R"({"body":"x","title":{}})",
       "field \"title\" must be a string, not object"},
      {R"({"body":"x","source":true})",
       "field \"source\" must be a string, not boolean"},
      {R"({"body":"x","category":1.5})",
       "field \"category\" must be a string, not number"},
      {R"({"body":"x","date":20231})",
       "field \"date\" must be a string, not number"},
      {R"({"body":"x","date":"2023-13-01"})", "bad date: "},
      {"{\"body\":\"ab\xE1\xBA\"}", "invalid UTF-8 at byte 12"},
      {"{\"body\":\"x\",\"k\xFF\":1}", "invalid UTF-8 at byte 15"},
      {R"({"body":"\ud800"})", "malformed JSON: "},
      // Hardening findings 8 and 16: these were an internal error, a
      // silently dropped value and an id no one can type.
      {R"({"body":"x","n":[1e999]})", "malformed JSON: number overflow"},
      {R"({"body":"x","body":"y"})", "duplicate key \"body\""},
      {R"({"body":"x","m":{"a":1,"a":2}})", "duplicate key \"a\""},
      {R"({"body":"x","id":"a\u0000b"})",
       "field \"id\" contains a control character"},
      {R"({"body":"x","id":"a\tb"})",
       "field \"id\" contains a control character"},
  };
  TempDir dir;
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.line);
    const std::string path =
        dir.Write("bad.jsonl", std::string(R"({"body":"trước"})") + "\n\n" +
                                   std::string(c.line) + "\n" +
                                   R"({"body":"sau"})" + "\n");
    const std::string expected = path + ":3: " + std::string(c.message);

    const std::string message = InvalidInputMessage(path);
    EXPECT_TRUE(message.starts_with(expected)) << message;
    EXPECT_EQ(message.find('\n'), std::string_view::npos);

    std::vector<std::string> bad;
    const auto records = ReadAll(path, &bad);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].article.body, "trước");
    EXPECT_EQ(records[1].article.body, "sau");
    EXPECT_EQ(records[1].where.line, 4u);
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(bad[0], message);
  }
}

// What each InvalidUtf8 policy does with the same file.
struct PolicyRun {
  std::vector<Record> records;
  std::vector<std::string> bad, skipped, warnings;
};

PolicyRun ReadWithPolicy(const std::string& path, InvalidUtf8 policy) {
  PolicyRun run;
  ReadOptions options;
  options.invalid_utf8 = policy;
  options.on_bad = [&](const std::string& m) { run.bad.push_back(m); };
  options.on_skip = [&](const std::string& m) { run.skipped.push_back(m); };
  options.on_warning = [&](const std::string& m) { run.warnings.push_back(m); };
  ReadArticles(
      path,
      [&](Article&& a, const RecordLocation& w) {
        run.records.push_back({std::move(a), w});
      },
      options);
  return run;
}

TEST(ReaderInvalidUtf8Test, ErrorSkipAndRepairPolicies) {
  TempDir dir;
  // Line 2 holds Latin-1 "à" and a truncated 3-byte sequence.
  const std::string path = dir.Write(
      "mixed.jsonl", "{\"body\":\"một\"}\n{\"body\":\"H\xe0 N\xE1\xBA\"}\n"
                     "{\"body\":\"ba\"}\n");

  const PolicyRun error = ReadWithPolicy(path, InvalidUtf8::kError);
  ASSERT_EQ(error.bad.size(), 1u);
  EXPECT_EQ(error.bad[0], path + ":2: invalid UTF-8 at byte 11");
  EXPECT_EQ(error.records.size(), 2u);

  const PolicyRun skip = ReadWithPolicy(path, InvalidUtf8::kSkip);
  EXPECT_TRUE(skip.bad.empty());
  ASSERT_EQ(skip.skipped.size(), 1u);
  EXPECT_EQ(skip.skipped[0], path + ":2: invalid UTF-8 at byte 11 (skipped)");
  ASSERT_EQ(skip.records.size(), 2u);
  EXPECT_EQ(skip.records[1].article.body, "ba");

  const PolicyRun repair = ReadWithPolicy(path, InvalidUtf8::kRepair);
  EXPECT_TRUE(repair.bad.empty());
  EXPECT_TRUE(repair.skipped.empty());
  ASSERT_EQ(repair.records.size(), 3u);
  EXPECT_EQ(repair.records[1].article.body, "H\uFFFD N\uFFFD");
  ASSERT_EQ(repair.warnings.size(), 1u);
  EXPECT_TRUE(repair.warnings[0].starts_with(path + ":2: invalid UTF-8 at byte 11"))
      << repair.warnings[0];
  EXPECT_NE(repair.warnings[0].find("2 sequences replaced by U+FFFD"),
            std::string::npos)
      << repair.warnings[0];
}

TEST(ReaderInvalidUtf8Test, SeedFilesFollowThePolicyToo) {
  TempDir dir;
  const std::string path = dir.Write("x.txt", "Dòng một.\nabc\xFF d\n");
  EXPECT_TRUE(ReadWithPolicy(path, InvalidUtf8::kSkip).records.empty());
  const PolicyRun repair = ReadWithPolicy(path, InvalidUtf8::kRepair);
  ASSERT_EQ(repair.records.size(), 1u);
  EXPECT_EQ(repair.records[0].article.body, "Dòng một.\nabc\uFFFD d");
  // A binary file is not text whatever the policy.
  const std::string binary =
      dir.Write("b.txt", std::string_view("\xFF\xD8\xFF\0JFIF", 8));
  EXPECT_EQ(ReadWithPolicy(binary, InvalidUtf8::kRepair).bad,
            std::vector<std::string>{binary + ": binary file, not text"});
}

TEST(ReaderJsonLinesTest, BinaryFileIsOneBadRecord) {
  TempDir dir;
  static constexpr char kElf[] = "\x7F" "ELF\x02\x01\x01\0\0\0\n\0\0\n{\"body\":\"x\"}\n";
  const std::string bytes(kElf, sizeof kElf - 1);
  const std::string path = dir.Write("a.out.jsonl", bytes);
  EXPECT_EQ(InvalidInputMessage(path), path + ": binary file, not JSON Lines text");
  std::vector<std::string> bad;
  EXPECT_TRUE(ReadAll(path, &bad).empty());  // the rest of the file is not read
  EXPECT_EQ(bad.size(), 1u);
}

// nlohmann recursed ~65,000 levels deep and crashed (hardening finding 5).
TEST(ReaderJsonLinesTest, DeeplyNestedRecordIsABadRecord) {
  TempDir dir;
  const std::string path = dir.Write(
      "deep.jsonl", R"({"body":"x","deep":)" + std::string(65000, '[') +
                        std::string(65000, ']') + "}\n" +
                        R"({"body":"sau","ok":[[[1]]]})" + "\n");
  const Error e = ReadExpectingError(path);
  EXPECT_EQ(std::string(e.what()),
            path + ":1: JSON nested deeper than 64 levels");
  std::vector<std::string> bad;
  const auto records = ReadAll(path, &bad);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].article.body, "sau");
  EXPECT_EQ(bad.size(), 1u);
}

TEST(ReaderJsonLinesTest, MalformedJsonReasonIsShort) {
  TempDir dir;
  const std::string path = dir.Write(
      "x.jsonl", R"({"body":")" + std::string(10000, 'a') + R"(" oops})");
  const std::string message = ReadExpectingError(path).what();
  EXPECT_TRUE(message.starts_with(path + ":1: malformed JSON: ")) << message;
  EXPECT_LT(message.size(), path.size() + 250) << message;
  EXPECT_EQ(message.find("json.exception"), std::string::npos) << message;
}

TEST(ReaderJsonLinesTest, LineTooLong) {
  TempDir dir;
  std::string content = R"({"body":")";
  content.append((size_t{16} << 20) + 1, 'a');
  content += "\"}\n{\"body\":\"ok\"}\n";
  const std::string path = dir.Write("big.jsonl", content);
  content.clear();
  content.shrink_to_fit();

  const std::string message = InvalidInputMessage(path);
  EXPECT_TRUE(message.starts_with(path + ":1: line too long")) << message;

  std::vector<std::string> bad;
  const auto records = ReadAll(path, &bad);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].article.body, "ok");
  EXPECT_EQ(records[0].where.line, 2u);
  EXPECT_EQ(bad.size(), 1u);
}

TEST(ReaderJsonLinesTest, LastLineWithoutNewlineAndEmptyFile) {
  TempDir dir;
  EXPECT_EQ(ReadAll(dir.Write("a.jsonl", R"({"body":"x"})")).size(), 1u);
  EXPECT_TRUE(ReadAll(dir.Write("b.jsonl", "")).empty());
  EXPECT_TRUE(ReadAll(dir.Write("c.jsonl", "\n \n\r\n")).empty());
}

// 2 GiB of newlines in a 9 MB gzip took 94 s, most of it per blank line.
// Runs of blank lines are skipped a buffer at a time; the line numbers of
// what follows them must stay exact, across buffer boundaries too.
TEST(ReaderJsonLinesTest, GigabytesOfBlankLinesKeepLineNumbers) {
  TempDir dir;
  const std::string lines = SeedsAsJsonLines();
  const std::string first = lines.substr(0, lines.find('\n') + 1);
  const std::string second = lines.substr(first.size(), lines.find('\n', first.size()) + 1 - first.size());
  std::string content(100003, '\n');           // line 100004: first
  content += first;
  content += std::string(65535 - content.size() % 65536, '\n');
  content += "  \t\r\n";                      // a blank line cut by the buffer's end
  for (int i = 0; i < 7000; ++i) content += " \r\n\n";
  content += second;                            // 1 + 100003 + 1 + ... lines before it
  content += "   ";                             // a last blank line without newline
  const size_t second_line =
      static_cast<size_t>(std::count(content.begin(), content.end() - second.size() - 3, '\n')) + 1;
  for (const std::string& path : {dir.Write("blank.jsonl", content),
                                  dir.Write("blank.jsonl.gz", Gzip(content))}) {
    std::vector<std::string> bad;
    const auto records = ReadAll(path, &bad);
    EXPECT_TRUE(bad.empty()) << bad.front();
    ASSERT_EQ(records.size(), 2u) << path;
    EXPECT_EQ(records[0].where.line, 100004u);
    EXPECT_EQ(records[1].where.line, second_line);
    EXPECT_EQ(records[1].article.id, ReadAll(SeedsDir())[1].article.id);
  }
  // A bad record after the blank run is named at its own line.
  const std::string bad_path = dir.Write("bad.jsonl", std::string(70001, '\n') + "{oops\n");
  EXPECT_EQ(std::string(ReadExpectingError(bad_path).what()).substr(0, bad_path.size() + 7),
            bad_path + ":70002:");
}

TEST(ReaderJsonLinesTest, SinkExceptionsPropagate) {
  TempDir dir;
  const std::string path = dir.Write("a.jsonl", R"({"body":"x"})");
  EXPECT_THROW(ReadArticles(
                   path,
                   [](Article&&, const RecordLocation&) {
                     throw std::runtime_error("stop");
                   },
                   [](const std::string&) {}),
               std::runtime_error);
}

// ---------------------------------------------------------------------------
// The corpus sample.

TEST(ReaderCorpusSampleTest, ReadsAllArticles) {
  const std::string path = CorpusSample();
  if (!fs::exists(path)) {
    GTEST_SKIP() << "corpus sample not found at " << path
                 << "; set TIM_CORPUS_DIR";
  }
  std::set<std::string> ids;
  size_t count = 0, dated = 0;
  std::vector<std::string> bad;
  ReadArticles(
      path,
      [&](Article&& a, const RecordLocation& where) {
        ++count;
        EXPECT_EQ(where.line, count);
        EXPECT_TRUE(ids.insert(a.id).second) << a.id;
        EXPECT_FALSE(a.body.empty()) << a.id;
        EXPECT_FALSE(a.title.empty()) << a.id;
        EXPECT_FALSE(a.source.empty()) << a.id;
        EXPECT_EQ(a.body.find("&amp;"), std::string::npos) << a.id;
        EXPECT_EQ(a.body.find("&nbsp;"), std::string::npos) << a.id;
        EXPECT_TRUE(a.extra_fields.empty()) << a.id;
        dated += a.date.has_value();
        const std::string title = DeriveTitle(a.body);
        EXPECT_FALSE(title.empty()) << a.id;
        EXPECT_LE(CodePoints(title), 120u) << a.id;
        EXPECT_TRUE(IsValidUtf8(title)) << a.id;
      },
      [&](const std::string& m) { bad.push_back(m); });
  EXPECT_EQ(count, 2000u);
  EXPECT_EQ(dated, 1621u);
  EXPECT_TRUE(bad.empty()) << bad.front();
}

}  // namespace
}  // namespace tim
