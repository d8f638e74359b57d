// window_term.h: a term of a ranking's second pass weighed from the wdfs
// and lengths its window has already read (map_window.h).
//
// Why: the second pass ranks again the first pass's best articles (200),
// and Xapian would read each of the query's syllables' posting lists again
// to weigh them, dense lists of function words among them: most of that
// pass's time on a question, after ReadWindow had read the same lists.
#ifndef TIM_SRC_QUERY_WINDOW_TERM_H_
#define TIM_SRC_QUERY_WINDOW_TERM_H_

#include <xapian.h>

#include <memory>
#include <string>

#include "query/map_window.h"

namespace tim {

// Xapian::Query(folded), for a query whose matches are the articles of
// `window` only (it is filtered to them), on `db`, a database of one shard
// that holds `folded`: it matches the window's articles that hold it and
// weighs each exactly as Xapian::BM25Weight (with the window's k1 and b)
// weighs the term there, to the last bit. It tells Xapian the term's
// frequency, so Xapian combines it with the query's other parts as it
// would the term, and adds their weights in the same order. Elsewhere (no
// window, or one without `folded`'s wdfs) it is the term itself.
Xapian::Query WindowTerm(const std::string& folded, const Xapian::Database& db,
                         const std::shared_ptr<const MapWindow>& window);

}  // namespace tim

#endif  // TIM_SRC_QUERY_WINDOW_TERM_H_
