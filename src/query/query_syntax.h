// query_syntax.h: tim's query language, read once into a syntax tree.
//
//   đàm phán            both syllables, anywhere (AND); adjacent ranks higher
//   "đàm phán"          the phrase
//   a OR b, a AND b     boolean operators (upper case); parentheses group
//   -word, NOT word     exclusion
//   title:word          in the title only; title:"a phrase" too
//   source:"Dân trí"    from that publisher (also cites:, category:)
//   date:2025-10..2025-12, date:2023, date:..2024-06
//                       dated within the range (open ends allowed)
//
// The tree keeps what the text says, not what it means for matching (that
// is query_compiler.h's): which syllables were typed, where, and how they
// are grouped. The compiler reads it to build the Xapian query, the accent
// restorer to know which words it may restore, and ReadAs gives it the
// spellings the restorer chose.
//
// Limits (tim/searcher.h): a query longer than kMaxQueryBytes is refused;
// parentheses nested deeper than kMaxQueryDepth are a syntax error; words
// after the kMaxQueryWords-th syllable are dropped with a warning.
#ifndef TIM_SRC_QUERY_QUERY_SYNTAX_H_
#define TIM_SRC_QUERY_QUERY_SYNTAX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/analyzer.h"
#include "tim/article.h"

namespace tim {

struct SyntaxNode {
  enum class Kind {
    kWords,      // a word or a quoted phrase: `tokens`
    kFilter,     // source:, cites:, category: `field` and `value`
    kDateRange,  // date: `from` and `to` (either open)
    kTerm,       // an index term as it is (`term`); never typed, see Similar
    kAnd,        // every child (juxtaposed or joined by AND)
    kOr,         // any child
  };
  Kind kind = Kind::kAnd;
  bool negated = false;         // -x or NOT x
  bool required = false;        // +x: required even in a relaxed match
  bool quoted = false;          // kWords: "a phrase"
  bool in_title = false;        // kWords: title:x
  bool grouped = false;         // written in parentheses
  bool after_operator = false;  // an AND, OR or NOT stands before it
  // kWords: the syllables, byte ranges in ParsedQuery::normalized.
  std::vector<Token> tokens;
  std::string field;  // kFilter
  std::string value;  // kFilter: as typed
  std::optional<Date> from, to;  // kDateRange
  std::string term;   // kTerm
  std::vector<SyntaxNode> children;  // kAnd, kOr

  static SyntaxNode Term(std::string term, bool negated = false);
  static SyntaxNode Group(Kind kind, std::vector<SyntaxNode> children);
};

struct ParsedQuery {
  std::string normalized;  // the text as NormalizeText gives it
  // A blank query has an empty kAnd root, which matches every article.
  SyntaxNode root;
  bool blank = true;
  // Some syllable has diacritics: exact spellings rank first.
  bool accented = false;
  // The user typed diacritics (đ too) in a word the query searches for
  // (not in an excluded word or a filter's value), so a syllable typed
  // without them means itself: "cung" in "cung cấp" is not "cũng". ReadAs
  // keeps it: the accents an accent suggestion adds are not the user's.
  bool typed_diacritics = false;
  // How an unparsable or overlong query was read instead.
  std::vector<std::string> warnings;
};

// Reads `text`. A blank query matches every article. A syntax error
// (unbalanced quote or parenthesis, dangling operator, bad date,
// parentheses nested deeper than kMaxQueryDepth) makes it plain words
// with a warning, or, when `strict`, Error(kInvalidArgument) saying where.
// Error(kInvalidArgument) for a query longer than kMaxQueryBytes.
ParsedQuery ParseQuery(std::string_view text, bool strict = false);

// A token's new exact key, by its byte offset in the query.
struct Spelling {
  uint32_t begin = 0;
  std::string exact;
};

// `query` as if its syllables had been typed with `spellings` (accent
// restoring: every syllable's exact form then adds weight, and the
// function words are those of the accented form). Folded keys, structure,
// warnings and typed_diacritics stay: a syllable the suggestion leaves
// plain may still be the function word it folds to.
ParsedQuery ReadAs(const ParsedQuery& query, const std::vector<Spelling>& spellings);

// True if `node` has nothing to search: no syllables, filters or dates.
bool IsEmpty(const SyntaxNode& node);

}  // namespace tim

#endif  // TIM_SRC_QUERY_QUERY_SYNTAX_H_
