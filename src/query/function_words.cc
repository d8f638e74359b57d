#include "query/function_words.h"

#include <array>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "text/analyzer.h"

namespace tim {

namespace {

// Vietnamese function words, in exact form. Nearly every article has them,
// so requiring them only loses matches written another way; they still
// count in phrases and in the adjacency boost. (Applied at query time only:
// removing them from the index would break phrases.)
const std::unordered_set<std::string>& Stopwords() {
  static const std::unordered_set<std::string> kStopwords = {
      "và",  "của", "là",   "các",  "những", "được", "có",   "cho",  "với",
      "trong", "một", "này", "đã",  "không", "thì",  "mà",   "ở",    "để",
      "khi", "cũng", "như", "đến",  "từ",    "tại",  "về",   "ra",   "lại",
      "nên", "vì",  "nhưng", "hay", "hoặc",  "theo", "bị",   "do",   "nếu",
      "rằng", "sẽ", "đang", "vẫn",  "rất",   "đó",   "sau",  "trên", "qua",
      "nào", "gì"};
  return kStopwords;
}

// The folded forms of the stopwords, for queries typed without accents.
const std::unordered_set<std::string>& FoldedStopwords() {
  static const std::unordered_set<std::string> kFolded = [] {
    std::unordered_set<std::string> folded;
    for (const std::string& word : Stopwords()) folded.insert(FoldedKey(word));
    return folded;
  }();
  return kFolded;
}

// Question phrases: they say that the query is a question, not what it is
// about, so their syllables are function words too. Pairs, because alone
// the syllables are often content: "sao" is a star and "sao Việt" a
// celebrity, "bao" a bag, "giờ" an hour, and folded "dau" is also đầu
// (head), dầu (oil) and đau (pain).
const std::set<std::pair<std::string, std::string>>& QuestionPhrases(bool exact) {
  static const std::vector<std::pair<std::string, std::string>> kExact = {
      {"tại", "sao"}, {"vì", "sao"},  {"làm", "sao"},  {"ra", "sao"},   {"bao", "nhiêu"},
      {"bao", "giờ"}, {"thế", "nào"}, {"khi", "nào"},  {"lúc", "nào"},  {"ở", "đâu"},
      {"đi", "đâu"},  {"là", "gì"},   {"cái", "gì"},   {"điều", "gì"}};
  static const auto kByForm = [] {
    std::array<std::set<std::pair<std::string, std::string>>, 2> by_form;
    for (const auto& [first, second] : kExact) {
      by_form[1].emplace(first, second);
      by_form[0].emplace(FoldedKey(first), FoldedKey(second));
    }
    return by_form;
  }();
  return kByForm[exact ? 1 : 0];
}

}  // namespace

bool IsFunctionWord(const std::string& exact, const std::string& folded, bool typed_diacritics) {
  if (Stopwords().count(exact) > 0) return true;
  return !typed_diacritics && exact == folded && FoldedStopwords().count(folded) > 0;
}

bool IsQuestionPhrase(const std::string& first_exact, const std::string& first_folded,
                      const std::string& second_exact, const std::string& second_folded,
                      bool typed_diacritics) {
  if (QuestionPhrases(true).count({first_exact, second_exact})) return true;
  if (typed_diacritics) return false;
  const bool plain = first_exact == first_folded || second_exact == second_folded;
  return plain && QuestionPhrases(false).count({first_folded, second_folded}) > 0;
}

}  // namespace tim
