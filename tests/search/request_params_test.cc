// Requests from named text parameters: what the server reads from a URL
// query string or a JSON line, and how it says what is wrong.
#include "tim/request_params.h"

#include <gtest/gtest.h>

#include <string>

#include "tim/error.h"
#include "tim/json.h"

namespace tim {
namespace {

// The message of the kInvalidArgument error `body` throws ("" if none).
template <typename Body>
std::string ErrorOf(Body&& body) {
  try {
    body();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(RequestParamsTest, EveryOptionOfTimSearch) {
  const SearchRequest request = SearchRequestFromParams({
      {"q", "đàm phán"},       {"limit", "5"},
      {"offset", "20"},        {"sort", "-date"},
      {"source", "VnExpress"}, {"source", "dantri.com.vn"},
      {"filter", "cites=Reuters"}, {"filter", "year=2025"},
      {"from", "2023"},        {"to", "2025-10-28"},
      {"facets", "cites,day"}, {"facet_limit", "3"},
      {"recency", "365"},      {"recency_weight", "0.5"},
      {"bm25_k1", "1.2"},      {"bm25_b", "0.75"},
      {"inferred_dates", ""},  {"suggest", "false"},
      {"strict", "1"},
  });
  EXPECT_EQ(request.query, "đàm phán");
  EXPECT_EQ(request.limit, 5u);
  EXPECT_EQ(request.offset, 20u);
  EXPECT_EQ(request.sort, SortOrder::kOldestFirst);
  EXPECT_EQ(request.sources, (std::vector<std::string>{"VnExpress", "dantri.com.vn"}));
  EXPECT_EQ(request.facet_filters.at("cites"), std::vector<std::string>{"Reuters"});
  EXPECT_EQ(request.facet_filters.at("year"), std::vector<std::string>{"2025"});
  EXPECT_EQ(request.from->ToString(), "2023");
  EXPECT_EQ(request.to->ToString(), "2025-10-28");
  EXPECT_EQ(request.facets, (std::vector<std::string>{"cites", "day"}));
  EXPECT_EQ(request.facet_limit, 3u);
  EXPECT_EQ(request.recency_half_life_days, 365);
  EXPECT_EQ(request.recency_weight, 0.5);
  EXPECT_EQ(request.bm25_k1, 1.2);
  EXPECT_EQ(request.bm25_b, 0.75);
  EXPECT_TRUE(request.with_inferred_dates);
  EXPECT_FALSE(request.suggest_accents);
  EXPECT_TRUE(request.strict_syntax);
}

TEST(RequestParamsTest, AbsentParametersKeepTheDefaults) {
  const SearchRequest request = SearchRequestFromParams({{"q", "NATO"}});
  const SearchRequest defaults;
  EXPECT_EQ(request.limit, defaults.limit);
  EXPECT_EQ(request.facets, defaults.facets);
  EXPECT_TRUE(request.suggest_accents);
  EXPECT_EQ(SearchRequestFromParams({{"facets", "none"}}).facets.size(), 0u);
}

TEST(RequestParamsTest, ErrorsNameTheParameterAndTheValue) {
  EXPECT_EQ(ErrorOf([] { SearchRequestFromParams({{"limit", "10abc"}}); }),
            "parameter 'limit': must be a whole number, not '10abc'");
  EXPECT_EQ(ErrorOf([] { SearchRequestFromParams({{"offset", "-1"}}); }),
            "parameter 'offset': must be a whole number, not '-1'");
  EXPECT_EQ(ErrorOf([] { SearchRequestFromParams({{"limit", "99999999999999999999999"}}); }),
            "parameter 'limit': must be a whole number, not '99999999999999999999999'");
  EXPECT_EQ(ErrorOf([] { SearchRequestFromParams({{"bm25_b", "nan"}}); }),
            "parameter 'bm25_b': must be a number, not 'nan'");
  EXPECT_EQ(ErrorOf([] { SearchRequestFromParams({{"strict", "yes"}}); }),
            "parameter 'strict': must be true or false, not 'yes'");
  EXPECT_NE(ErrorOf([] { SearchRequestFromParams({{"sort", "size"}}); })
                .find("parameter 'sort': sort order must be"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { SearchRequestFromParams({{"from", "2023-13-45"}}); })
                .find("parameter 'from': "),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { SearchRequestFromParams({{"filter", "Reuters"}}); })
                .find("parameter 'filter': a facet filter is FACET=VALUE"),
            std::string::npos);
}

TEST(RequestParamsTest, UnknownAndRepeatedNamesAreRefused) {
  EXPECT_NE(ErrorOf([] { SearchRequestFromParams({{"query", "x"}}); })
                .find("unknown parameter 'query' (known: q, limit, offset"),
            std::string::npos);
  // A CLI spelling is not a parameter name.
  EXPECT_NE(ErrorOf([] { SearchRequestFromParams({{"facet-limit", "3"}}); })
                .find("unknown parameter 'facet-limit'"),
            std::string::npos);
  EXPECT_EQ(ErrorOf([] { SearchRequestFromParams({{"q", "a"}, {"q", "b"}}); }),
            "parameter 'q' is given more than once");
}

TEST(RequestParamsTest, TextMustBeUtf8) {
  EXPECT_EQ(ErrorOf([] { SearchRequestFromParams({{"q", "d\xE0m"}}); }),
            "parameter 'q' is not valid UTF-8 (byte 2)");
  EXPECT_EQ(ErrorOf([] { SearchRequestFromParams({{"\xFF", "x"}}); }),
            "a parameter name is not valid UTF-8 (byte 1)");
  EXPECT_EQ(ErrorOf([] { RequireUtf8("the article id", "ab\xC0\xAF"); }),
            "the article id is not valid UTF-8 (byte 3)");
  RequireUtf8("the article id", "001_đàm");
}

TEST(RequestParamsTest, JsonObjectsGiveTheSameParameters) {
  const Params params = ParamsFromJson(
      R"({"q": "dam phan", "limit": 5, "source": ["VnExpress", "VTV"], "strict": true, "bm25_b": 0.5})");
  EXPECT_EQ(params, (Params{{"q", "dam phan"}, {"limit", "5"}, {"source", "VnExpress"},
                            {"source", "VTV"}, {"strict", "true"}, {"bm25_b", "0.5"}}));
  const SearchRequest request = SearchRequestFromParams(params);
  EXPECT_EQ(request.limit, 5u);
  EXPECT_EQ(request.sources.size(), 2u);
  EXPECT_EQ(ParamsFromJson(R"("Kursk")"), (Params{{"q", "Kursk"}}));
}

TEST(RequestParamsTest, JsonThatIsNotARequestIsRefused) {
  EXPECT_NE(ErrorOf([] { ParamsFromJson("{\"q\": "); }).find("must be a JSON object or string"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParamsFromJson("[1, 2]"); }).find("not array"), std::string::npos);
  EXPECT_EQ(ErrorOf([] { ParamsFromJson(R"({"q": null})"); }),
            "parameter 'q' must be a string, a number, a boolean or an array of them");
  EXPECT_NE(ErrorOf([] { ParamsFromJson(R"({"source": [{"a": 1}]})"); }).find("'source'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParamsFromJson("\"\xFF\""); }).find("not valid UTF-8"),
            std::string::npos);
}

TEST(RequestParamsTest, IngestOptions) {
  const IngestOptions options = IngestOptionsFromParams(
      {{"source", "VTV"}, {"skip_bad", "true"}, {"dedupe", "1"}, {"invalid_utf8", "repair"}});
  EXPECT_EQ(options.default_source, "VTV");
  EXPECT_TRUE(options.skip_bad_records);
  EXPECT_TRUE(options.dedupe);
  EXPECT_EQ(options.invalid_utf8, InvalidUtf8::kRepair);
  EXPECT_EQ(ParseInvalidUtf8("skip"), InvalidUtf8::kSkip);
  EXPECT_EQ(ErrorOf([] { IngestOptionsFromParams({{"invalid_utf8", "drop"}}); }),
            "parameter 'invalid_utf8': invalid UTF-8 handling must be error, skip or "
            "repair, not 'drop'");
  EXPECT_NE(ErrorOf([] { IngestOptionsFromParams({{"jobs", "4"}}); })
                .find("unknown parameter 'jobs' (known: source, skip_bad, dedupe, invalid_utf8)"),
            std::string::npos);
}

TEST(RequestParamsTest, RequestErrorJson) {
  EXPECT_EQ(RequestErrorJson("no article with id 'a\"b'", "not_found"),
            R"({"code":"not_found","error":"no article with id 'a\"b'"})");
}

}  // namespace
}  // namespace tim
