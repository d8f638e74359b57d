#include "engine.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

extern char** environ;

namespace tim::bench {

std::vector<Engine> AvailableEngines() {
  std::vector<Engine> engines = {TimEngine(), XapianEngine()};
#ifdef TIM_BENCH_HAVE_LUCENE
  engines.push_back(LuceneEngine());
#endif
#ifdef TIM_BENCH_HAVE_SQLITE
  engines.push_back(Fts5Engine());
#endif
  return engines;
}

std::vector<std::string> MissingEngines() {
  std::vector<std::string> missing;
#ifndef TIM_BENCH_HAVE_LUCENE
  missing.push_back("lucene++ (liblucene++-dev or the Boost headers, libboost-dev, not found at configure time)");
#endif
#ifndef TIM_BENCH_HAVE_SQLITE
  missing.push_back("fts5 (libsqlite3-dev not found at configure time)");
#endif
  return missing;
}

PeerFields FieldsOf(const Article& article) {
  PeerFields fields;
  fields.source = article.source.empty() ? "unknown" : article.source;
  fields.year = fields.month = "unknown";
  if (!article.date) return fields;
  const Date& date = *article.date;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", date.year, date.month,
                date.day);
  fields.day = buffer;
  fields.year = fields.day.substr(0, 4);
  if (date.month) fields.month = fields.year + "-" + fields.day.substr(4, 2);
  return fields;
}

std::vector<QuerySpan> SplitQuotes(const std::string& text) {
  if (std::count(text.begin(), text.end(), '"') % 2 != 0) {
    std::string loose = text;
    std::replace(loose.begin(), loose.end(), '"', ' ');
    return {{loose, false}};
  }
  std::vector<QuerySpan> spans;
  bool quoted = false;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('"', start), text.size());
    if (end > start) spans.push_back({text.substr(start, end - start), quoted});
    quoted = !quoted;
    start = end + 1;
  }
  return spans;
}

std::string DayKey(const std::string& iso_day) {
  std::string key;
  for (char c : iso_day) {
    if (c != '-') key += c;
  }
  return key;
}

void RunXapianCompact(const std::string& dir, const std::string& out) {
  std::string program = "xapian-compact";
  std::vector<char*> argv = {program.data(), const_cast<char*>(dir.c_str()),
                             const_cast<char*>(out.c_str()), nullptr};
  // Its report would mix with the JSON a benchmark child prints.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int error =
      posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    throw std::runtime_error("cannot run xapian-compact (install xapian-tools)");
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("xapian-compact " + dir + " failed");
  }
}

}  // namespace tim::bench
