#include "input/format_readers.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/spaces.h"
#include "base/utf8.h"
#include "text/date_parser.h"

namespace tim::input {

namespace {

// A seed text file is one article and is read whole; bigger than this it is
// almost certainly not an article.
constexpr size_t kMaxSeedBytes = size_t{64} << 20;

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

}  // namespace

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

}  // namespace tim::input
