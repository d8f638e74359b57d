// value_streams.h: every value of a slot, read in one go.
#ifndef TIM_SRC_INDEX_VALUE_STREAMS_H_
#define TIM_SRC_INDEX_VALUE_STREAMS_H_

#include <xapian.h>

#include <string>
#include <utility>
#include <vector>

namespace tim {

// The values of `slot` of every document of `db` that has one, by docid,
// from a database with remote shards. Their server (xapian-tcpsrv) sends a
// value stream one document a round trip (tens of thousands for a table);
// a match of every document sorted by the slot sends them all at once, as
// the items' sort keys.
std::vector<std::pair<Xapian::docid, std::string>> RemoteValues(const Xapian::Database& db,
                                                                Xapian::valueno slot);

// Calls `visit(docid, value)` for each document of `db` with a value in
// `slot`, in docid order. `remote`: `db` has remote shards (RemoteValues).
template <typename Visit>
void ForEachValue(const Xapian::Database& db, Xapian::valueno slot, bool remote, Visit&& visit) {
  if (remote) {
    for (const auto& [id, value] : RemoteValues(db, slot)) visit(id, value);
    return;
  }
  for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
    visit(it.get_docid(), *it);
  }
}

}  // namespace tim

#endif  // TIM_SRC_INDEX_VALUE_STREAMS_H_
