#include "input/article_files.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/spaces.h"
#include "base/utf8.h"
#include "text/date_parser.h"
#include "tim/error.h"

namespace tim {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A JSON line longer than this is refused rather than buffered, so that a
// file without newlines cannot exhaust memory.
constexpr size_t kMaxLineBytes = size_t{16} << 20;
// Deepest nesting of objects and arrays a JSON Lines record may have.
constexpr int kMaxJsonDepth = 64;
// A seed text file is one article and is read whole; bigger than this it is
// almost certainly not an article.
constexpr size_t kMaxSeedBytes = size_t{64} << 20;

// ---------------------------------------------------------------------------
// Errors.

// "file:12: invalid UTF-8 at byte 7" for a bad byte at `offset` in `text`,
// which starts on line `first_line`.
std::string Utf8ErrorMessage(const std::string& file, std::string_view text,
                             size_t offset, size_t first_line) {
  const std::string_view before = text.substr(0, offset);
  const size_t line = first_line + static_cast<size_t>(std::count(
                                       before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  const size_t column =
      line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return file + ":" + std::to_string(line) + ": invalid UTF-8 at byte " +
         std::to_string(column);
}

// Calls `on_bad`, or throws when the caller did not ask to skip bad records.
void ReportBad(const BadRecordHandler& on_bad, const std::string& message) {
  if (!on_bad) throw Error(ErrorCode::kInvalidInput, message);
  on_bad(message);
}

// ---------------------------------------------------------------------------
// HTML entities.

// Decodes the entity at the start of `s` ("&amp;", "&#39;", "&#xE9;") into
// `out`; returns the entity's length, or 0 when `s` does not start with one
// this reader knows (the "&" is then kept as it is).
size_t DecodeEntity(std::string_view s, std::string* out) {
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"&amp;", "&"},   {"&lt;", "<"},   {"&gt;", ">"},
      {"&quot;", "\""}, {"&apos;", "'"}, {"&nbsp;", "\xC2\xA0"},
  };
  for (const auto& [name, text] : kNamed) {
    if (s.starts_with(name)) {
      out->append(text);
      return name.size();
    }
  }
  if (!s.starts_with("&#")) return 0;
  size_t i = 2;
  const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
  if (hex) ++i;
  char32_t cp = 0;
  size_t digits = 0;
  for (; i < s.size() && digits <= 7; ++i, ++digits) {
    const char c = s[i];
    int value;
    if (c >= '0' && c <= '9') {
      value = c - '0';
    } else if (hex && c >= 'a' && c <= 'f') {
      value = c - 'a' + 10;
    } else if (hex && c >= 'A' && c <= 'F') {
      value = c - 'A' + 10;
    } else {
      break;
    }
    cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(value);
  }
  if (digits == 0 || digits > 7 || i >= s.size() || s[i] != ';') return 0;
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  AppendUtf8(cp, out);
  return i + 1;
}

// Decodes in one pass, so "&amp;lt;" becomes "&lt;", not "<".
void DecodeHtmlEntities(std::string* text) {
  size_t amp = text->find('&');
  if (amp == std::string::npos) return;
  std::string out(*text, 0, amp);
  const std::string_view in = *text;
  while (amp < in.size()) {
    if (in[amp] == '&') {
      if (const size_t n = DecodeEntity(in.substr(amp), &out)) {
        amp += n;
        continue;
      }
    }
    out.push_back(in[amp++]);
  }
  *text = std::move(out);
}

// ---------------------------------------------------------------------------
// Files.

std::string_view WithoutGz(std::string_view name) {
  if (name.ends_with(".gz")) name.remove_suffix(3);
  return name;
}

// The default id stem of a file's records: "a/x.jsonl.gz" -> "x".
std::string FileStem(const std::string& name) {
  if (name == kStdinName) return "stdin";
  return fs::path(std::string(WithoutGz(name))).stem().string();
}

[[noreturn]] void ThrowIoError(const std::string& path, int error) {
  if (error == ENOENT) {
    throw Error(ErrorCode::kNotFound, "no such file or directory: " + path);
  }
  throw Error(ErrorCode::kIo,
              "cannot read " + path + ": " + std::strerror(error));
}

// An input file, plain or gzip-compressed: zlib reads both (it looks at the
// magic bytes, not the name), so a misnamed file is still read right.
class Input {
 public:
  // `path` "-" is standard input.
  Input(const std::string& path, const ReadOptions& options)
      : name_(DisplayName(path)), options_(options) {
    if (path == kStdinPath) {
      // A duplicate, so that closing the input leaves fd 0 open.
      const int fd = dup(STDIN_FILENO);
      file_ = fd < 0 ? nullptr : gzdopen(fd, "rb");
      if (!file_ && fd >= 0) close(fd);
    } else {
      errno = 0;
      file_ = gzopen(path.c_str(), "rb");
    }
    if (!file_) ThrowIoError(name_, errno ? errno : ENOMEM);
    gzbuffer(file_, 1 << 17);
  }
  ~Input() {
    ReportProgress();
    gzclose(file_);
  }
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;

  const std::string& name() const { return name_; }

  // Reads up to `size` bytes; 0 at the end. Throws for a read error or a
  // corrupt or truncated compressed file.
  size_t Read(char* buffer, size_t size) {
    const int n = gzread(file_, buffer, static_cast<unsigned>(size));
    int zerror = Z_OK;
    const char* message = gzerror(file_, &zerror);
    if (n < 0 || (zerror != Z_OK && zerror != Z_STREAM_END)) {
      if (zerror == Z_ERRNO) ThrowIoError(name_, errno);
      throw Error(ErrorCode::kInvalidInput,
                  name_ + ": corrupt compressed data (" + message + ")");
    }
    ReportProgress();
    return static_cast<size_t>(n);
  }

 private:
  static std::string DisplayName(const std::string& path) {
    return path == kStdinPath ? std::string(kStdinName) : path;
  }

  // Tells the caller how many bytes of the file (compressed, as on disk)
  // were consumed since the last call.
  void ReportProgress() {
    if (!options_.on_input_bytes) return;
    const z_off_t offset = gzoffset(file_);
    if (offset < 0 || static_cast<uint64_t>(offset) <= reported_) return;
    options_.on_input_bytes(static_cast<uint64_t>(offset) - reported_);
    reported_ = static_cast<uint64_t>(offset);
  }

  const std::string name_;
  const ReadOptions& options_;
  gzFile file_ = nullptr;
  uint64_t reported_ = 0;
};

// Reads lines through a fixed buffer. A line longer than kMaxLineBytes is
// skipped up to its newline and reported as too long.
class LineReader {
 public:
  explicit LineReader(Input* input) : input_(input), buffer_(kBufferSize) {}

  const std::string& name() const { return input_->name(); }

  // The bytes at the read position that the buffer holds, without
  // consuming them: the first kBufferSize bytes of the input (or all of
  // it, when shorter) before anything is read.
  std::string_view Peek() {
    if (pos_ == end_) Fill();
    return std::string_view(buffer_.data() + pos_, end_ - pos_);
  }

  // True if the start of the input holds a NUL byte, which text never does.
  bool StartsBinary() {
    const std::string_view start = Peek().substr(0, 4096);
    return start.find('\0') != std::string_view::npos;
  }

  // Consumes the blank lines (nothing but spaces, tabs and CRs before the
  // newline) at the read position and returns how many, so that a run of
  // millions of them (a gzip of gigabytes of newlines) costs little more
  // than its decompression. A blank line cut by the end of the buffer is
  // left to ReadLine.
  size_t SkipBlankLines() {
    size_t lines = 0;
    for (;;) {
      if (pos_ == end_ && !Fill()) return lines;
      const char* const data = buffer_.data();
      size_t i = pos_;
      while (i < end_) {
        if (i + 8 <= end_ && std::memcmp(data + i, "\n\n\n\n\n\n\n\n", 8) == 0) {
          i += 8;
          lines += 8;
          pos_ = i;
        } else if (data[i] == '\n') {
          ++lines;
          pos_ = ++i;
        } else if (data[i] == ' ' || data[i] == '\t' || data[i] == '\r') {
          ++i;
        } else {
          return lines;  // text: pos_ is the start of its line
        }
      }
      if (pos_ != end_) return lines;
    }
  }

  // Appends the rest of the input to *out; returns false (with *out cut
  // short) when that would make *out longer than `limit`.
  bool ReadRest(size_t limit, std::string* out) {
    for (;;) {
      if (pos_ == end_ && !Fill()) return true;
      out->append(buffer_.data() + pos_, end_ - pos_);
      pos_ = end_;
      if (out->size() > limit) return false;
    }
  }

  // Reads the next line without its "\n" into *line; returns false at the
  // end of the file.
  bool ReadLine(std::string* line, bool* too_long) {
    line->clear();
    *too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !Fill()) return any;
      any = true;
      const char* start = buffer_.data() + pos_;
      const size_t available = end_ - pos_;
      const void* newline = std::memchr(start, '\n', available);
      const size_t n =
          newline ? static_cast<const char*>(newline) - start : available;
      if (!*too_long && line->size() + n > kMaxLineBytes) {
        *too_long = true;
        line->clear();
        line->shrink_to_fit();
      }
      if (!*too_long) line->append(start, n);
      pos_ += n;
      if (newline) {
        ++pos_;
        return true;
      }
    }
  }

  static constexpr size_t kBufferSize = 1 << 16;

 private:
  bool Fill() {
    pos_ = 0;
    end_ = input_->Read(buffer_.data(), buffer_.size());
    return end_ > 0;
  }

  Input* const input_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
};

// Replaces each ill-formed sequence of `text` with U+FFFD; returns how many
// were replaced.
size_t RepairUtf8(std::string* text) {
  size_t bad = 0;
  if (IsValidUtf8(*text, &bad)) return 0;
  std::string out;
  out.reserve(text->size() + 16);
  std::string_view rest = *text;
  size_t replaced = 0;
  for (;;) {
    out.append(rest.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    ++replaced;
    // Drop the bad lead byte and the continuation bytes that went with it.
    const auto lead = static_cast<uint8_t>(rest[bad]);
    const size_t expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 1;
    size_t skip = 1;
    while (skip < expected && bad + skip < rest.size() &&
           IsContinuationByte(rest[bad + skip])) {
      ++skip;
    }
    rest.remove_prefix(bad + skip);
    if (IsValidUtf8(rest, &bad)) break;
  }
  out.append(rest);
  *text = std::move(out);
  return replaced;
}

// What a reader does with a record: the caller's sink and choices.
struct Context {
  const ArticleSink& sink;
  const ReadOptions& options;

  // Calls on_bad, or throws when the caller did not ask to skip bad records.
  void Bad(const std::string& message) const {
    ReportBad(options.on_bad, message);
  }
  void Warn(const std::string& message) const {
    if (options.on_warning) options.on_warning(message);
  }

  // Applies the invalid-UTF-8 policy to `text` (which starts on line
  // `first_line` of `file`). Returns false if the record must be dropped
  // (after reporting it); true if it may go on, repaired if need be.
  bool CheckUtf8(const std::string& file, std::string* text,
                 size_t first_line) const {
    size_t offset = 0;
    if (IsValidUtf8(*text, &offset)) return true;
    const std::string message =
        Utf8ErrorMessage(file, *text, offset, first_line);
    switch (options.invalid_utf8) {
      case InvalidUtf8::kError:
        Bad(message);
        return false;
      case InvalidUtf8::kSkip:
        if (options.on_skip) options.on_skip(message + " (skipped)");
        return false;
      case InvalidUtf8::kRepair: {
        const size_t n = RepairUtf8(text);
        Warn(message + " (repaired: " + std::to_string(n) +
             (n == 1 ? " sequence" : " sequences") + " replaced by U+FFFD)");
        return true;
      }
    }
    return false;
  }
};

// ---------------------------------------------------------------------------
// Seed text.

void NormalizeNewlines(std::string* text) {
  if (text->find('\r') == std::string::npos) return;
  size_t out = 0;
  for (size_t i = 0; i < text->size(); ++i) {
    if ((*text)[i] == '\r' && i + 1 < text->size() && (*text)[i + 1] == '\n') {
      continue;
    }
    (*text)[out++] = (*text)[i];
  }
  text->resize(out);
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Reads the optional "date TOKEN" header at the start of `text`: on success
// sets *date and removes the header; leaves `text` alone when there is no
// header. Returns false with *error set for a header with a bad date.
bool ParseSeedHeader(std::string* text, std::optional<Date>* date,
                     std::string* error) {
  std::string_view s = *text;
  size_t i = 0;
  while (i < s.size() && IsBlank(s[i])) ++i;
  if (s.substr(i, 4) != "date") return true;
  i += 4;
  const size_t keyword_end = i;
  while (i < s.size() && IsBlank(s[i])) ++i;
  if (i == keyword_end) return true;  // "dated ...", "date\n"
  const size_t start = i;
  while (i < s.size() && !IsAsciiSpace(s[i])) ++i;
  const std::string_view token = s.substr(start, i - start);
  if (!LooksLikeIsoDate(token)) return true;
  std::string parse_error;
  *date = ParseIsoDate(token, &parse_error);
  if (!*date) {
    *error = "bad date in header: " + parse_error;
    return false;
  }
  text->erase(0, i);
  return true;
}

// Why `text`, a whole seed file, cannot be an article whatever the policy
// on invalid UTF-8: an error message naming `path`, or an empty string.
std::string SeedFileProblem(const std::string& path, std::string_view text) {
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    return path + ": UTF-16 text is not supported; convert it to UTF-8 "
                  "(iconv -f UTF-16 -t UTF-8)";
  }
  if (text.find('\0') != std::string_view::npos) {
    return path + ": binary file, not text";
  }
  return "";
}

// Parses a seed file's content (valid UTF-8) into *article. Returns an
// error message naming `path`, or an empty string.
std::string ParseSeedText(const std::string& path, std::string&& content,
                          Article* article) {
  if (std::string_view(content).starts_with(kBom)) content.erase(0, 3);
  NormalizeNewlines(&content);
  std::string error;
  if (!ParseSeedHeader(&content, &article->date, &error)) {
    return path + ":1: " + error;
  }
  TrimSpaceInPlace(&content);
  if (content.empty()) return path + ": empty article (no text)";
  article->id = FileStem(path);
  article->body = std::move(content);
  return "";
}

void ReadSeedFile(LineReader& reader, const Context& context) {
  const std::string& path = reader.name();
  std::string content;
  if (!reader.ReadRest(kMaxSeedBytes, &content)) {
    context.Bad(path + ": too large for one article (more than " +
                std::to_string(kMaxSeedBytes >> 20) + " MiB)");
    return;
  }
  if (const std::string problem = SeedFileProblem(path, content);
      !problem.empty()) {
    context.Bad(problem);
    return;
  }
  if (!context.CheckUtf8(path, &content, 1)) return;
  Article article;
  const std::string error = ParseSeedText(path, std::move(content), &article);
  if (!error.empty()) {
    context.Bad(error);
    return;
  }
  context.sink(std::move(article), RecordLocation{path, 1});
}

// ---------------------------------------------------------------------------
// JSON Lines.

// The parse error without nlohmann's "[json.exception.parse_error.101] parse
// error at line 1, " preamble, and short enough for one line.
std::string ShortJsonReason(const json::exception& e) {
  std::string_view what = e.what();
  if (const size_t bracket = what.find("] "); bracket != what.npos) {
    what.remove_prefix(bracket + 2);
  }
  if (what.starts_with("parse error at line 1, ")) what.remove_prefix(23);
  constexpr size_t kMaxReason = 160;
  if (what.size() <= kMaxReason) return std::string(what);
  size_t cut = kMaxReason;
  while (cut > 0 && IsContinuationByte(what[cut])) --cut;
  return std::string(what.substr(0, cut)) + "...";
}

// Moves the string field `name` out of `object` into *out and sets *present.
// Returns false with *error set when the field has another type than string
// or null.
bool TakeStringField(json& object, const char* name, std::string* out,
                     bool* present, std::string* error) {
  *present = false;
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_string()) {
    *error = std::string("field \"") + name + "\" must be a string, not " +
             it->type_name();
    return false;
  }
  *out = std::move(it->get_ref<std::string&>());
  *present = true;
  return true;
}

constexpr const char* kKnownFields[] = {"id",   "url",      "title", "source",
                                        "date", "category", "body"};

bool IsKnownField(const std::string& name) {
  return std::find_if(std::begin(kKnownFields), std::end(kKnownFields),
                      [&](const char* known) { return name == known; }) !=
         std::end(kKnownFields);
}

// Builds an article from a record of a JSON Lines input (one parsed line:
// the fields users give, HTML entities decoded, the id defaulted), unlike
// tim::ArticleFromJson, which reads back an article tim stored. Returns an
// error message (without location) or an empty string.
std::string ArticleFromInputRecord(json& value, const std::string& default_id,
                                   Article* article) {
  if (!value.is_object()) {
    return std::string("expected a JSON object, got ") + value.type_name();
  }
  std::string date, error;
  std::string* const targets[] = {
      &article->id, &article->url,      &article->title, &article->source,
      &date,        &article->category, &article->body};
  bool present[std::size(kKnownFields)];
  for (size_t i = 0; i < std::size(kKnownFields); ++i) {
    if (!TakeStringField(value, kKnownFields[i], targets[i], &present[i],
                         &error)) {
      return error;
    }
  }
  const bool has_id = present[0], has_body = present[6];
  if (has_id && article->id.empty()) return "field \"id\" is empty";
  if (std::any_of(article->id.begin(), article->id.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
      })) {
    return "field \"id\" contains a control character";
  }
  if (!has_id) article->id = default_id;
  for (std::string* text : {&article->title, &article->source,
                            &article->category, &article->body}) {
    DecodeHtmlEntities(text);
    TrimSpaceInPlace(text);
  }
  if (article->body.empty()) {
    return has_body ? "missing body (\"body\" is blank)" : "missing body";
  }
  const std::string_view date_text = TrimSpace(date);
  if (!date_text.empty()) {
    article->date = ParseIsoDate(date_text, &error);
    if (!article->date) return "bad date: " + error;
  }
  for (auto& [name, field] : value.items()) {
    if (!IsKnownField(name)) article->extra_fields[name] = field.dump();
  }
  return "";
}

// Why a record that is valid JSON is still refused.
struct RejectedJson {
  std::string reason;
};

// Parses a record, refusing nesting deeper than kMaxJsonDepth (nlohmann
// recurses when copying and dumping values, so ~65,000 levels crashed) and
// duplicate keys in an object (nlohmann silently keeps the last).
json ParseJsonRecord(std::string_view line) {
  std::vector<std::vector<std::string>> keys_of_open_objects;
  const auto check = [&](int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (depth >= kMaxJsonDepth) {
          throw RejectedJson{"JSON nested deeper than " +
                             std::to_string(kMaxJsonDepth) + " levels"};
        }
        if (event == json::parse_event_t::object_start) {
          keys_of_open_objects.emplace_back();
        }
        break;
      case json::parse_event_t::object_end:
        keys_of_open_objects.pop_back();
        break;
      case json::parse_event_t::key: {
        std::vector<std::string>& keys = keys_of_open_objects.back();
        const std::string& key = parsed.get_ref<const std::string&>();
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
          throw RejectedJson{"duplicate key \"" + key + "\""};
        }
        keys.push_back(key);
        break;
      }
      default:
        break;
    }
    return true;
  };
  return json::parse(line.data(), line.data() + line.size(), check);
}

// Parses one non-blank line (valid UTF-8). Returns an error message naming
// file and line, or an empty string.
std::string ParseJsonLine(std::string_view line, const std::string& file,
                          size_t line_number, const std::string& stem,
                          Article* article) {
  json value;
  try {
    value = ParseJsonRecord(line);
  } catch (const RejectedJson& e) {
    return file + ":" + std::to_string(line_number) + ": " + e.reason;
  } catch (const json::exception& e) {
    // Also number overflow ("1e999"), an out_of_range, not a parse_error.
    return file + ":" + std::to_string(line_number) +
           ": malformed JSON: " + ShortJsonReason(e);
  }
  const std::string error =
      ArticleFromInputRecord(value, stem + ":" + std::to_string(line_number), article);
  if (error.empty()) return "";
  return file + ":" + std::to_string(line_number) + ": " + error;
}

void ReadJsonLinesFile(LineReader& reader, const Context& context) {
  const std::string& name = reader.name();
  const std::string stem = FileStem(name);
  if (reader.StartsBinary()) {
    // One report stands for the whole file, not one per "line" of it.
    context.Bad(name + ": binary file, not JSON Lines text");
    return;
  }
  std::string line;
  bool too_long = false;
  for (size_t line_number = 1 + reader.SkipBlankLines();
       reader.ReadLine(&line, &too_long);
       line_number += 1 + reader.SkipBlankLines()) {
    const std::string where = name + ":" + std::to_string(line_number);
    if (too_long) {
      context.Bad(where + ": line too long (more than " +
                  std::to_string(kMaxLineBytes >> 20) + " MiB)");
      continue;
    }
    if (line.find('\0') != std::string::npos) {
      context.Bad(where + ": NUL byte; not JSON text");
      continue;
    }
    if (!context.CheckUtf8(name, &line, line_number)) continue;
    std::string_view text = line;
    if (line_number == 1 && text.starts_with(kBom)) text.remove_prefix(3);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (TrimSpace(text).empty()) continue;
    Article article;
    const std::string error =
        ParseJsonLine(text, name, line_number, stem, &article);
    if (!error.empty()) {
      context.Bad(error);
      continue;
    }
    context.sink(std::move(article), RecordLocation{name, line_number});
  }
}

// ---------------------------------------------------------------------------
// Paths.

enum class Format { kSeedText, kJsonLines };

// The format a name says: "-", *.jsonl and *.txt (either maybe .gz).
std::optional<Format> FormatOfName(const std::string& path) {
  if (path == kStdinPath) return Format::kJsonLines;
  const std::string_view base = WithoutGz(path);
  if (base.ends_with(".jsonl")) return Format::kJsonLines;
  if (base.ends_with(".txt")) return Format::kSeedText;
  return std::nullopt;
}

// The format of an input whose name does not say (a pipe such as
// <(zcat x.jsonl.gz), a .ndjson file): JSON Lines when its first byte that
// is not blank is "{", which no article's prose starts with, or when its
// first 64 KiB are blank (a seed text would be empty); seed text otherwise.
Format FormatOfContent(LineReader& reader) {
  std::string_view start = reader.Peek();
  const bool more_may_follow = start.size() == LineReader::kBufferSize;
  if (start.starts_with(kBom)) start.remove_prefix(3);
  const size_t first = start.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return more_may_follow ? Format::kJsonLines : Format::kSeedText;
  }
  return start[first] == '{' ? Format::kJsonLines : Format::kSeedText;
}

// True for the files a directory walk reads.
bool IsArticleFileName(const std::string& name) {
  return FormatOfName(name).has_value();
}

// Reads `path` once, from its start: a pipe or a FIFO cannot be read twice.
void ReadFile(const std::string& path, const Context& context) {
  Input input(path, context.options);
  LineReader reader(&input);
  const std::optional<Format> named = FormatOfName(path);
  if ((named ? *named : FormatOfContent(reader)) == Format::kJsonLines) {
    ReadJsonLinesFile(reader, context);
  } else {
    ReadSeedFile(reader, context);
  }
}

// Appends the article files under `dir` to *files, in sorted order.
void CollectDirectory(const fs::path& dir, std::set<fs::path>* visited,
                      std::vector<std::string>* files) {
  std::error_code ec;
  // A symbolic link may lead back up the tree; read each directory once.
  const fs::path canonical = fs::canonical(dir, ec);
  if (!ec && !visited->insert(canonical).second) return;

  std::vector<fs::path> entries;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] != '.') entries.push_back(it->path());
  }
  if (ec) ThrowIoError(dir.string(), ec.value());
  std::sort(entries.begin(), entries.end());

  for (const fs::path& entry : entries) {
    const fs::file_status status = fs::status(entry, ec);
    if (fs::is_directory(status)) {
      CollectDirectory(entry, visited, files);
    } else if (fs::is_regular_file(status) &&
               IsArticleFileName(entry.filename().string())) {
      files->push_back(entry.string());
    }
  }
}

}  // namespace

std::vector<std::string> ListArticleFiles(const std::string& path) {
  if (path == kStdinPath) return {path};
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    throw Error(ErrorCode::kNotFound, "no such file or directory: " + path);
  }
  if (ec) ThrowIoError(path, ec.value());
  std::vector<std::string> files;
  if (fs::is_directory(status)) {
    std::set<fs::path> visited;
    CollectDirectory(path, &visited, &files);
  } else {
    files.push_back(path);
  }
  return files;
}

void ReadArticles(const std::string& path, const ArticleSink& sink,
                  const ReadOptions& options) {
  const Context context{sink, options};
  for (const std::string& file : ListArticleFiles(path)) {
    ReadFile(file, context);
  }
}

void ReadArticles(const std::string& path, const ArticleSink& sink,
                  const BadRecordHandler& on_bad) {
  ReadOptions options;
  options.on_bad = on_bad;
  ReadArticles(path, sink, options);
}

}  // namespace tim
