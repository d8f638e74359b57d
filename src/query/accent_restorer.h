// accent_restorer.h: the accented form of a query typed without diacritics
// ("dam phan hoa binh" -> "đàm phán hòa bình"), from the index's own text.
//
// Method. Folding merges many words (dam = đàm/đám/đầm/dăm...), and a
// syllable alone is ambiguous; its neighbours are not. So:
//   1. The query's words are searched, folded, as a phrase; the articles
//      that have it are the best evidence, and suffice. If none has it: all
//      of the words (AND), ranked higher where consecutive words stand
//      together; if none has them all: any of them (OR). The best
//      `max_documents` articles are read; if they show none of the words
//      (see 2), the next search is tried. A phrase of several words found
//      in more than kSampledDocuments (200) articles is ranked among the
//      first 200 found: a common phrase ("thoi gian") is in thousands.
//   2. Their stored title and body are tokenized, and every maximal run of
//      consecutive tokens whose folded keys equal consecutive query words
//      is found ("đàm phán hòa bình" in a text matches all four words of
//      "dam phan hoa binh" as one run of length 4). A run breaks at a line
//      break and at . ! ? ("bình. Đàm" is not a run), not at commas,
//      colons, quotes or dashes. Lines mostly without diacritics (a reader's
//      comment quoted as typed) are skipped: they would vote "thang" where
//      the language has "tháng".
//   3. At each query word, the exact key seen in the longest run wins;
//      among keys seen in equally long runs, the one seen in the most runs
//      that long, then in the most runs of any length. Context decides:
//      "co" alone is most often "có", but in "chuyen co tich" the run
//      "chuyện cổ tích" decides for "cổ". (Weighing runs by length instead,
//      2^(L-1) to 16^(L-1), restored no more held-out queries and fewer
//      known ones in the benchmark.) The winning key is shown in its most
//      frequent lowercase spelling in the text, so tone placement and i/y
//      follow the articles (hòa or hoà, whichever they mostly write).
// Words never seen keep the form the user typed, lowercased. Deterministic
// for a given database revision.
//
// Query syntax is kept: operators (AND, OR, NOT), parentheses, quotes,
// field names (title:), the values of filter fields (source:, cites:,
// category:, date:) and excluded words (-word, NOT word) are copied as
// typed and take no part in the search; the rest is lowercased. A run never
// spans an operator, a parenthesis or an excluded word.
#ifndef TIM_SRC_QUERY_ACCENT_RESTORER_H_
#define TIM_SRC_QUERY_ACCENT_RESTORER_H_

#include <xapian.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "index/stored_article_codec.h"

namespace tim {

// How many of the best-matching articles are read for evidence, at about
// 0.03 ms an article on the news corpus. 20 and 30 restored the benchmark's
// queries equally well (benchmarks/relevance).
inline constexpr size_t kAccentDocuments = 20;

// The query with its words accented as the articles of `db` write them,
// lowercase and NFC; nullopt when the query already has diacritics, has no
// word to restore, no article matches, or nothing would change. Xapian
// errors propagate (callers translate them at the library edge).
std::optional<std::string> SuggestAccents(const Xapian::Database& db,
                                          std::string_view query_text,
                                          size_t max_documents = kAccentDocuments);
// The same, reading the articles through `stored` (a reader of `db`, which
// keeps its dictionaries from one search to the next).
std::optional<std::string> SuggestAccents(const Xapian::Database& db,
                                          StoredDataReader& stored,
                                          std::string_view query_text,
                                          size_t max_documents = kAccentDocuments);

}  // namespace tim

#endif  // TIM_SRC_QUERY_ACCENT_RESTORER_H_
