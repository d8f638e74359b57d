// The database directory as writers see it: which directories may become a
// database, the writers' lock across a swap, and swapping in a database
// built beside it without losing anything else the directory holds
// (hardening issue, findings 1 and 11).
#include "index/database_directory.h"

#include <cerrno>

#include "index/xapian_errors.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using testing::RunTim;
using testing::TempDir;

mode_t Mode(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

ino_t Inode(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_ino;
}

ErrorCode CodeOf(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::kInternal;
}

void MakeDatabase(const fs::path& path) {
  fs::create_directories(path);
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OPEN);
  db.add_document(Xapian::Document());
  db.commit();
}

TEST(DatabaseDirectoryTest, RefusesANonEmptyDirectoryThatIsNotADatabase) {
  TempDir dir;
  dir.Write("proj/src/main.cc", "int main() {}\n");
  dir.Write("proj/.git/HEAD", "ref: refs/heads/main\n");
  const std::string proj = (dir.path() / "proj").string();
  try {
    LockDatabaseForWriting(proj);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(std::string(e.what()),
              proj + " is not a tim database and is not empty (it holds .git, src); "
                     "give a new or empty directory for the database");
  }
  EXPECT_EQ(testing::ReadFile(proj + "/src/main.cc"), "int main() {}\n");
  EXPECT_FALSE(fs::exists(proj + "/iamglass"));
}

TEST(DatabaseDirectoryTest, TakesNewEmptyPlaceholderAndDatabaseDirectories) {
  TempDir dir;
  LockDatabaseForWriting((dir.path() / "new/db").string());
  EXPECT_TRUE(fs::is_directory(dir.path() / "new/db"));
  fs::create_directory(dir.path() / "empty");
  LockDatabaseForWriting((dir.path() / "empty").string());
  dir.Write("index/README.md", "the default database\n");
  dir.Write("index/.gitignore", "*\n");
  LockDatabaseForWriting((dir.path() / "index").string());
  MakeDatabase(dir.path() / "db");
  dir.Write("db/notes/todo.txt", "a user's file in a database\n");
  LockDatabaseForWriting((dir.path() / "db").string());
  dir.Write("file", "x");
  EXPECT_EQ(CodeOf([&] { LockDatabaseForWriting((dir.path() / "file").string()); }),
            ErrorCode::kInvalidArgument);
}

TEST(DatabaseDirectoryTest, SecondWriterIsLockedOut) {
  TempDir dir;
  const std::string db = (dir.path() / "db").string();
  const DirectoryLock lock = LockDatabaseForWriting(db);
  EXPECT_EQ(CodeOf([&] { LockDatabaseForWriting(db); }), ErrorCode::kDatabaseLocked);
  EXPECT_EQ(CodeOf([&] { IndexWriter writer(db); }), ErrorCode::kDatabaseLocked);
}

// Regression (finding 11): the lock was Xapian's alone, which lives in the
// directory that the swap moves away, so another writer could get in.
TEST(DatabaseDirectoryTest, TheLockHoldsAcrossASwap) {
  TempDir dir;
  const fs::path db = dir.path() / "db", built = dir.path() / ".db.tim-staging";
  MakeDatabase(db);
  MakeDatabase(built);
  DirectoryLock old_lock(db);
  DirectoryLock new_lock(built);
  SwapInDatabase(db, built);
  old_lock = DirectoryLock();  // the old directory is let go
  EXPECT_EQ(CodeOf([&] { LockDatabaseForWriting(db.string()); }),
            ErrorCode::kDatabaseLocked);
  new_lock = DirectoryLock();
  LockDatabaseForWriting(db.string());
}

// What a user keeps in a database directory (a README, a folder, a link),
// and a private database (0700, its files 0600).
void AddUsersEntriesAndMakePrivate(TempDir& dir, const fs::path& db) {
  dir.Write("db/README.md", "read me\n");
  dir.Write("db/notes/todo.txt", "todo\n");
  fs::create_symlink("README.md", db / "link");
  for (const auto& entry : fs::directory_iterator(db)) {
    if (IsDatabaseFile(entry.path())) chmod(entry.path().c_str(), 0600);
  }
  chmod(db.c_str(), 0700);
}

// All of AddUsersEntriesAndMakePrivate survived a swap.
void ExpectUsersEntriesAndPrivacy(const fs::path& db) {
  EXPECT_EQ(Mode(db), 0700u);
  EXPECT_EQ(Mode(db / "iamglass"), 0600u);
  EXPECT_EQ(Mode(db / "postlist.glass"), 0600u);
  EXPECT_EQ(testing::ReadFile((db / "notes/todo.txt").string()), "todo\n");
  ASSERT_TRUE(fs::is_symlink(db / "link"));
  EXPECT_EQ(fs::read_symlink(db / "link"), "README.md");
}

// Regression (finding 1): a swap kept only the plain files of the old
// directory, and reset a private database's permissions.
TEST(DatabaseDirectoryTest, SwapKeepsTheUsersEntriesOwnersAndPermissions) {
  TempDir dir;
  const fs::path db = dir.path() / "db", built = dir.path() / "built";
  MakeDatabase(db);
  MakeDatabase(built);
  AddUsersEntriesAndMakePrivate(dir, db);
  const ino_t readme = Inode(db / "README.md");

  SwapInDatabase(db, built);

  ExpectUsersEntriesAndPrivacy(db);
  EXPECT_EQ(Inode(db / "README.md"), readme);  // moved, not copied
  for (const auto& entry : fs::directory_iterator(built)) {
    EXPECT_TRUE(IsDatabaseFile(entry.path())) << entry.path();
  }
}

// A run killed between the swap and moving the user's files back leaves
// them in the staging directory: the next run returns them.
TEST(DatabaseDirectoryTest, LeftoverStagingGivesBackTheUsersFiles) {
  TempDir dir;
  const fs::path db = dir.path() / "db", staging = dir.path() / ".db.tim-staging";
  MakeDatabase(db);
  MakeDatabase(staging / "merged");
  MakeDatabase(staging / "shard0");
  dir.Write(".db.tim-staging/merged/README.md", "read me\n");
  dir.Write(".db.tim-staging/merged/notes/todo.txt", "todo\n");
  RemoveStaging(db, staging);
  EXPECT_FALSE(fs::exists(staging));
  EXPECT_EQ(testing::ReadFile((db / "README.md").string()), "read me\n");
  EXPECT_EQ(testing::ReadFile((db / "notes/todo.txt").string()), "todo\n");
}

TEST(DatabaseDirectoryTest, LeftoverStagingWithSomethingElseIsNotDeleted) {
  TempDir dir;
  const fs::path db = dir.path() / "db", staging = dir.path() / ".db.tim-staging";
  MakeDatabase(db);
  dir.Write("db/README.md", "the database's\n");
  dir.Write(".db.tim-staging/merged/README.md", "a second one\n");
  dir.Write(".db.tim-staging/mine.txt", "a user's file\n");
  EXPECT_EQ(CodeOf([&] { RemoveStaging(db, staging); }), ErrorCode::kIo);
  EXPECT_EQ(testing::ReadFile((staging / "mine.txt").string()), "a user's file\n");
  EXPECT_EQ(testing::ReadFile((staging / "merged/README.md").string()), "a second one\n");
  EXPECT_EQ(testing::ReadFile((db / "README.md").string()), "the database's\n");
}

// The whole path through the CLI: `tim ingest --db proj`, and `--db p
// p/in` (the folder holding the input itself), once deleted src/ and .git/.
TEST(DatabaseDirectoryCliTest, IngestRefusesAProjectFolderAndTouchesNothing) {
  TempDir dir;
  dir.Write("proj/src/a.cc", "x\n");
  dir.Write("proj/.git/HEAD", "ref\n");
  for (const auto& [db, input] :
       std::vector<std::pair<std::string, std::string>>{
           {"proj", testing::SeedsDir()}, {"proj", (dir.path() / "proj/src").string()}}) {
    const auto result = RunTim({"ingest", "--db", (dir.path() / db).string(), input});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find("is not a tim database and is not empty"), std::string::npos)
        << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
  EXPECT_EQ(testing::ReadFile((dir.path() / "proj/src/a.cc").string()), "x\n");
  EXPECT_EQ(testing::ReadFile((dir.path() / "proj/.git/HEAD").string()), "ref\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "proj"), fs::directory_iterator()), 2);
}

// A staged batch (large next to the database) swaps in a new directory:
// what the user keeps in the database directory survives it as it was.
TEST(DatabaseDirectoryCliTest, StagedIngestKeepsTheDatabaseDirectoryAsItWas) {
  TempDir dir;
  const fs::path db = dir.path() / "db";
  std::string batch;
  for (int i = 0; i < 300; ++i) {
    batch += "{\"id\": \"a" + std::to_string(i) + "\", \"body\": \"Bài số " +
             std::to_string(i) + ": " + std::string(600, 'x') + " đàm phán hòa bình\"}\n";
  }
  const std::string batch_path = dir.Write("batch.jsonl", batch);
  auto result = RunTim({"ingest", "--db", db.string(), "--jobs", "2",
                        testing::SeedsDir() + "/000_ffa5402f6aae78c4.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  AddUsersEntriesAndMakePrivate(dir, db);
  const ino_t before = Inode(db);

  result = RunTim({"ingest", "--db", db.string(), "--jobs", "2", batch_path});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  ASSERT_NE(Inode(db), before) << "the batch was not staged: the test proves nothing";
  EXPECT_EQ(Searcher(db.string()).Stats().documents, 301u);
  ExpectUsersEntriesAndPrivacy(db);
  EXPECT_FALSE(fs::exists(dir.path() / ".db.tim-staging"));
}

}  // namespace
}  // namespace tim

namespace tim {
namespace {

// A full disk said "Error writing block 7" (hardening finding 13).
TEST(XapianErrorsTest, DiskFullSaysTheDiskIsFull) {
  try {
    TranslateXapianErrors("committing to db", [] {
      throw Xapian::DatabaseError("Error writing block 7", ENOSPC);
    });
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_NE(std::string(e.what()).find("committing to db: the disk is full"), std::string::npos)
        << e.what();
  }
}

// A lock file this process may not create is not another writer.
TEST(XapianErrorsTest, LockFilePermissionIsNotReportedAsLocked) {
  try {
    TranslateXapianErrors("opening db", [] {
      throw Xapian::DatabaseLockError(
          "Unable to get write lock on db: Couldn't open lockfile: Permission denied");
    });
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_EQ(std::string(e.what()).find("locked by another writer"), std::string::npos);
  }
}

}  // namespace
}  // namespace tim
