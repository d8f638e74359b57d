// The quick reader of stored articles must read what ArticleFromJson reads.
#include "index/stored_fields_reader.h"

#include <gtest/gtest.h>

#include "tim/json.h"

namespace tim {
namespace {

void ExpectSameAsArticleFromJson(const std::string& json) {
  StoredFields fields;
  ASSERT_TRUE(ReadStoredFields(json, &fields)) << json;
  const Article article = ArticleFromJson(json);
  EXPECT_EQ(fields.id, article.id);
  EXPECT_EQ(fields.title, article.title);
  EXPECT_EQ(fields.source, article.source);
  EXPECT_EQ(fields.body, article.body);
  EXPECT_EQ(fields.date, article.date ? article.date->ToString() : "");
  EXPECT_EQ(fields.date_inferred, article.date_inferred);
  std::string id;
  ASSERT_TRUE(ReadStoredId(json, &id));
  EXPECT_EQ(id, article.id);
}

TEST(StoredFieldsTest, ReadsWhatToJsonWrote) {
  Article article;
  article.id = "vnexpress-1";
  article.url = "https://vnexpress.net/a?b=\"c\"";
  article.title = "Tiêu đề \"trích dẫn\" và \\ gạch";
  article.source = "VnExpress";
  article.category = "Thế giới";
  article.date = Date{2025, 10, 28};
  article.date_inferred = true;
  article.body = "Đoạn một.\nĐoạn hai\tcó tab, \x01 điều khiển, 😀 và \"ngoặc\" {}[],:";
  article.extra_fields["tags"] = R"(["a}", {"b": "\"]"}, 1.5e3, null, true])";
  article.extra_fields["views"] = "12";
  ExpectSameAsArticleFromJson(ToJson(article));
}

TEST(StoredFieldsTest, ReadsAnyOrderSpacingAndEscapes) {
  ExpectSameAsArticleFromJson(
      R"( { "body" : "a\u00e0\u1ea1\ud83d\ude00\/\b\f\r" , "extra" : { "x" : [ ] } ,)"
      R"( "id":"x\"y", "date":"2016", "date_inferred":false, "title":null } )");
}

TEST(StoredFieldsTest, FieldsOfAnotherTypeReadAsEmpty) {
  StoredFields fields;
  ASSERT_TRUE(ReadStoredFields(R"({"id":5,"title":["t"],"date_inferred":"yes"})", &fields));
  EXPECT_EQ(fields.id, "");
  EXPECT_EQ(fields.title, "");
  EXPECT_FALSE(fields.date_inferred);
}

TEST(StoredFieldsTest, RejectsMalformedText) {
  StoredFields fields;
  for (const char* bad : {"", "[]", "{", R"({"id":"x")", R"({"id":"x"} trailing)",
                          R"({"id":"\q"})", R"({"id":"\ud800"})", R"({"id" "x"})",
                          R"({"id":"x",})", R"({"a":tru})"}) {
    EXPECT_FALSE(ReadStoredFields(bad, &fields)) << bad;
  }
}

}  // namespace
}  // namespace tim
