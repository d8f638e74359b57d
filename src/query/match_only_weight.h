// match_only_weight.h: a weighting scheme that gives every match weight 0,
// to use instead of Xapian::BoolWeight.
//
// Why not BoolWeight: Xapian 1.4.22 (Debian 12) replaces a term that is in
// every document by the all-documents posting list when the weighting
// scheme does not read wdf (LocalSubMatch::open_post_list), and renames
// that list after the term (set_term). Once a database has a gap in its
// docids (any delete, e.g. `tim delete` or the superseded versions a staged
// merge removes), that list walks the document-length chunks, and the
// renamed list takes the second chunk's key for the end of another term's
// list: get_mset throws DatabaseCorruptError "Unexpected end of posting
// list for 'TERM'" although the database is sound (xapian-check passes).
// It needs more than one document-length chunk (a few hundred articles,
// fewer after a staged merge). Upstream 1.4.32 and master still do this.
// A scheme that asks for wdf keeps every weighted term on its own list.
#ifndef TIM_SRC_QUERY_MATCH_ONLY_WEIGHT_H_
#define TIM_SRC_QUERY_MATCH_ONLY_WEIGHT_H_

#include <xapian.h>

#include <string>

namespace tim {

class MatchOnlyWeight : public Xapian::Weight {
 public:
  MatchOnlyWeight() { need_stat(WDF); }
  MatchOnlyWeight* clone() const override { return new MatchOnlyWeight; }
  std::string name() const override { return "tim::MatchOnlyWeight"; }
  void init(double /*factor*/) override {}
  double get_sumpart(Xapian::termcount /*wdf*/, Xapian::termcount /*doclen*/,
                     Xapian::termcount /*uniqterms*/) const override {
    return 0;
  }
  double get_maxpart() const override { return 0; }
  double get_sumextra(Xapian::termcount /*doclen*/,
                      Xapian::termcount /*uniqterms*/) const override {
    return 0;
  }
  double get_maxextra() const override { return 0; }
};

}  // namespace tim

#endif  // TIM_SRC_QUERY_MATCH_ONLY_WEIGHT_H_
