#include "index/stored_fields_reader.h"

#include <cstring>

#include "base/spaces.h"
#include "base/utf8.h"

namespace tim {

namespace {


bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' ||
         c == 'E';
}

// The character a one-letter escape stands for, or '\0'.
char Unescaped(char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return '\0';
  }
}

// A cursor over JSON text that reads strings and skips other values.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  // Calls `member(key)` for each member of the object at the cursor, which
  // must consume the value; then requires the end of the text.
  template <typename Member>
  bool Object(Member&& member) {
    if (!Consume('{')) return false;
    if (!Consume('}')) {
      std::string key;
      do {
        if (!String(&key) || !Consume(':') || !member(key)) return false;
      } while (Consume(','));
      if (!Consume('}')) return false;
    }
    SkipSpace();
    return pos_ == text_.size();
  }

  // A string value into `out` (nullptr: skipped); false if the value is
  // not a string or is malformed.
  bool String(std::string* out) {
    if (!Consume('"')) return false;
    if (out) out->clear();
    size_t quote = 0;
    for (;;) {
      if (quote < pos_) quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) return false;
      const char* from = text_.data() + pos_;
      const void* slash = std::memchr(from, '\\', quote - pos_);
      const size_t stop = slash ? static_cast<const char*>(slash) - text_.data() : quote;
      if (out) out->append(from, stop - pos_);
      pos_ = stop + 1;
      if (!slash) return true;
      if (!Escape(out)) return false;
    }
  }

  // A string into `out` if the value is one; any other value is skipped.
  bool StringOrSkip(std::string* out) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '"') return String(out);
    out->clear();
    return Skip();
  }

  // A boolean into `out` if the value is one; any other value is skipped.
  bool BoolOrSkip(bool* out) {
    *out = false;
    SkipSpace();
    if (Literal("true")) return *out = true;
    return Skip();
  }

  // Any value.
  bool Skip() {
    SkipSpace();
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '"':
        return String(nullptr);
      case '{':
        return Members('}', [&] { return String(nullptr) && Consume(':') && Skip(); });
      case '[':
        return Members(']', [&] { return Skip(); });
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && IsAsciiSpace(text_[pos_])) ++pos_;
  }

  bool Consume(char c) {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool Number() {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsNumberChar(text_[pos_])) ++pos_;
    return pos_ > start;
  }

  // The elements of an array or object after its opening bracket.
  template <typename Element>
  bool Members(char close, Element&& element) {
    ++pos_;
    if (Consume(close)) return true;
    do {
      if (!element()) return false;
    } while (Consume(','));
    return Consume(close);
  }

  // The escape after a backslash (already consumed).
  bool Escape(std::string* out) {
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_++];
    if (const char plain = Unescaped(c)) {
      if (out) out->push_back(plain);
      return true;
    }
    if (c != 'u') return false;
    uint32_t code;
    if (!Hex4(&code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return false;
    if (code >= 0xD800 && code <= 0xDBFF) {
      uint32_t low;
      if (!Literal("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    if (out) AppendUtf8(code, out);
    return true;
  }

  bool Hex4(uint32_t* code) {
    if (pos_ + 4 > text_.size()) return false;
    *code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      int digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return false;
      }
      *code = *code * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

bool ReadStoredFields(std::string_view json, StoredFields* fields) {
  Reader reader(json);
  return reader.Object([&](const std::string& key) {
    if (key == "id") return reader.StringOrSkip(&fields->id);
    if (key == "title") return reader.StringOrSkip(&fields->title);
    if (key == "source") return reader.StringOrSkip(&fields->source);
    if (key == "date") return reader.StringOrSkip(&fields->date);
    if (key == "body") return reader.StringOrSkip(&fields->body);
    if (key == "date_inferred") return reader.BoolOrSkip(&fields->date_inferred);
    return reader.Skip();
  });
}

bool ReadStoredId(std::string_view json, std::string* id) {
  Reader reader(json);
  id->clear();
  return reader.Object([&](const std::string& key) {
    return key == "id" ? reader.StringOrSkip(id) : reader.Skip();
  });
}

}  // namespace tim
