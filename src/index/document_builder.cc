#include "index/document_builder.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "base/hash.h"
#include "index/position_map.h"
#include "index/schema.h"
#include "text/analyzer.h"
#include "text/captions.h"
#include "text/cites.h"
#include "text/common_spellings.h"
#include "text/date_parser.h"
#include "text/names.h"
#include "text/source_aliases.h"
#include "text/titles.h"
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
  const uint64_t hash = Fnv1a(bytes);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(hash));
  return hex;
}

// A document's syllable terms, each added once with the sum of its wdfs:
// Xapian's Document::add_term looks the term up in a std::map on every
// call, which cost more than all of tokenizing. The folded syllables also
// go into the document's position map (position_map.h), in order, with
// how often each is spelt the common way; other spellings are exact terms
// (common_spellings.h).
class SyllableTerms {
 public:
  void Add(const Token& token, Xapian::termcount wdf) {
    const uint32_t number = positions_.Add(token.folded);
    if (number == folded_wdfs_.size()) folded_wdfs_.push_back(0);
    folded_wdfs_[number] += wdf;
    if (!HasExactTerm(token.exact)) return;
    const bool common = IsCommonSpelling(token.exact);
    positions_.AddSpelling(number, common, wdf);
    if (common) return;
    exact_.resize(kExactPrefixLength);
    exact_ += token.exact;
    exact_wdfs_[exact_] += wdf;
  }

  // No phrase matches across the end of a run of text.
  void EndRun() { positions_.AddBreak(); }

  // A term added with wdf 0 (a caption's) is still added.
  void AddTo(Xapian::Document* doc) const {
    const std::vector<std::string>& folded = positions_.terms();
    for (size_t i = 0; i < folded.size(); ++i) doc->add_term(folded[i], folded_wdfs_[i]);
    for (const auto& [term, wdf] : exact_wdfs_) doc->add_term(term, wdf);
    std::string map = positions_.Encode();
    if (!map.empty()) doc->add_value(schema::kPositionMapSlot, std::move(map));
  }

 private:
  static constexpr size_t kExactPrefixLength = sizeof(schema::kExactPrefix) - 1;
  PositionMapBuilder positions_;
  std::vector<Xapian::termcount> folded_wdfs_;
  std::string exact_ = schema::kExactPrefix;
  // Only uncommon spellings (common_spellings.h).
  std::unordered_map<std::string, Xapian::termcount> exact_wdfs_;
};

// Indexes the title's syllables; each also gets a title term, so title
// matches can weigh more.
void IndexTitle(std::string_view title, SyllableTerms* syllables,
                Xapian::Document* doc) {
  std::string term = schema::kTitlePrefix;
  const size_t prefix = term.size();
  Tokenize(title, [&](const Token& token) {
    syllables->Add(token, 1);
    term.resize(prefix);
    term += token.folded;
    doc->add_term(term);
  });
  syllables->EndRun();
}

// Indexes the body line by line. Photo captions and credit lines stay
// searchable, phrases included, but add nothing to the term frequencies
// BM25 ranks by: an article is not about what its photo shows in passing
// ("... - Ảnh: REUTERS").
void IndexBody(std::string_view body, SyllableTerms* syllables) {
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view line = body.substr(start, end - start);
    const Xapian::termcount wdf = IsCaptionLine(line) ? 0 : 1;
    Tokenize(line, [&](const Token& token) { syllables->Add(token, wdf); });
    start = end + 1;
  }
}

// The publisher: the article's own, else `default_source`, else the one
// whose site the URL is on, as its canonical name.
std::string ArticleSource(const Article& article,
                          const std::string& default_source) {
  if (!article.source.empty()) return CanonicalSource(article.source);
  const std::string fallback = Trim(NormalizeText(default_source));
  if (!fallback.empty()) return CanonicalSource(fallback);
  return SourceFromUrl(article.url).value_or(kUnknownSource);
}

// Only an article without a metadata date gets one from its text, so an
// inferred date never overrides metadata. Without a reference date, text
// dates lacking a year ("hôm 15/8") are left alone.
void InferDate(Article* article) {
  if (article->date) return;
  article->date = InferDateFromText(article->title + "\n" + article->body);
  article->date_inferred = article->date.has_value();
}

// Metadata dates go to the slots that date filters, date sorting and the
// year and month facets read; inferred ones to slots of their own, so
// those features see them only when asked to.
void AddDate(const Article& article, Xapian::Document* doc) {
  if (!article.date) return;
  const bool inferred = article.date_inferred;
  doc->add_value(inferred ? schema::kInferredDateStartSlot
                          : schema::kDateStartSlot,
                 DateKey(*article.date));
  doc->add_value(inferred ? schema::kInferredDateEndSlot : schema::kDateEndSlot,
                 DateEndKey(*article.date));
  doc->add_value(schema::kDateKindSlot, inferred ? "i" : "m");
  if (inferred) doc->add_boolean_term(schema::kInferredDateTerm);
}

// Xapian rejects terms over 245 bytes (and aborts the whole commit), so a
// term longer than schema::kMaxIdTermBytes keeps a readable start and ends
// in the fingerprint of the whole key, which tells apart keys sharing it.
// Indexing and filtering both build terms here, so long values still match.
std::string BoundedTerm(std::string_view prefix, std::string_view key) {
  std::string term(prefix);
  term += key;
  if (term.size() > schema::kMaxIdTermBytes) {
    term.resize(schema::kMaxIdTermBytes - 17);
    term += '#';
    term += Fingerprint(key);
  }
  return term;
}

void AddCites(const Article& article, Xapian::Document* doc) {
  std::string joined;
  for (const std::string& name : ArticleCites(article)) {
    if (!joined.empty()) joined += schema::kListSeparator;
    joined += name;
    doc->add_boolean_term(BoundedTerm(schema::kCitesPrefix, SourceKey(name)));
  }
  if (!joined.empty()) doc->add_value(schema::kCitesSlot, joined);
}

}  // namespace

void NormalizeArticle(Article* article, const std::string& default_source) {
  for (std::string* field : {&article->id, &article->url, &article->title,
                             &article->source, &article->category,
                             &article->body}) {
    NormalizeField(field);
  }
  article->source = ArticleSource(*article, default_source);
  if (article->title.empty()) article->title = DeriveTitle(article->body);
  InferDate(article);
}

std::vector<std::string> ArticleCites(const Article& article) {
  std::vector<std::string> cites = ExtractCites(article.body);
  // A publisher naming itself ("phóng viên báo Dân trí") cites no one.
  std::erase(cites, article.source);
  return cites;
}

std::string IdTerm(std::string_view id) {
  return BoundedTerm(schema::kIdPrefix, id);
}

std::optional<Xapian::docid> FindDocument(const Xapian::Database& db,
                                          const std::string& id_term) {
  Xapian::PostingIterator it = db.postlist_begin(id_term);
  if (it == db.postlist_end(id_term)) return std::nullopt;
  return *it;
}

std::string FacetValueTerm(std::string_view facet, std::string_view value) {
  if (facet == "source") {
    return BoundedTerm(schema::kSourcePrefix, NameKey(value));
  }
  if (facet == "cites") return BoundedTerm(schema::kCitesPrefix, NameKey(value));
  if (facet == "category") {
    return BoundedTerm(schema::kCategoryPrefix, SourceKey(value));
  }
  return "";
}

bool HasExactTerm(std::string_view exact) {
  return std::any_of(exact.begin(), exact.end(),
                     [](char c) { return c < '0' || c > '9'; });
}

Xapian::Document BuildDocument(const Article& article) {
  Xapian::Document doc;
  doc.set_data(ToJson(article));
  doc.add_boolean_term(IdTerm(article.id));
  doc.add_boolean_term(
      BoundedTerm(schema::kSourcePrefix, SourceKey(article.source)));
  doc.add_value(schema::kSourceSlot, article.source);
  if (!article.category.empty()) {
    doc.add_boolean_term(
        BoundedTerm(schema::kCategoryPrefix, SourceKey(article.category)));
    doc.add_value(schema::kCategorySlot, article.category);
  }
  AddDate(article, &doc);
  AddCites(article, &doc);
  SyllableTerms syllables;
  IndexTitle(article.title, &syllables, &doc);
  IndexBody(article.body, &syllables);
  syllables.AddTo(&doc);
  doc.add_value(schema::kContentHashSlot, ContentHash(doc));
  return doc;
}

std::string ContentHash(const Xapian::Document& document) {
  // The cites are derived from the body by rules and an alias file that
  // change between releases: hashing them rewrites what they change.
  return Fingerprint(std::to_string(schema::kSchemaVersion) + "\n" +
                     document.get_data() + "\n" +
                     document.get_value(schema::kCitesSlot));
}

}  // namespace tim
