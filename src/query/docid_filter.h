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

}  // namespace tim

#endif  // TIM_SRC_QUERY_DOCID_FILTER_H_
