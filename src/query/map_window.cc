#include "query/map_window.h"

#include <algorithm>
#include <map>

#include "index/schema.h"
#include "query/posting_cache.h"

namespace tim {

void MapReader::Init(const Xapian::Database& db, const MapWindow* window) {
  db_ = db;
  window_ = window;
  // A window's boosts read its maps only.
  cache_ = Windowed() ? nullptr : MapCaches::Process().For(db);
  // Opened at the first map read from the database: a window's boosts, or
  // a reader the cache serves, never read one.
  maps_ = Xapian::ValueIterator();
  opened_ = false;
  docid_ = 0;
}

const std::string* MapReader::MapOf(Xapian::docid id) {
  if (const auto place = Place(id)) {
    const std::string& map = window_->maps[*place].second;
    return map.empty() ? nullptr : &map;
  }
  if (const std::string* kept = cache_ ? cache_->Find(id) : nullptr) {
    return kept->empty() ? nullptr : kept;
  }
  if (!opened_ || id < docid_) {
    maps_ = db_.valuestream_begin(schema::kPositionMapSlot);
    opened_ = true;
  }
  docid_ = id;
  map_.clear();
  if (maps_ != Xapian::ValueIterator()) maps_.skip_to(id);
  if (maps_ != Xapian::ValueIterator() && maps_.get_docid() == id) map_ = *maps_;
  // An article without a map is kept as "", so that it is not looked for
  // again.
  if (const std::string* kept = cache_ ? cache_->Keep(id, &map_) : nullptr) {
    return kept->empty() ? nullptr : kept;
  }
  return map_.empty() ? nullptr : &map_;
}

std::optional<size_t> MapWindow::IndexOf(Xapian::docid id) const {
  const auto it = std::lower_bound(
      maps.begin(), maps.end(), id,
      [](const auto& entry, Xapian::docid d) { return entry.first < d; });
  if (it == maps.end() || it->first != id) return std::nullopt;
  return it - maps.begin();
}

const std::vector<Xapian::termcount>* MapWindow::WdfsOf(const std::string& folded) const {
  const auto it = wdfs.find(folded);
  return it == wdfs.end() ? nullptr : &it->second;
}

const std::vector<bool>* MapWindow::HeldOf(const std::string& folded) const {
  const auto it = held.find(folded);
  return it == held.end() ? nullptr : &it->second;
}

namespace {

// What `list` has at each of `sorted_ids`: `value` of it there, else 0;
// whether it has each, in `*held` when given.
template <typename Value>
std::vector<Xapian::termcount> ReadAt(Xapian::PostingIterator list,
                                      const std::vector<Xapian::docid>& sorted_ids, Value value,
                                      std::vector<bool>* held = nullptr) {
  std::vector<Xapian::termcount> values(sorted_ids.size(), 0);
  if (held) held->assign(sorted_ids.size(), false);
  for (size_t i = 0; i < sorted_ids.size(); ++i) {
    list.skip_to(sorted_ids[i]);
    if (list == Xapian::PostingIterator()) break;
    if (*list != sorted_ids[i]) continue;
    values[i] = value(list);
    if (held) (*held)[i] = true;
  }
  return values;
}

// ReadAt for a list the process keeps: `values` of it at each of
// `sorted_ids`, else 0; whether it has each, in `*held` when given.
std::vector<Xapian::termcount> ReadAt(const std::vector<Xapian::docid>& ids,
                                      const std::vector<uint16_t>& values,
                                      const std::vector<Xapian::docid>& sorted_ids,
                                      std::vector<bool>* held = nullptr) {
  std::vector<Xapian::termcount> read(sorted_ids.size(), 0);
  if (held) held->assign(sorted_ids.size(), false);
  auto at = ids.begin();
  for (size_t i = 0; i < sorted_ids.size(); ++i) {
    at = std::lower_bound(at, ids.end(), sorted_ids[i]);
    if (at == ids.end()) break;
    if (*at != sorted_ids[i]) continue;
    read[i] = values[at - ids.begin()];
    if (held) (*held)[i] = true;
  }
  return read;
}

}  // namespace

std::shared_ptr<const MapWindow> ReadWindow(const Xapian::Database& db,
                                            const std::vector<Xapian::docid>& sorted_ids,
                                            const std::vector<std::string>& syllables,
                                            double k1, double b,
                                            const std::vector<std::string>* fetched_maps) {
  auto window = std::make_shared<MapWindow>();
  window->k1 = k1;
  window->b = b;
  MapReader reader;
  reader.Init(db, nullptr);
  window->maps.reserve(sorted_ids.size());
  for (size_t i = 0; i < sorted_ids.size(); ++i) {
    const std::string* map = fetched_maps ? &(*fetched_maps)[i] : reader.MapOf(sorted_ids[i]);
    window->maps.emplace_back(sorted_ids[i], map ? *map : std::string());
  }
  // The syllables' lists the process keeps (posting_cache.h), with the
  // documents' lengths: a process that keeps lists searches again.
  const std::shared_ptr<PostingCache> cache =
      fetched_maps ? nullptr : PostingCaches::Process().For(db);
  std::map<std::string, std::shared_ptr<const PostingList>> kept;
  for (const std::string& syllable : syllables) {
    if (auto list = cache ? cache->Find(db, syllable) : nullptr) kept.emplace(syllable, list);
  }
  const auto lengths = kept.empty() ? nullptr : cache->Lengths(db);
  if (!lengths) kept.clear();
  if (fetched_maps) {
    for (Xapian::docid id : sorted_ids) window->lengths.push_back(db.get_doclength(id));
  } else if (lengths) {
    for (Xapian::docid id : sorted_ids) window->lengths.push_back((*lengths)[id]);
  } else {
    // The list of every document ("") has their lengths.
    window->lengths = ReadAt(db.postlist_begin(""), sorted_ids,
                             [](const Xapian::PostingIterator& at) { return at.get_doclength(); });
  }
  for (const std::string& syllable : syllables) {
    if (window->wdfs.count(syllable)) continue;
    std::vector<bool>* held = &window->held[syllable];
    const auto list = kept.find(syllable);
    window->wdfs.emplace(
        syllable,
        list != kept.end()
            ? ReadAt(list->second->ids, list->second->wdfs, sorted_ids, held)
            : ReadAt(db.postlist_begin(syllable), sorted_ids,
                     [](const Xapian::PostingIterator& at) { return at.get_wdf(); }, held));
  }
  return window;
}

}  // namespace tim
