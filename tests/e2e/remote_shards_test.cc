// Shards on other machines: a stub's `remote HOST:PORT` lines, each served
// by Debian's stock xapian-tcpsrv (xapian-tools), on loopback. What Xapian's
// remote protocol carries and what it cannot, hence why tim refuses such a
// stub, in one line that says what to do instead (README "Shards").
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "index/schema.h"
#include "query/docid_filter.h"
#include "test_util.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using testing::RunTim;
using testing::TempDir;

constexpr char kTcpServer[] = "/usr/bin/xapian-tcpsrv";

// Accepts every document: a match decider of tim's kind.
class AcceptAll : public Xapian::MatchDecider {
 public:
  bool operator()(const Xapian::Document&) const override { return true; }
};

TEST(RemoteShardsTest, StockServerRunsNoneOfTimsOwnMatchingSoTimRefusesIt) {
  if (!fs::exists(kTcpServer)) {
    if (std::getenv("CI")) FAIL() << "xapian-tools is not installed";
    GTEST_SKIP() << "remote shards test skipped: xapian-tcpsrv comes with Debian's "
                    "xapian-tools, which is not installed";
  }
  TempDir dir;
  const std::string shard = (dir.path() / "shard").string();
  ASSERT_EQ(RunTim({"ingest", "--db", shard, testing::SeedsDir()}).exit_code, 0);
  std::optional<testing::Child> server;
  int port = 0;
  for (int attempt = 0; attempt < 5 && !server; ++attempt) {
    port = testing::FreePort();
    server.emplace(std::vector<std::string>{"--interface", "127.0.0.1", "--port",
                                            std::to_string(port), shard},
                   dir, /*pipe_stdin=*/false, "/dev/null", kTcpServer);
    if (!testing::WaitUntil(*server, [&] { return testing::Accepts(port); })) server.reset();
  }
  ASSERT_TRUE(server) << "xapian-tcpsrv did not start";
  const fs::path remote = dir.path() / "remote";
  fs::create_directories(remote);
  std::ofstream(remote / "XAPIANDB") << "remote 127.0.0.1:" << port << "\n";

  // The protocol carries documents, values, posting lists, and a match
  // with Xapian's own operators, weights and value-counting spy.
  Xapian::Database db((remote / "XAPIANDB").string());
  EXPECT_EQ(db.get_doccount(), 5u);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("dam"), Xapian::Query("phan")));
  Xapian::ValueCountMatchSpy sources(schema::kSourceSlot);
  enquire.add_matchspy(&sources);
  const Xapian::MSet mset = enquire.get_mset(0, 10, db.get_doccount());
  EXPECT_GT(mset.size(), 0u);
  EXPECT_EQ(sources.get_total(), mset.size());
  EXPECT_FALSE(db.get_document(*mset.begin()).get_data().empty());

  // Not tim's posting sources (phrases and exact spellings checked against
  // position maps, adjacency boosts, candidate lists): a source runs
  // remotely only if it can be serialised and the server has it registered,
  // and the stock server registers Xapian's own only. Nor match deciders
  // (facet filters).
  enquire.clear_matchspies();
  enquire.set_query(DocidFilter({1}, nullptr));
  EXPECT_THROW(enquire.get_mset(0, 10), Xapian::UnimplementedError);
  enquire.set_query(Xapian::Query("dam"));
  const AcceptAll decider;
  EXPECT_THROW(enquire.get_mset(0, 10, 0, nullptr, &decider), Xapian::UnimplementedError);

  const auto refused = RunTim({"search", "--db", remote.string(), "đàm phán"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("is a remote shard, which tim cannot search"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("xapian-replicate"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace tim
