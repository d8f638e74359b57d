#include "ingest/prepared_article.h"

#include <cstdio>
#include <utility>

#include "base/hash.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/xapian_errors.h"
#include "tim/error.h"

namespace tim {

uint64_t BodyFingerprint(std::string_view body) {
  // FNV-1a over the text with whitespace runs read as one space, then
  // splitmix64's finalizer so that near-identical texts spread out. The
  // fingerprints are stored (XF terms): the set of spaces is this one, not
  // IsAsciiSpace's.
  uint64_t hash = kFnv1aOffsetBasis;
  bool in_space = false;
  for (const char c : body) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && in_space) continue;
    in_space = space;
    hash = Fnv1aStep(hash, static_cast<unsigned char>(space ? ' ' : c));
  }
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ull;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebull;
  return hash ^ (hash >> 31);
}

std::string FingerprintTerm(uint64_t fingerprint) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(fingerprint));
  return schema::kBodyFingerprintPrefix + std::string(hex);
}

PreparedArticle PrepareArticle(Article article,
                               const std::string& default_source) {
  NormalizeArticle(&article, default_source);
  if (article.id.empty()) {
    throw Error(ErrorCode::kInvalidInput, "article has no id");
  }
  if (article.body.empty()) {
    throw Error(ErrorCode::kInvalidInput,
                "article " + article.id + " has no body");
  }
  PreparedArticle prepared;
  prepared.fingerprint = BodyFingerprint(article.body);
  prepared.id_term = IdTerm(article.id);
  TranslateXapianErrors("indexing article " + article.id, [&] {
    prepared.document = BuildDocument(article);
    prepared.document.add_boolean_term(FingerprintTerm(prepared.fingerprint));
    prepared.content_hash =
        prepared.document.get_value(schema::kContentHashSlot);
  });
  prepared.id = std::move(article.id);
  return prepared;
}

}  // namespace tim
