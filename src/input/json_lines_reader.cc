#include "input/format_readers.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/spaces.h"
#include "base/utf8.h"
#include "text/date_parser.h"

namespace tim::input {

namespace {

using nlohmann::json;

// Deepest nesting of objects and arrays a JSON Lines record may have.
constexpr int kMaxJsonDepth = 64;

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

}  // namespace

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

}  // namespace tim::input
