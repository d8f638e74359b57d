// The text forms of request options shared by the CLI and the server.
#include <gtest/gtest.h>

#include "tim/error.h"
#include "tim/searcher.h"

namespace tim {
namespace {

TEST(RequestParsingTest, SortOrdersByNameAndAlias) {
  EXPECT_EQ(ParseSortOrder("relevance"), SortOrder::kRelevance);
  EXPECT_EQ(ParseSortOrder("date"), SortOrder::kNewestFirst);
  EXPECT_EQ(ParseSortOrder("newest"), SortOrder::kNewestFirst);
  EXPECT_EQ(ParseSortOrder("-date"), SortOrder::kOldestFirst);
  EXPECT_EQ(ParseSortOrder("oldest"), SortOrder::kOldestFirst);
  try {
    ParseSortOrder("size");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("'size'"), std::string::npos) << e.what();
  }
}

TEST(RequestParsingTest, FacetListsKeepTheirOrder) {
  EXPECT_EQ(ParseFacetList("year,source"),
            (std::vector<std::string>{"year", "source"}));
  EXPECT_EQ(ParseFacetList("cites,,day,"), (std::vector<std::string>{"cites", "day"}));
  EXPECT_TRUE(ParseFacetList("none").empty());
  EXPECT_TRUE(ParseFacetList("").empty());
}

TEST(RequestParsingTest, FacetFiltersSplitAtTheFirstEquals) {
  SearchRequest request;
  AddFacetFilter("cites=Reuters", &request);
  AddFacetFilter("cites=AFP", &request);
  AddFacetFilter("category=a=b", &request);
  EXPECT_EQ(request.facet_filters["cites"],
            (std::vector<std::string>{"Reuters", "AFP"}));
  EXPECT_EQ(request.facet_filters["category"], (std::vector<std::string>{"a=b"}));
  // Hardening finding 12: an empty value selected nothing or the unknown
  // publisher, depending on the facets counted; it is an error now.
  EXPECT_THROW(AddFacetFilter("source=", &request), Error);
  EXPECT_THROW(AddFacetFilter("year= ", &request), Error);
  EXPECT_EQ(request.facet_filters.count("source"), 0u);
  EXPECT_THROW(AddFacetFilter("=Reuters", &request), Error);
  EXPECT_THROW(AddFacetFilter("Reuters", &request), Error);
}

}  // namespace
}  // namespace tim
