// document_builder.h: from an Article to the Xapian document that indexes
// it (terms, values, stored data), following schema.h.
#ifndef TIM_SRC_INDEX_DOCUMENT_BUILDER_H_
#define TIM_SRC_INDEX_DOCUMENT_BUILDER_H_

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tim/article.h"

namespace tim {

// The facet value used for articles without a publisher.
inline constexpr char kUnknownSource[] = "unknown";

// Cleans `article` for storage: every text field through NormalizeText and
// trimmed; the publisher as its canonical name (CanonicalSource), or else
// `default_source`, or else the publisher of the URL's site, or else
// "unknown"; a title derived from the body when there is none; and, when
// the article has no date, one inferred from its text (InferDateFromText,
// with date_inferred set).
void NormalizeArticle(Article* article, const std::string& default_source);

// The organisations a normalized article cites (ExtractCites on its body),
// without its own publisher.
std::vector<std::string> ArticleCites(const Article& article);

// The unique term of the article with `id`.
std::string IdTerm(std::string_view id);

// The document of `db` indexing `id_term` (IdTerm), if any.
std::optional<Xapian::docid> FindDocument(const Xapian::Database& db,
                                          const std::string& id_term);

// The boolean term of the articles whose `facet` ("source", "cites" or
// "category") has `value`, written as a user may write it (any alias of a
// publisher or agency, any case or accents); "" for other facets.
std::string FacetValueTerm(std::string_view facet, std::string_view value);

// The document for a normalized article.
Xapian::Document BuildDocument(const Article& article);

// True if a syllable's spelling, its exact key, is recorded besides its
// folded key (an exact "E" term, or in the position map if it is the common
// spelling: common_spellings.h). A number has no accented variant, so its
// exact key would be its folded key again (4 % of exact postings on the
// corpus).
bool HasExactTerm(std::string_view exact);

// What kContentHashSlot holds for a document: equal hashes mean the same
// stored article and cites under the same schema.
std::string ContentHash(const Xapian::Document& document);

}  // namespace tim

#endif  // TIM_SRC_INDEX_DOCUMENT_BUILDER_H_
