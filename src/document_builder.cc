#include "document_builder.h"

#include <cstdint>
#include <cstdio>

#include "analyzer.h"
#include "article_reader.h"
#include "date_parser.h"
#include "schema.h"
#include "tim/json.h"

namespace tim {

namespace {

std::string Trim(std::string_view text) {
  const char* kSpace = " \t\r\n";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(kSpace);
  return std::string(text.substr(first, last - first + 1));
}

void NormalizeField(std::string* field) {
  *field = Trim(NormalizeText(*field));
}

// 64-bit FNV-1a, as 16 hex digits: a cheap fingerprint, not a defence
// against deliberate collisions.
std::string Fingerprint(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(hash));
  return hex;
}

// Indexes the syllables of `text` from position *pos on. Title syllables
// also get a title term, so title matches can weigh more.
void IndexText(std::string_view text, bool is_title, Xapian::termpos* pos,
               Xapian::Document* doc) {
  Tokenize(text, [&](const Token& token) {
    doc->add_posting(token.folded, ++*pos);
    doc->add_term(schema::kExactPrefix + token.exact);
    if (is_title) doc->add_term(schema::kTitlePrefix + token.folded);
  });
}

}  // namespace

void NormalizeArticle(Article* article, const std::string& default_source) {
  for (std::string* field : {&article->id, &article->url, &article->title,
                             &article->source, &article->category,
                             &article->body}) {
    NormalizeField(field);
  }
  if (article->source.empty()) article->source = Trim(NormalizeText(default_source));
  if (article->source.empty()) article->source = kUnknownSource;
  if (article->title.empty()) article->title = DeriveTitle(article->body);
}

std::string DateEndKey(const Date& date) {
  std::string key = DateKey(date);
  if (date.month == 0) key.replace(4, 4, "9999");
  else if (date.day == 0) key.replace(6, 2, "99");
  return key;
}

std::string SourceKey(std::string_view source) {
  std::string key;
  Tokenize(NormalizeText(source), [&](const Token& token) {
    if (!key.empty()) key += ' ';
    key += token.folded;
  });
  return key;
}

std::string IdTerm(std::string_view id) {
  std::string term(schema::kIdPrefix);
  term += id;
  if (term.size() > schema::kMaxIdTermBytes) {
    // Keep a readable start; the fingerprint of the whole id tells apart
    // long ids that share it.
    term.resize(schema::kMaxIdTermBytes - 17);
    term += '#';
    term += Fingerprint(id);
  }
  return term;
}

Xapian::Document BuildDocument(const Article& article) {
  Xapian::Document doc;
  doc.set_data(ToJson(article));
  doc.add_boolean_term(IdTerm(article.id));
  doc.add_boolean_term(schema::kSourcePrefix + SourceKey(article.source));
  doc.add_value(schema::kSourceSlot, article.source);
  if (!article.category.empty()) {
    doc.add_boolean_term(schema::kCategoryPrefix + SourceKey(article.category));
    doc.add_value(schema::kCategorySlot, article.category);
  }
  if (article.date) {
    doc.add_value(schema::kDateStartSlot, DateKey(*article.date));
    doc.add_value(schema::kDateEndSlot, DateEndKey(*article.date));
  }
  Xapian::termpos pos = 0;
  IndexText(article.title, /*is_title=*/true, &pos, &doc);
  pos += schema::kTitleBodyGap;
  IndexText(article.body, /*is_title=*/false, &pos, &doc);
  doc.add_value(schema::kContentHashSlot, ContentHash(doc));
  return doc;
}

std::string ContentHash(const Xapian::Document& document) {
  return Fingerprint(std::to_string(schema::kSchemaVersion) + "\n" +
                     document.get_data());
}

}  // namespace tim
