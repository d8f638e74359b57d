#include "index/value_streams.h"

#include <algorithm>

namespace tim {

std::vector<std::pair<Xapian::docid, std::string>> RemoteValues(const Xapian::Database& db,
                                                                Xapian::valueno slot) {
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query::MatchAll);
  enquire.set_sort_by_value(slot, false);
  const Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
  std::vector<std::pair<Xapian::docid, std::string>> values;
  for (auto it = all.begin(); it != all.end(); ++it) {
    std::string value = it.get_sort_key();
    if (!value.empty()) values.emplace_back(*it, std::move(value));
  }
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace tim
