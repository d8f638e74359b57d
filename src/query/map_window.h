// map_window.h: what the map boosts of a ranking's second pass read
// (phrase_query.h), read once for all of them.
#ifndef TIM_SRC_QUERY_MAP_WINDOW_H_
#define TIM_SRC_QUERY_MAP_WINDOW_H_

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "query/map_cache.h"

namespace tim {

// What the map boosts of a query (below) read, shared by them and never
// changed once built. Reading a position map costs a block read, so
// checking every candidate made multi-syllable queries 1.5x slower than
// Xapian's positions, which are stored by syllable: the Searcher ranks
// first without map boosts, then ranks its best articles again with them,
// their maps read once for all boosts (ReadWindow).
struct MapWindow {
  // BM25's k1 and b, as for the query's other terms.
  double k1 = 1, b = 0.5;
  // The maps of the articles the boosts will be asked about, by docid
  // ("" for an article without one); empty: each boost reads as asked.
  std::vector<std::pair<Xapian::docid, std::string>> maps;
  // What the boosts weigh by, per article of `maps` (in its order), read
  // once for all of them: each boost walking its syllables' posting lists
  // again was most of a long query's second pass. The documents' lengths,
  // and the wdf of each syllable of `wdfs` (0 where absent). A boost with
  // a syllable not in `wdfs` reads its posting lists.
  std::vector<Xapian::termcount> lengths;
  std::unordered_map<std::string, std::vector<Xapian::termcount>> wdfs;
  // Whether each article holds each syllable of `wdfs`: some hold one with
  // a wdf of 0.
  std::unordered_map<std::string, std::vector<bool>> held;

  // `id`'s place in `maps`, if it is there.
  std::optional<size_t> IndexOf(Xapian::docid id) const;
  // The wdfs of `folded` by place, or null if not read.
  const std::vector<Xapian::termcount>* WdfsOf(const std::string& folded) const;
  // Whether each holds `folded`, by place, or null if not read.
  const std::vector<bool>* HeldOf(const std::string& folded) const;
};

// The maps of the articles `sorted_ids`, for boosts weighing with k1 and b,
// and the wdfs of the folded `syllables` in them. `fetched_maps`: their
// maps, in that order, fetched from remote shards with their ranking. Each
// document's length is then asked alone, a round trip each: a remote shard
// sends the list of every document whole (0.4 s on the corpus), where a
// local database skips to the documents. (Each document's terms, rather
// than the syllables' lists, cost more: a document's list of terms is long.)
std::shared_ptr<const MapWindow> ReadWindow(const Xapian::Database& db,
                                            const std::vector<Xapian::docid>& sorted_ids,
                                            const std::vector<std::string>& syllables,
                                            double k1, double b,
                                            const std::vector<std::string>* fetched_maps = nullptr);

// Reads the documents' position maps: from the window, if there is one,
// else from the process's cache of the database's (map_cache.h), else from
// the database, cheapest in increasing docid order.
class MapReader {
 public:
  void Init(const Xapian::Database& db, const MapWindow* window);

  // The document's position map, or null if it has none.
  const std::string* MapOf(Xapian::docid id);

  // Whether the boosts only weigh the window's articles and `id` is not
  // one of them. Xapian's AND_MAYBE checks its boosts on each article its
  // required part stops at, also those that the second pass's docid filter
  // then drops: reading their maps was most of a long query's second pass.
  bool OutsideWindow(Xapian::docid id) const { return Windowed() && !Place(id); }

  // `id`'s place in the window, if it is there.
  std::optional<size_t> Place(Xapian::docid id) const {
    return window_ ? window_->IndexOf(id) : std::nullopt;
  }

  // The window's wdfs of `folded`, when the boosts weigh from them.
  const std::vector<Xapian::termcount>* WindowWdfs(const std::string& folded) const {
    return Windowed() ? window_->WdfsOf(folded) : nullptr;
  }

  // Whether there is a window with articles (else each map is read as asked).
  bool Windowed() const { return window_ && !window_->maps.empty(); }

 private:
  Xapian::Database db_;
  const MapWindow* window_ = nullptr;
  std::shared_ptr<MapCache> cache_;
  Xapian::ValueIterator maps_;
  bool opened_ = false;  // maps_
  Xapian::docid docid_ = 0;
  std::string map_;
};

}  // namespace tim

#endif  // TIM_SRC_QUERY_MAP_WINDOW_H_
