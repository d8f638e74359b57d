// bm25.h: Xapian::BM25Weight's arithmetic (1.4, k2 = 0, k3 = 1, each term
// once in the query), operation for operation, for weights tim computes
// outside Xapian's matcher that must equal the matcher's to the last bit:
// a score differing in its last digit would reorder ties and change the
// JSON of a search. Read in Xapian's weight/bm25weight.cc.
#ifndef TIM_SRC_QUERY_BM25_H_
#define TIM_SRC_QUERY_BM25_H_

#include <xapian.h>

#include <algorithm>
#include <cmath>

namespace tim {

// BM25's parameters, as Xapian::BM25Weight takes them (k2 = 0, k3 = 1).
struct Bm25Params {
  double k1 = 1, b = 0.5, min_normlen = 0.5;
};

// BM25Weight::init()'s termweight, (k1 + 1) included, of a term in
// `frequency` of the `documents` documents, in a part of the query scaled by
// `factor` (its query-frequency factor is exactly 1 here).
inline double Bm25TermWeight(const Bm25Params& params, Xapian::doccount documents,
                             Xapian::doccount frequency, double factor) {
  double odds = (documents - frequency + 0.5) / (frequency + 0.5);
  if (odds < 2) odds = odds * 0.5 + 1;
  return std::log(odds) * factor * (params.k1 + 1);
}

// 1 / the average document length, as BM25Weight's len_factor (0 for an
// empty database).
inline double Bm25LengthFactor(const Xapian::Database& db) {
  const double average = db.get_avlength();
  return average != 0 ? 1 / average : 0;
}

// The part of get_sumpart()'s denominator that a document's `length`
// decides.
inline double Bm25LengthPart(const Bm25Params& params, double length, double length_factor) {
  const double normlen = std::max(length * length_factor, params.min_normlen);
  return params.k1 * (normlen * params.b + (1 - params.b));
}

// BM25Weight::get_sumpart(): a term's weight in a document where it is
// `wdf` times, with the document's Bm25LengthPart().
inline double Bm25SumPart(double term_weight, double wdf, double length_part) {
  return term_weight * (wdf / (length_part + wdf));
}

// BM25Weight::get_maxpart(): the largest `wdf_max` at the shortest length a
// document with it can have (`shortest`: the database's shortest document).
inline double Bm25MaxPart(const Bm25Params& params, double term_weight, double wdf_max,
                          double shortest, double length_factor) {
  const double length_part = Bm25LengthPart(params, std::max(wdf_max, shortest), length_factor);
  return length_part + wdf_max > 0 ? Bm25SumPart(term_weight, wdf_max, length_part) : 0;
}

}  // namespace tim

#endif  // TIM_SRC_QUERY_BM25_H_
