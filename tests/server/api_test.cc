// `tim serve` over the seed database: every read endpoint, its parameters
// and its errors, against a real server on a loopback port.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "server_process.h"
#include "test_util.h"

namespace tim::testing {
namespace {

using nlohmann::json;

// The JSON of a reply, without the timing that differs between two runs.
json Body(const std::string& text) {
  json body = json::parse(text);
  if (body.is_object()) body.erase("took_ms");
  return body;
}

class ServeApiTest : public SeedServerSuite {
 protected:
  static void SetUpTestSuite() { StartServer({}); }
  static void TearDownTestSuite() { StopServer(); }

  static httplib::Result Get(const std::string& path) { return server_->Client().Get(path.c_str()); }

  // Expects `status` and a JSON error with `code` whose message holds `words`.
  static void ExpectError(const httplib::Result& result, int status, const std::string& code,
                          const std::string& words) {
    ASSERT_TRUE(result) << "no reply";
    EXPECT_EQ(result->status, status) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    const json body = json::parse(result->body);
    EXPECT_EQ(body["code"], code) << result->body;
    EXPECT_NE(body["error"].get<std::string>().find(words), std::string::npos) << result->body;
  }
};

TEST_F(ServeApiTest, SearchAnswersWhatTheCliPrints) {
  const auto result = Get("/api/search?q=dam+phan&facets=source,cites,year");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  const CommandResult cli =
      RunTim({"search", "--db", db_, "--json", "--facets", "source,cites,year", "dam", "phan"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(Body(result->body), Body(cli.out));
  const json body = json::parse(result->body);
  EXPECT_GE(body["total"].get<int>(), 1);
  EXPECT_EQ(body["suggestion"], "đàm phán");
  EXPECT_NE(body["hits"][0]["snippet"].get<std::string>().find("<mark>đàm</mark>"),
            std::string::npos);
}

TEST_F(ServeApiTest, EveryOptionOfTimSearchIsAParameter) {
  const std::string query =
      "/api/search?q=" + Encode("Ukraine") +
      "&limit=2&offset=1&sort=-date&source=unknown&source=VnExpress&filter=" +
      Encode("year=2025") + "&filter=" + Encode("year=2023") +
      "&from=2016&to=2025-12-31&facets=year,month&facet_limit=1&recency=365&recency_weight=0.5"
      "&bm25_k1=1.2&bm25_b=0.75&inferred_dates=false&suggest=false&strict=true";
  const auto result = Get(query);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const CommandResult cli = RunTim(
      {"search", "--db", db_, "--json", "--limit", "2", "--offset", "1", "--sort", "-date",
       "--source", "unknown", "--source", "VnExpress", "--filter", "year=2025", "--filter",
       "year=2023", "--from", "2016", "--to", "2025-12-31", "--facets", "year,month",
       "--facet-limit", "1", "--recency", "365", "--recency-weight", "0.5", "--bm25-k1", "1.2",
       "--bm25-b", "0.75", "--no-suggest", "--strict", "Ukraine"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(Body(result->body), Body(cli.out));
}

TEST_F(ServeApiTest, FiltersNarrowAndDrillSideways) {
  const json all = json::parse(Get("/api/search?facets=year")->body);
  const json in_2025 = json::parse(Get("/api/search?facets=year&filter=year%3D2025")->body);
  EXPECT_LT(in_2025["total"].get<int>(), all["total"].get<int>());
  // The filtered facet still counts the other years.
  EXPECT_EQ(in_2025["facets"]["year"], all["facets"]["year"]);
  // A '=' inside a value is kept, encoded or not.
  EXPECT_EQ(json::parse(Get("/api/search?facets=year&filter=year=2025")->body)["total"],
            in_2025["total"]);
}

TEST_F(ServeApiTest, BatchAnswersEachLineInOrder) {
  const std::string body =
      "{\"q\": \"dam phan\", \"limit\": 1}\n"
      "\n"
      "\"Kursk\"\n"
      "{\"q\": \"(\", \"strict\": true}\n"
      "{\"q\": \"NATO\", \"facets\": [\"year\"], \"limit\": 0}\n";
  const auto result =
      server_->Client().Post("/api/search/batch?facets=none", body, "application/x-ndjson");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/x-ndjson");
  std::vector<json> lines;
  std::istringstream in(result->body);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["query"], "dam phan");
  EXPECT_EQ(lines[0]["hits"].size(), 1u);
  EXPECT_TRUE(lines[0]["facets"].empty());  // the URL's facets=none
  EXPECT_EQ(lines[1]["query"], "Kursk");
  EXPECT_EQ(lines[2]["query"], "(");
  EXPECT_EQ(lines[2]["code"], "invalid_argument");
  EXPECT_NE(lines[2]["error"].get<std::string>().find("unbalanced"), std::string::npos);
  EXPECT_TRUE(lines[3]["facets"].contains("year"));  // the line's own facets
  EXPECT_EQ(lines[3]["hits"].size(), 0u);
}

TEST_F(ServeApiTest, BatchLimits) {
  std::string many;
  for (int i = 0; i < 1001; ++i) many += "\"NATO\"\n";
  ExpectError(server_->Client().Post("/api/search/batch", many, "application/x-ndjson"), 413,
              "too_large", "at most 1000 requests");
  ExpectError(server_->Client().Post("/api/search/batch", std::string(1 << 20, ' ') + "x",
                                     "application/x-ndjson"),
              413, "too_large", "larger than the 1048576 bytes");
  // The connection stays usable after a refused body of announced length.
  const int socket = Connect(server_->port());
  const std::string big = "POST /api/search/batch HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                          std::to_string((1 << 20) + 10) + "\r\n\r\n" +
                          std::string((1 << 20) + 10, ' ');
  ASSERT_EQ(send(socket, big.data(), big.size(), MSG_NOSIGNAL), static_cast<ssize_t>(big.size()));
  EXPECT_EQ(ReadReply(socket).find("HTTP/1.1 413"), 0u);
  const std::string next = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  send(socket, next.data(), next.size(), MSG_NOSIGNAL);
  const std::string reply = ReadUntilClosed(socket, 30);
  close(socket);
  EXPECT_EQ(reply.find("HTTP/1.1 200 OK"), 0u) << reply;
  EXPECT_NE(reply.find("\"status\":\"ok\""), std::string::npos) << reply;
}

TEST_F(ServeApiTest, ArticlesByIdInThePath) {
  const auto result = Get("/api/articles/001_6255338c2fb240fd");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const CommandResult cli = RunTim({"show", "--db", db_, "--json", "001_6255338c2fb240fd"});
  EXPECT_EQ(Body(result->body), Body(cli.out));
  ExpectError(Get("/api/articles/" + Encode("no/such id")), 404, "not_found",
              "no article with id 'no/such id'");
  ExpectError(Get("/api/articles/001_6255338c2fb240fd?limit=1"), 400, "invalid_argument",
              "takes no parameters");
}

TEST_F(ServeApiTest, SimilarArticles) {
  const auto result = Get("/api/similar/001_6255338c2fb240fd?limit=2&facets=none");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const CommandResult cli = RunTim({"similar", "--db", db_, "--json", "--limit", "2",
                                    "--facets", "none", "001_6255338c2fb240fd"});
  EXPECT_EQ(Body(result->body), Body(cli.out));
  ExpectError(Get("/api/similar/nope"), 404, "not_found", "no article with id 'nope'");
  ExpectError(Get("/api/similar/001_6255338c2fb240fd?q=NATO"), 400, "invalid_argument",
              "takes no q");
}

TEST_F(ServeApiTest, StatsAndHealth) {
  const json stats = json::parse(Get("/api/stats")->body);
  EXPECT_EQ(stats, json::parse(RunTim({"stats", "--db", db_, "--json"}).out));
  EXPECT_EQ(stats["documents"], 5);
  const auto health = Get("/healthz");
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body), json::parse(R"({"status":"ok","documents":5,"writes":false})"));
}

TEST_F(ServeApiTest, ThePageAndItsFiles) {
  const auto page = Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  EXPECT_NE(page->body.find("<script"), std::string::npos);
  // The page keeps its state in the query string.
  EXPECT_EQ(Get("/?q=dam+phan&source=VnExpress")->body, page->body);
  EXPECT_EQ(Get("/app.js")->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/style.css")->get_header_value("Content-Type"), "text/css; charset=utf-8");
  const auto head = server_->Client().Head("/");
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

TEST_F(ServeApiTest, BadParametersAre400) {
  ExpectError(Get("/api/search?q=NATO&limit=ten"), 400, "invalid_argument",
              "parameter 'limit': must be a whole number, not 'ten'");
  ExpectError(Get("/api/search?query=NATO"), 400, "invalid_argument",
              "unknown parameter 'query'");
  ExpectError(Get("/api/search?q=a&q=b"), 400, "invalid_argument", "given more than once");
  ExpectError(Get("/api/search?from=2023-13-45"), 400, "invalid_argument", "parameter 'from'");
  ExpectError(Get("/api/search?from=2025&to=2023"), 400, "invalid_argument", "starts after it ends");
  ExpectError(Get("/api/search?facets=colour"), 400, "invalid_argument", "colour");
  ExpectError(Get("/api/search?q=" + Encode("\"unclosed") + "&strict"), 400,
              "invalid_argument", "quote");
  ExpectError(Get("/api/search?limit=1001"), 400, "invalid_argument", "at most 1000");
  ExpectError(Get("/api/search?offset=9995&limit=10"), 400, "invalid_argument",
              "offset + limit is at most 10000");
  ExpectError(Get("/api/search?q=" + std::string(1025, 'a')), 400, "invalid_argument",
              "the query is 1025 bytes long; the limit is 1024");
  // Without strict, a query that does not parse is searched as words.
  const json lenient = json::parse(Get("/api/search?q=" + Encode("\"unclosed"))->body);
  EXPECT_FALSE(lenient["warnings"].empty());
}

TEST_F(ServeApiTest, UnknownPathsAre404AndWrongMethods405) {
  ExpectError(Get("/api/nothing"), 404, "not_found", "no such endpoint: /api/nothing");
  ExpectError(Get("/api/articles/"), 404, "not_found", "no such endpoint");
  const auto put = server_->Client().Put("/api/search", "", "text/plain");
  ExpectError(put, 405, "method_not_allowed", "PUT is not allowed on /api/search");
  EXPECT_EQ(put->get_header_value("Allow"), "GET");
  const auto get_ingest = Get("/api/ingest");
  ExpectError(get_ingest, 405, "method_not_allowed", "allowed: POST");
  ExpectError(server_->Client().Post("/api/search", "q=NATO", "application/x-www-form-urlencoded"),
              405, "method_not_allowed", "allowed: GET");
  EXPECT_EQ(server_->Client().Patch("/api/stats", "{}", "application/json")->status, 405);
}

TEST_F(ServeApiTest, WritesAreRefusedWithoutAllowWrites) {
  ExpectError(server_->Client().Post("/api/ingest", "{\"id\": \"x\", \"body\": \"Xin chào\"}\n",
                                     "application/x-ndjson"),
              403, "read_only", "--allow-writes");
  ExpectError(server_->Client().Delete("/api/articles/001_6255338c2fb240fd"), 403, "read_only",
              "--allow-writes");
  EXPECT_EQ(json::parse(RunTim({"stats", "--db", db_, "--json"}).out)["documents"], 5);
}

TEST_F(ServeApiTest, EachRequestIsLogged) {
  Get("/healthz?probe=log");
  // The line is written once the reply is sent: it may come a moment later.
  const std::string line = "127.0.0.1 \"GET /healthz?probe=log\" 200 44 ";
  for (int i = 0; i < 100 && server_->Log().find(line) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(server_->Log().find(line), std::string::npos) << server_->Log();
}

// The README's curl examples work on the seeds.
TEST_F(ServeApiTest, ReadmeExamplesAnswer) {
  const std::string readme = ReadFile(std::string(TIM_SOURCE_DIR) + "/README.md");
  const std::string prefix = "curl -s 'http://127.0.0.1:8080";
  int examples = 0;
  for (size_t at = readme.find(prefix); at != std::string::npos;
       at = readme.find(prefix, at + 1)) {
    const size_t path = at + prefix.size();
    const std::string target = readme.substr(path, readme.find('\'', path) - path);
    const auto result = Get(target);
    ASSERT_TRUE(result) << target;
    EXPECT_EQ(result->status, 200) << target << "\n" << result->body;
    EXPECT_FALSE(json::parse(result->body)["hits"].empty()) << target;
    ++examples;
  }
  EXPECT_GE(examples, 2);
}

TEST(ServeTest, QuietServerLogsNothing) {
  TempDir dir;
  const std::string db = (dir.path() / "db").string();
  ASSERT_EQ(RunTim({"ingest", "--db", db, SeedsDir()}).exit_code, 0);
  ServerProcess server({"--db", db, "--quiet"});
  EXPECT_EQ(server.Client().Get("/healthz")->status, 200);
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_EQ(server.Log(), "");
}

TEST(ServeTest, RefusesToStartWithoutADatabaseOrOnATakenPort) {
  TempDir dir;
  const CommandResult missing =
      RunTim({"serve", "--db", (dir.path() / "none").string(), "--port", "0"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("tim: error:"), std::string::npos) << missing.err;
  const std::string db = (dir.path() / "db").string();
  ASSERT_EQ(RunTim({"ingest", "--db", db, SeedsDir()}).exit_code, 0);
  ServerProcess first({"--db", db});
  // (Under `timeout`: a server that does start must not hang the test.)
  const CommandResult second = RunProgram(
      "/usr/bin/timeout", {"20", TIM_BINARY, "serve", "--db", db, "--port",
                           std::to_string(first.port())});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << second.err;
}

}  // namespace
}  // namespace tim::testing
