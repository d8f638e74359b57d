// docid_filter.h: a query matching a given list of documents.
#ifndef TIM_SRC_QUERY_DOCID_FILTER_H_
#define TIM_SRC_QUERY_DOCID_FILTER_H_

#include <xapian.h>

#include <vector>

namespace tim {

// Matches the documents `ids` (sorted, distinct) of the database `db`
// (null: one of a single shard), weighing nothing: for OP_FILTER, to rank a
// few known documents again.
Xapian::Query DocidFilter(std::vector<Xapian::docid> ids, const Xapian::Database* db);

// get_mset's check_at_least for a ranking restricted by a DocidFilter:
// every document on a database of several shards, else none (0). There
// Xapian 1.4's pruning lost matches of the shards after the first ("Nga OR
// Pháp": a shard's tree starts at the min weight the shards before it
// reached); checking every match keeps them, and costs only the listed
// documents when the list leads its AND (as a short one does).
Xapian::doccount MatchesToCheck(const Xapian::Database& db);

}  // namespace tim

#endif  // TIM_SRC_QUERY_DOCID_FILTER_H_
