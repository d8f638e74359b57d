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
// ("của", "và"). It is compared as typed, and folded too when typed without
// diacritics: a query may mix both, and an accent suggestion leaves plain
// the syllables it does not restore ("tai sao giá xăng tăng").
bool IsFunctionWord(const std::string& exact, const std::string& folded);

// Whether two consecutive syllables form a question phrase ("tại sao",
// "bao nhiêu", "ở đâu"), compared the same way.
bool IsQuestionPhrase(const std::string& first_exact, const std::string& first_folded,
                      const std::string& second_exact, const std::string& second_folded);

}  // namespace tim

#endif  // TIM_SRC_QUERY_FUNCTION_WORDS_H_
