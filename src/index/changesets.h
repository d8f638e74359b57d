// changesets.h: whether a database keeps the changesets of its commits, so
// that replicas made with Xapian's `xapian-replicate` update incrementally.
//
// Xapian writes a changeset for a commit only when XAPIAN_MAX_CHANGESETS is
// set in the writer's environment (it reads it at every commit), and only
// for a commit in place: a database built beside the old one and swapped
// in has a new UUID, which every replica then copies whole. tim records the
// setting in the database (user metadata), so that every later writer --
// `tim ingest`, `tim delete`, an IndexWriter, the server's writes -- keeps
// the changesets without being told again, and ingest prefers commits in
// place (Batch::WorthStaging).
#ifndef TIM_SRC_INDEX_CHANGESETS_H_
#define TIM_SRC_INDEX_CHANGESETS_H_

#include <xapian.h>

#include <string>

namespace tim {

// The metadata key holding how many changesets the database keeps ("" or
// absent: none).
inline constexpr char kChangesetsKey[] = "tim.changesets";

// How many changesets `db` keeps, as recorded (0: none). Xapian errors
// propagate.
unsigned RecordedChangesets(const Xapian::Database& db);

// The same for the database at `path`, 0 if there is none.
unsigned RecordedChangesets(const std::string& path);

// Records `count` in `db` (0 removes the setting), to be committed with
// the writer's changes.
void RecordChangesets(Xapian::WritableDatabase& db, unsigned count);

// Makes this process's commits write changesets, `count` of them kept, by
// setting XAPIAN_MAX_CHANGESETS -- unless the user set it, which wins.
// Xapian reads it when a WritableDatabase opens (for its first commit) and
// after each commit, so call it before opening. Process-wide and lasting;
// not while another thread may read the environment. Does nothing for 0.
void KeepChangesets(unsigned count);

// True if this process's commits write changesets (XAPIAN_MAX_CHANGESETS
// is set above 0), so that commits in place reach replicas as changesets.
bool WritesChangesets();

}  // namespace tim

#endif  // TIM_SRC_INDEX_CHANGESETS_H_
