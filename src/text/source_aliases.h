// source_aliases.h: one display name per news publisher or agency, however
// a source is written ("DAN TRI", "Báo Dân trí", "dantri.com.vn" -> "Dân
// trí"). The names come from data/source_aliases.tsv, which CMake embeds in
// the library; that file documents its format. Thread-safe.
#ifndef TIM_SRC_TEXT_SOURCE_ALIASES_H_
#define TIM_SRC_TEXT_SOURCE_ALIASES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tim {

// The canonical display name of the organisation that `name` (NFC text: a
// name, a web domain or a URL) designates, or nullopt if the alias file
// does not know it. Names compare by SourceKey(), so case, diacritics and
// punctuation do not matter; a domain also matches its subdomains.
std::optional<std::string> LookupSource(std::string_view name);

// The canonical display name for a SourceKey() ("dan tri" -> "Dân trí"),
// or nullptr. The pointer stays valid for the life of the process.
const std::string* FindSourceByKey(std::string_view key);

// `name` as its canonical display name when known, else unchanged.
std::string CanonicalSource(std::string_view name);

// The organisation that publishes at the host of `url`
// ("https://kinhdoanh.vnexpress.net/..." -> "VnExpress"), or nullopt.
std::optional<std::string> SourceFromUrl(std::string_view url);

// What is wrong with the embedded alias file, one line per problem (a line
// without a name, a name given to two organisations); empty when sound.
std::vector<std::string> SourceAliasProblems();

// The key under which a user's spelling of a publisher or agency is looked
// up: its canonical name's SourceKey, so "dantri.com.vn" finds "Dân trí".
std::string NameKey(std::string_view name);

// Every canonical display name, in file order.
std::vector<std::string> CanonicalSourceNames();

}  // namespace tim

#endif  // TIM_SRC_TEXT_SOURCE_ALIASES_H_
