#include "query/query_builder.h"

#include <algorithm>
#include <optional>
#include <unordered_set>
#include <utility>

#include "index/document_builder.h"
#include "index/schema.h"
#include "query/phrase_query.h"
#include "text/analyzer.h"
#include "text/common_spellings.h"
#include "text/date_parser.h"
#include "text/names.h"
#include "text/source_aliases.h"
#include "tim/error.h"

namespace tim {

namespace {

enum class Kind { kWord, kPhrase, kOpen, kClose, kAnd, kOr, kNot, kEnd };

struct Lexeme {
  Kind kind = Kind::kEnd;
  std::string text;   // the word or the phrase inside its quotes
  std::string field;  // "title", "source" or empty
  bool negated = false;
  size_t column = 0;  // 1-based, in characters, for error messages
};

struct SyntaxError {
  std::string what;
  size_t column;
};

constexpr std::string_view kOpenQuotes[] = {"\"", "\u201C"};
constexpr std::string_view kCloseQuotes[] = {"\"", "\u201D"};
constexpr std::string_view kFields[] = {"title", "source", "cites", "category",
                                        "date"};

size_t QuoteAt(std::string_view text, size_t i,
               const std::string_view (&quotes)[2]) {
  for (std::string_view quote : quotes) {
    if (text.substr(i, quote.size()) == quote) return quote.size();
  }
  return 0;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t CharColumn(std::string_view text, size_t byte_offset) {
  size_t column = 1;
  for (size_t i = 0; i < byte_offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

// Splits a normalized query into lexemes. With `plain`, quotes, parentheses,
// operators and prefixes lose their meaning: every piece is a word.
class Lexer {
 public:
  Lexer(std::string_view text, bool plain) : text_(text), plain_(plain) {}

  std::vector<Lexeme> Run() {
    std::vector<Lexeme> out;
    while (true) {
      Lexeme lexeme = Next();
      out.push_back(lexeme);
      if (lexeme.kind == Kind::kEnd) return out;
    }
  }

 private:
  Lexeme Next() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    Lexeme lexeme;
    lexeme.column = CharColumn(text_, pos_);
    if (pos_ >= text_.size()) return lexeme;
    if (!plain_ && text_[pos_] == '-' && pos_ + 1 < text_.size() &&
        !IsSpace(text_[pos_ + 1])) {
      lexeme.negated = true;
      ++pos_;
    }
    if (!plain_ && text_[pos_] == '(') {
      ++pos_;
      lexeme.kind = Kind::kOpen;
      return lexeme;
    }
    if (!plain_ && text_[pos_] == ')') {
      ++pos_;
      lexeme.kind = Kind::kClose;
      return lexeme;
    }
    if (!plain_ && QuoteAt(text_, pos_, kOpenQuotes)) {
      ReadPhrase(&lexeme);
      return lexeme;
    }
    ReadWord(&lexeme);
    return lexeme;
  }

  void ReadPhrase(Lexeme* lexeme) {
    const size_t open = pos_;
    pos_ += QuoteAt(text_, pos_, kOpenQuotes);
    const size_t start = pos_;
    while (pos_ < text_.size() && !QuoteAt(text_, pos_, kCloseQuotes)) ++pos_;
    if (pos_ >= text_.size()) {
      throw SyntaxError{"unbalanced quote", CharColumn(text_, open)};
    }
    lexeme->kind = Kind::kPhrase;
    lexeme->text = text_.substr(start, pos_ - start);
    pos_ += QuoteAt(text_, pos_, kCloseQuotes);
  }

  void ReadWord(Lexeme* lexeme) {
    const size_t start = pos_;
    while (pos_ < text_.size() && !IsSpace(text_[pos_]) &&
           (plain_ || (text_[pos_] != '(' && text_[pos_] != ')' &&
                       !QuoteAt(text_, pos_, kOpenQuotes)))) {
      if (!plain_ && text_[pos_] == ':' && ReadField(start, lexeme)) return;
      ++pos_;
    }
    lexeme->kind = Kind::kWord;
    lexeme->text = text_.substr(start, pos_ - start);
    if (plain_ || lexeme->negated) return;
    if (lexeme->text == "AND") lexeme->kind = Kind::kAnd;
    if (lexeme->text == "OR") lexeme->kind = Kind::kOr;
    if (lexeme->text == "NOT") lexeme->kind = Kind::kNot;
  }

  // At a ':' after text_[start, pos_): if that is a field name, reads the
  // field's value (a word or a quoted phrase) into `lexeme`.
  bool ReadField(size_t start, Lexeme* lexeme) {
    const std::string_view name = text_.substr(start, pos_ - start);
    bool known = false;
    for (std::string_view field : kFields) known |= (name == field);
    if (!known || pos_ + 1 >= text_.size() || IsSpace(text_[pos_ + 1])) {
      return false;
    }
    ++pos_;
    lexeme->field = std::string(name);
    if (QuoteAt(text_, pos_, kOpenQuotes)) {
      ReadPhrase(lexeme);
      return true;
    }
    const size_t value_start = pos_;
    while (pos_ < text_.size() && !IsSpace(text_[pos_]) &&
           text_[pos_] != '(' && text_[pos_] != ')') {
      ++pos_;
    }
    lexeme->kind = Kind::kWord;
    lexeme->text = text_.substr(value_start, pos_ - value_start);
    return true;
  }

  std::string_view text_;
  bool plain_;
  size_t pos_ = 0;
};

// A parsed piece of query: how to rank with it, and what it requires.
struct Node {
  Xapian::Query query;
  MatchTree match;
};

using Op = MatchTree::Op;

struct Clause {
  Node node;
  bool negated = false;
  // Set for a lone syllable: its folded key, for the adjacency boost.
  std::string lone_syllable;
  // A function word ("của", "và"): it may add weight but is not required.
  bool stopword = false;
};

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
      "rằng", "sẽ", "đang", "vẫn",  "rất",   "đó",   "sau",  "trên", "qua"};
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

class Parser {
 public:
  // `accented`: the query has diacritics, so exact syllables add weight
  // and stopwords are recognized by their exact form (else by their folded
  // one: "thi" may be "thì").
  Parser(std::vector<Lexeme> lexemes, bool accented, BuiltQuery* out)
      : lexemes_(std::move(lexemes)), accented_(accented), out_(out) {}

  Node Run() {
    Node node = ParseOr();
    if (Peek().kind == Kind::kClose) {
      throw SyntaxError{"unbalanced parenthesis", Peek().column};
    }
    return node;
  }

 private:
  const Lexeme& Peek() const { return lexemes_[next_]; }
  const Lexeme& Take() { return lexemes_[next_++]; }

  Node ParseOr() {
    Node node = ParseAnd();
    while (Peek().kind == Kind::kOr) {
      const Lexeme& op = Take();
      Node right = ParseAnd();
      if (node.query.empty() || right.query.empty()) {
        throw SyntaxError{"OR needs a term on each side", op.column};
      }
      node.query = Xapian::Query(Xapian::Query::OP_OR, node.query, right.query);
      node.match = MatchTree::Combine(
          Op::kOr, {std::move(node.match), std::move(right.match)});
    }
    return node;
  }

  Node ParseAnd() {
    std::vector<Clause> clauses;
    while (true) {
      const Kind kind = Peek().kind;
      if (kind == Kind::kOr || kind == Kind::kClose || kind == Kind::kEnd) {
        break;
      }
      if (kind == Kind::kAnd) {
        const Lexeme& op = Take();
        if (clauses.empty() || IsEndOfOperand(Peek().kind)) {
          throw SyntaxError{"AND needs a term on each side", op.column};
        }
        continue;
      }
      bool negate = false;
      if (kind == Kind::kNot) {
        const Lexeme& op = Take();
        if (IsEndOfOperand(Peek().kind)) {
          throw SyntaxError{"NOT needs a term after it", op.column};
        }
        negate = true;
      }
      std::optional<Clause> clause = ParseUnary();
      if (!clause) continue;
      clause->negated ^= negate;
      clauses.push_back(std::move(*clause));
    }
    return Combine(clauses);
  }

  static bool IsEndOfOperand(Kind kind) {
    return kind == Kind::kEnd || kind == Kind::kOr || kind == Kind::kClose ||
           kind == Kind::kAnd;
  }

  std::optional<Clause> ParseUnary() {
    const Lexeme& lexeme = Take();
    Clause clause;
    switch (lexeme.kind) {
      case Kind::kOpen: {
        clause.node = ParseOr();
        clause.negated = lexeme.negated;
        if (Take().kind != Kind::kClose) {
          throw SyntaxError{"unbalanced parenthesis", lexeme.column};
        }
        break;
      }
      case Kind::kWord:
      case Kind::kPhrase:
        clause = TextClause(lexeme);
        break;
      default:
        throw SyntaxError{"unexpected operator", lexeme.column};
    }
    if (clause.node.query.empty()) return std::nullopt;
    return clause;
  }

  Clause TextClause(const Lexeme& lexeme) {
    Clause clause;
    clause.negated = lexeme.negated;
    if (const char* prefix = FilterPrefix(lexeme.field)) {
      // A filter: it restricts the matches but adds nothing to the score.
      std::string term(prefix);
      term += lexeme.field == "category" ? SourceKey(lexeme.text) : NameKey(lexeme.text);
      clause.node.query = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                        Xapian::Query(term), 0.0);
      clause.node.match = MatchTree::Term(term);
      return clause;
    }
    if (lexeme.field == "date") {
      clause.node = DateRange(lexeme);
      return clause;
    }
    const std::vector<Token> tokens = Tokenize(lexeme.text);
    if (tokens.empty()) return clause;
    if (!clause.negated) {
      for (const Token& token : tokens) out_->highlight_keys.push_back(token.folded);
    }
    if (lexeme.field == "title") {
      clause.node = Title(tokens);
    } else if (tokens.size() == 1 && lexeme.kind == Kind::kWord) {
      clause.node = Syllable(tokens[0]);
      clause.lone_syllable = tokens[0].folded;
      clause.stopword = accented_ ? Stopwords().count(tokens[0].exact) > 0
                                  : FoldedStopwords().count(tokens[0].folded) > 0;
    } else {
      clause.node = Phrase(tokens);
    }
    return clause;
  }

  static const char* FilterPrefix(const std::string& field) {
    if (field == "source") return schema::kSourcePrefix;
    if (field == "cites") return schema::kCitesPrefix;
    if (field == "category") return schema::kCategoryPrefix;
    return nullptr;
  }

  // date:2023, date:2025-10..2025-12, date:..2024-06, date:2024-06.. : the
  // articles whose date overlaps the range (see schema.h's two date slots).
  static Node DateRange(const Lexeme& lexeme) {
    const std::string_view text = lexeme.text;
    const size_t dots = text.find("..");
    const std::string_view from = dots == std::string_view::npos ? text : text.substr(0, dots);
    const std::string_view to = dots == std::string_view::npos ? text : text.substr(dots + 2);
    if (from.empty() && to.empty()) {
      throw SyntaxError{"date: needs a date or a range", lexeme.column};
    }
    std::optional<Date> first, last;
    if (!from.empty()) first = ParseBound(from, lexeme);
    if (!to.empty()) last = ParseBound(to, lexeme);
    return {DateRangeQuery(first, last, /*with_inferred_dates=*/false),
            DateRangeMatch(first, last, /*with_inferred_dates=*/false)};
  }

  static Date ParseBound(std::string_view text, const Lexeme& lexeme) {
    std::string error;
    const std::optional<Date> date = ParseIsoDate(text, &error);
    if (!date) throw SyntaxError{"bad date (" + error + ")", lexeme.column};
    return *date;
  }

  // One syllable: matched folded, so that "dam" finds "đàm"; when the user
  // typed diacritics, the exact syllable adds weight, so "bán" ranks
  // documents with "bán" above those with only "bàn".
  Node Syllable(const Token& token) const {
    std::vector<Xapian::Query> boosts = {
        Xapian::Query(schema::kTitlePrefix + token.folded)};
    AddExactBoost(token, &boosts);
    return {WithBoosts(Xapian::Query(token.folded), std::move(boosts)),
            MatchTree::Term(token.folded)};
  }

  // Word order decides a phrase, which only the ranking pass checks (in the
  // position maps, phrase_query.h); the match tree cannot count it.
  Node Phrase(const std::vector<Token>& tokens) const {
    std::vector<std::string> folded;
    std::vector<Xapian::Query> boosts;
    for (const Token& token : tokens) {
      folded.push_back(token.folded);
      AddExactBoost(token, &boosts);
    }
    Xapian::Query phrase = PhraseQuery(folded);
    MatchTree unsupported;
    unsupported.op = Op::kUnsupported;
    return {WithBoosts(std::move(phrase), std::move(boosts)), unsupported};
  }

  // When the user typed diacritics, the exact syllable adds weight: read
  // from the position maps for a common spelling, else from its exact term
  // (common_spellings.h).
  void AddExactBoost(const Token& token, std::vector<Xapian::Query>* boosts) const {
    if (!accented_ || !HasExactTerm(token.exact)) return;
    if (IsCommonSpelling(token.exact)) {
      boosts->push_back(ExactBoost(token.folded, token.exact, SharedMapBoosts()));
    } else {
      boosts->emplace_back(schema::kExactPrefix + token.exact);
    }
  }

  // The switch of the query's map boosts (phrase_query.h).
  std::shared_ptr<MapBoosts> SharedMapBoosts() const {
    if (!out_->map_boosts) out_->map_boosts = std::make_shared<MapBoosts>();
    return out_->map_boosts;
  }

  static Node Title(const std::vector<Token>& tokens) {
    std::vector<Xapian::Query> terms;
    std::vector<MatchTree> matches;
    for (const Token& token : tokens) {
      terms.emplace_back(schema::kTitlePrefix + token.folded);
      matches.push_back(MatchTree::Term(schema::kTitlePrefix + token.folded));
    }
    return {Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
            MatchTree::Combine(Op::kAnd, std::move(matches))};
  }

  static Xapian::Query WithBoosts(Xapian::Query match,
                                  std::vector<Xapian::Query> boosts) {
    if (boosts.empty()) return match;
    boosts.insert(boosts.begin(), std::move(match));
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, boosts.begin(),
                         boosts.end());
  }

  // ANDs the positive clauses, excludes the negative ones, and boosts
  // documents where consecutive lone syllables are adjacent: in Vietnamese
  // a word spans syllables ("đàm phán"), so adjacency means the word itself.
  Node Combine(std::vector<Clause>& clauses) const {
    std::vector<Xapian::Query> positive, negative, optional;
    std::vector<MatchTree> required, excluded;
    const bool only_stopwords =
        std::all_of(clauses.begin(), clauses.end(),
                    [](const Clause& c) { return c.negated || c.stopword; });
    const Clause* previous = nullptr;
    for (Clause& clause : clauses) {
      if (clause.negated) {
        negative.push_back(clause.node.query);
        excluded.push_back(std::move(clause.node.match));
      } else if (clause.stopword && !only_stopwords) {
        optional.push_back(clause.node.query);  // weight, no filter
      } else {
        positive.push_back(clause.node.query);
        required.push_back(std::move(clause.node.match));
      }
      const bool lone = !clause.negated && !clause.lone_syllable.empty();
      if (lone && previous) {
        std::shared_ptr<MapBoosts> boosts = SharedMapBoosts();
        boosts->adjacency = true;
        optional.push_back(AdjacencyBoost({previous->lone_syllable, clause.lone_syllable},
                                          std::move(boosts)));
      }
      previous = lone ? &clause : nullptr;
    }
    if (positive.empty() && negative.empty()) return {};
    Node node;
    if (positive.empty()) {
      node.query = Xapian::Query::MatchAll;
      node.match.op = Op::kAll;
    } else {
      node.query = Xapian::Query(Xapian::Query::OP_AND, positive.begin(),
                                 positive.end());
      node.match = MatchTree::Combine(Op::kAnd, std::move(required));
    }
    if (!optional.empty()) node.query = WithBoosts(std::move(node.query), optional);
    if (!negative.empty()) {
      node.query = Xapian::Query(
          Xapian::Query::OP_AND_NOT, node.query,
          Xapian::Query(Xapian::Query::OP_OR, negative.begin(), negative.end()));
      excluded.insert(excluded.begin(), std::move(node.match));
      node.match = MatchTree::Combine(Op::kAndNot, std::move(excluded));
    }
    return node;
  }

  std::vector<Lexeme> lexemes_;
  size_t next_ = 0;
  bool accented_;
  BuiltQuery* out_;
};

bool HasDiacritics(std::string_view normalized) {
  bool accented = false;
  Tokenize(normalized, [&](const Token& token) {
    accented |= (token.exact != token.folded);
  });
  return accented;
}

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

BuiltQuery Parse(std::string_view normalized, bool plain) {
  BuiltQuery built;
  Parser parser(Lexer(normalized, plain).Run(), HasDiacritics(normalized),
                &built);
  Node node = parser.Run();
  built.query = std::move(node.query);
  built.match = std::move(node.match);
  return built;
}

}  // namespace

namespace {

// Keys as integers, for MatchTree: "20230800" -> 20230800.
uint32_t KeyNumber(const std::string& key) {
  return static_cast<uint32_t>(std::stoul(key));
}

}  // namespace

Xapian::Query DateRangeQuery(const std::optional<Date>& first,
                             const std::optional<Date>& last,
                             bool with_inferred_dates) {
  auto overlap = [&](Xapian::valueno start_slot, Xapian::valueno end_slot) {
    std::vector<Xapian::Query> bounds;
    if (first) {
      bounds.emplace_back(Xapian::Query::OP_VALUE_GE, end_slot, DateKey(*first));
    }
    if (last) {
      bounds.emplace_back(Xapian::Query::OP_VALUE_LE, start_slot, DateEndKey(*last));
    }
    return Xapian::Query(Xapian::Query::OP_AND, bounds.begin(), bounds.end());
  };
  Xapian::Query query = overlap(schema::kDateStartSlot, schema::kDateEndSlot);
  if (with_inferred_dates) {
    query = Xapian::Query(
        Xapian::Query::OP_OR, query,
        overlap(schema::kInferredDateStartSlot, schema::kInferredDateEndSlot));
  }
  return query;
}

MatchTree DateRangeMatch(const std::optional<Date>& first,
                         const std::optional<Date>& last,
                         bool with_inferred_dates) {
  MatchTree range;
  range.op = MatchTree::Op::kDateRange;
  if (first) range.from_key = KeyNumber(DateKey(*first));
  if (last) range.to_key = KeyNumber(DateEndKey(*last));
  range.with_inferred_dates = with_inferred_dates;
  return range;
}

BuiltQuery BuildQuery(std::string_view text, bool strict) {
  if (IsBlank(text)) {
    BuiltQuery all;
    all.query = Xapian::Query::MatchAll;
    all.match.op = MatchTree::Op::kAll;
    return all;
  }
  const std::string normalized = NormalizeText(text);
  BuiltQuery built;
  try {
    built = Parse(normalized, /*plain=*/false);
  } catch (const SyntaxError& error) {
    const std::string where = error.what + " at character " +
                              std::to_string(error.column) + " of the query";
    if (strict) {
      throw Error(ErrorCode::kInvalidArgument,
                  "cannot parse query '" + std::string(text) + "': " + where);
    }
    built = Parse(normalized, /*plain=*/true);
    built.warnings.push_back(where + "; searched for its words instead");
  }
  if (built.query.empty()) {
    built.warnings.push_back("the query has no searchable words");
  }
  return built;
}

void ReadAs(std::string_view accented, BuiltQuery* built) {
  if (built->query.empty() || IsBlank(accented)) return;
  BuiltQuery read = BuildQuery(accented);
  if (read.highlight_keys != built->highlight_keys ||
      read.match.Enumerable() != built->match.Enumerable()) {
    return;
  }
  built->query = std::move(read.query);
  built->match = std::move(read.match);
  built->map_boosts = std::move(read.map_boosts);
}

}  // namespace tim
