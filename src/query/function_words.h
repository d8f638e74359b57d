// function_words.h: the Vietnamese function words and question phrases
// that a query's matching leaves optional (query_compiler.h): they may add
// weight but never decide which articles match, except in a query of
// nothing else. Chosen by document frequency on the corpus (README.md,
// "Function words").
#ifndef TIM_SRC_QUERY_FUNCTION_WORDS_H_
#define TIM_SRC_QUERY_FUNCTION_WORDS_H_

#include <string>

namespace tim {

// Whether the syllable, `exact` as typed and `folded`, is a function word
// ("của", "và"). It is compared as typed; typed without diacritics, it is
// compared folded too unless `typed_diacritics` (ParsedQuery's: the user
// typed them elsewhere in the query, so "cung" in "cung cấp" is no "cũng").
// In a query typed without them, "tai" may be "tại", also where an accent
// suggestion left it plain ("tai sao giá xăng tăng").
bool IsFunctionWord(const std::string& exact, const std::string& folded, bool typed_diacritics);

// Whether two consecutive syllables form a question phrase ("tại sao",
// "bao nhiêu", "ở đâu"), compared the same way.
bool IsQuestionPhrase(const std::string& first_exact, const std::string& first_folded,
                      const std::string& second_exact, const std::string& second_folded,
                      bool typed_diacritics);

}  // namespace tim

#endif  // TIM_SRC_QUERY_FUNCTION_WORDS_H_
