#include "text/source_aliases.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "text/analyzer.h"
#include "text/names.h"

namespace tim {

namespace {

// data/source_aliases.tsv, as a string literal written by CMake.
constexpr std::string_view kAliasFile =
#include "source_aliases.inc"
    ;

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '-';
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

// The lowercase host of a domain or URL ("https://www.VnExpress.net/x" ->
// "vnexpress.net"), or "" when `text` is neither.
std::string HostOf(std::string_view text) {
  for (std::string_view scheme : {"https://", "http://", "//"}) {
    if (text.size() >= scheme.size() &&
        std::equal(scheme.begin(), scheme.end(), text.begin(),
                   [](char a, char b) { return a == AsciiLower(b); })) {
      text.remove_prefix(scheme.size());
      break;
    }
  }
  size_t end = 0;
  while (end < text.size() && IsHostChar(text[end])) ++end;
  if (end < text.size() &&
      std::string_view("/?#:").find(text[end]) == std::string_view::npos) {
    return "";
  }
  std::string host(text.substr(0, end));
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.find('.') == std::string::npos) return "";
  for (char& c : host) c = AsciiLower(c);
  if (host.starts_with("www.")) host.erase(0, 4);
  return host;
}

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  for (size_t start = 0;;) {
    const size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

class AliasTable {
 public:
  explicit AliasTable(std::string_view file) {
    size_t line_number = 0;
    while (!file.empty()) {
      const size_t newline = file.find('\n');
      const std::string_view line = file.substr(0, newline);
      file.remove_prefix(newline == std::string_view::npos ? file.size()
                                                           : newline + 1);
      ++line_number;
      if (line.empty() || line.front() == '#') continue;
      AddLine(SplitFields(line), line_number);
    }
  }

  std::optional<std::string> ByHost(std::string host) const {
    // "kinhdoanh.vnexpress.net", then "vnexpress.net"; never a bare "vn".
    while (host.find('.') != std::string::npos) {
      auto it = by_host_.find(host);
      if (it != by_host_.end()) return it->second;
      host.erase(0, host.find('.') + 1);
    }
    return std::nullopt;
  }

  const std::string* ByKey(std::string_view key) const {
    if (key.empty()) return nullptr;
    auto it = by_key_.find(std::string(key));
    return it == by_key_.end() ? nullptr : &it->second;
  }

  const std::vector<std::string>& problems() const { return problems_; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  void AddLine(const std::vector<std::string_view>& fields, size_t line) {
    const std::string canonical(fields[0]);
    if (SourceKey(canonical).empty()) {
      problems_.push_back("line " + std::to_string(line) + ": no name");
      return;
    }
    names_.push_back(canonical);
    for (std::string_view alias : fields) {
      const bool is_domain = alias.find(' ') == std::string_view::npos &&
                             !HostOf(alias).empty() &&
                             HostOf(alias).size() == alias.size();
      if (is_domain) {
        Add(&by_host_, HostOf(alias), canonical, alias, line);
      } else {
        Add(&by_key_, SourceKey(alias), canonical, alias, line);
      }
    }
  }

  void Add(std::unordered_map<std::string, std::string>* map, std::string key,
           const std::string& canonical, std::string_view alias, size_t line) {
    if (key.empty()) {
      problems_.push_back("line " + std::to_string(line) + ": alias '" +
                          std::string(alias) + "' has no letters");
      return;
    }
    const auto [it, added] = map->emplace(std::move(key), canonical);
    if (!added && it->second != canonical) {
      problems_.push_back("line " + std::to_string(line) + ": '" +
                          std::string(alias) + "' already names '" +
                          it->second + "'");
    }
  }

  std::unordered_map<std::string, std::string> by_key_;   // SourceKey()
  std::unordered_map<std::string, std::string> by_host_;  // lowercase host
  std::vector<std::string> problems_;
  std::vector<std::string> names_;
};

const AliasTable& Table() {
  static const AliasTable* const table = new AliasTable(kAliasFile);
  return *table;
}

}  // namespace

std::optional<std::string> LookupSource(std::string_view name) {
  if (name.find(' ') == std::string_view::npos) {
    const std::string host = HostOf(name);
    if (!host.empty()) {
      if (auto found = Table().ByHost(host)) return found;
    }
  }
  if (const std::string* found = Table().ByKey(SourceKey(name))) return *found;
  return std::nullopt;
}

const std::string* FindSourceByKey(std::string_view key) {
  return Table().ByKey(key);
}

std::string CanonicalSource(std::string_view name) {
  return LookupSource(name).value_or(std::string(name));
}

std::optional<std::string> SourceFromUrl(std::string_view url) {
  const std::string host = HostOf(url);
  if (host.empty()) return std::nullopt;
  return Table().ByHost(host);
}

std::vector<std::string> SourceAliasProblems() { return Table().problems(); }

std::vector<std::string> CanonicalSourceNames() { return Table().names(); }

std::string NameKey(std::string_view name) {
  return SourceKey(CanonicalSource(NormalizeText(name)));
}

}  // namespace tim
