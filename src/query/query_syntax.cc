#include "query/query_syntax.h"

#include <algorithm>
#include <utility>

#include "base/spaces.h"
#include "base/utf8.h"
#include "text/date_parser.h"
#include "tim/error.h"
#include "tim/searcher.h"

namespace tim {

namespace {

enum class Kind { kWord, kPhrase, kOpen, kClose, kAnd, kOr, kNot, kEnd };

struct Lexeme {
  Kind kind = Kind::kEnd;
  std::string text;   // the word, the phrase inside its quotes, a field's value
  std::string field;  // "title", "source", ... or empty
  bool negated = false;
  bool required = false;  // +word
  size_t column = 0;  // 1-based, in characters, for error messages
  std::vector<Token> tokens;  // of a word or phrase (not of a filter's value)
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

size_t Column(std::string_view text, size_t byte_offset) {
  return CountCodePoints(text.substr(0, std::min(byte_offset, text.size()))) + 1;
}

// Splits a normalized query into lexemes. With `plain`, quotes, parentheses,
// operators and prefixes lose their meaning: every piece is a word. Stops
// after kMaxQueryWords syllables, recording where.
class Lexer {
 public:
  Lexer(std::string_view text, bool plain) : text_(text), plain_(plain) {}

  std::vector<Lexeme> Run() {
    std::vector<Lexeme> out;
    while (true) {
      Lexeme lexeme = Next();
      const bool end = lexeme.kind == Kind::kEnd || CountWords(&lexeme);
      out.push_back(std::move(lexeme));
      if (end) break;
    }
    if (cut_column_) EndAtTheLastWord(&out);
    if (out.empty() || out.back().kind != Kind::kEnd) out.emplace_back();
    return out;
  }

  // The column of the first syllable dropped by the word limit, or 0.
  size_t cut_column() const { return cut_column_; }

 private:
  // Counts the syllables of `lexeme`, dropping those past the limit; true
  // if the limit was reached, which ends the query.
  bool CountWords(Lexeme* lexeme) {
    std::vector<Token>& tokens = lexeme->tokens;
    const size_t room = kMaxQueryWords - words_;
    words_ += std::min(room, tokens.size());
    if (tokens.size() <= room) return false;
    cut_column_ = Column(text_, tokens[room].begin);
    tokens.resize(room);
    return true;
  }

  // Reads a query cut at the word limit as if it ended after its last
  // word: without the emptied word, a dangling operator or an open
  // parenthesis after it, and with the groups it opened closed.
  static void EndAtTheLastWord(std::vector<Lexeme>* lexemes) {
    auto dangling = [](const Lexeme& l) {
      const bool emptied_word = (l.kind == Kind::kWord || l.kind == Kind::kPhrase) &&
                                l.tokens.empty() && (l.field.empty() || l.field == "title");
      return emptied_word || l.kind == Kind::kAnd || l.kind == Kind::kOr ||
             l.kind == Kind::kNot || l.kind == Kind::kOpen;
    };
    while (!lexemes->empty() && dangling(lexemes->back())) lexemes->pop_back();
    size_t open = 0;
    for (const Lexeme& lexeme : *lexemes) {
      if (lexeme.kind == Kind::kOpen) ++open;
      if (lexeme.kind == Kind::kClose && open > 0) --open;
    }
    for (; open > 0; --open) {
      Lexeme close;
      close.kind = Kind::kClose;
      lexemes->push_back(close);
    }
  }

  Lexeme Next() {
    while (pos_ < text_.size() && IsAsciiSpace(text_[pos_])) ++pos_;
    Lexeme lexeme;
    lexeme.column = Column(text_, pos_);
    if (pos_ >= text_.size()) return lexeme;
    if (!plain_ && text_[pos_] == '-' && pos_ + 1 < text_.size() &&
        !IsAsciiSpace(text_[pos_ + 1])) {
      lexeme.negated = true;
      ++pos_;
    } else if (!plain_ && text_[pos_] == '+' && pos_ + 1 < text_.size() &&
               !IsAsciiSpace(text_[pos_ + 1])) {
      lexeme.required = true;
      ++pos_;
    }
    if (!plain_ && (text_[pos_] == '(' || text_[pos_] == ')')) {
      lexeme.kind = text_[pos_++] == '(' ? Kind::kOpen : Kind::kClose;
      return lexeme;
    }
    if (!plain_ && QuoteAt(text_, pos_, kOpenQuotes)) {
      ReadPhrase(&lexeme);
    } else {
      ReadWord(&lexeme);
    }
    return lexeme;
  }

  // The text [start, end) as the lexeme's text, with its syllables.
  void SetText(size_t start, size_t end, Lexeme* lexeme) const {
    lexeme->text = text_.substr(start, end - start);
    if (lexeme->field == "title" || lexeme->field.empty()) {
      lexeme->tokens = Tokenize(lexeme->text);
      for (Token& token : lexeme->tokens) {
        token.begin += static_cast<uint32_t>(start);
        token.end += static_cast<uint32_t>(start);
      }
    }
  }

  void ReadPhrase(Lexeme* lexeme) {
    const size_t open = pos_;
    pos_ += QuoteAt(text_, pos_, kOpenQuotes);
    const size_t start = pos_;
    while (pos_ < text_.size() && !QuoteAt(text_, pos_, kCloseQuotes)) ++pos_;
    if (pos_ >= text_.size()) {
      throw SyntaxError{"unbalanced quote", Column(text_, open)};
    }
    lexeme->kind = Kind::kPhrase;
    SetText(start, pos_, lexeme);
    pos_ += QuoteAt(text_, pos_, kCloseQuotes);
  }

  void ReadWord(Lexeme* lexeme) {
    const size_t start = pos_;
    while (pos_ < text_.size() && !IsAsciiSpace(text_[pos_]) &&
           (plain_ || (text_[pos_] != '(' && text_[pos_] != ')' &&
                       !QuoteAt(text_, pos_, kOpenQuotes)))) {
      if (!plain_ && text_[pos_] == ':' && ReadField(start, lexeme)) return;
      ++pos_;
    }
    lexeme->kind = Kind::kWord;
    SetText(start, pos_, lexeme);
    if (plain_ || lexeme->negated) return;
    if (lexeme->text == "AND") lexeme->kind = Kind::kAnd;
    if (lexeme->text == "OR") lexeme->kind = Kind::kOr;
    if (lexeme->text == "NOT") lexeme->kind = Kind::kNot;
    if (lexeme->kind != Kind::kWord) lexeme->tokens.clear();
  }

  // At a ':' after text_[start, pos_): if that is a field name, reads the
  // field's value (a word or a quoted phrase) into `lexeme`.
  bool ReadField(size_t start, Lexeme* lexeme) {
    const std::string_view name = text_.substr(start, pos_ - start);
    const bool known = std::find(std::begin(kFields), std::end(kFields), name) !=
                       std::end(kFields);
    if (!known || pos_ + 1 >= text_.size() || IsAsciiSpace(text_[pos_ + 1])) {
      return false;
    }
    ++pos_;
    lexeme->field = std::string(name);
    if (QuoteAt(text_, pos_, kOpenQuotes)) {
      ReadPhrase(lexeme);
      return true;
    }
    const size_t value_start = pos_;
    while (pos_ < text_.size() && !IsAsciiSpace(text_[pos_]) &&
           text_[pos_] != '(' && text_[pos_] != ')') {
      ++pos_;
    }
    lexeme->kind = Kind::kWord;
    SetText(value_start, pos_, lexeme);
    return true;
  }

  std::string_view text_;
  bool plain_;
  size_t pos_ = 0;
  size_t words_ = 0;
  size_t cut_column_ = 0;
};

using Node = SyntaxNode;

// Recursive descent over the lexemes, at most kMaxQueryDepth parentheses
// deep: the only recursion, so a hostile query cannot exhaust the stack
// here or in the compiler, which follows the tree.
class Parser {
 public:
  explicit Parser(std::vector<Lexeme> lexemes) : lexemes_(std::move(lexemes)) {}

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
    std::vector<Node> alternatives;
    alternatives.push_back(ParseAnd());
    while (Peek().kind == Kind::kOr) {
      const Lexeme& op = Take();
      alternatives.push_back(ParseAnd());
      alternatives.back().after_operator = true;
      if (IsEmpty(alternatives.front()) || IsEmpty(alternatives.back())) {
        throw SyntaxError{"OR needs a term on each side", op.column};
      }
    }
    if (alternatives.size() == 1) return std::move(alternatives[0]);
    return Node::Group(Node::Kind::kOr, std::move(alternatives));
  }

  Node ParseAnd() {
    std::vector<Node> clauses;
    bool after_operator = false;
    while (true) {
      const Kind kind = Peek().kind;
      if (kind == Kind::kOr || kind == Kind::kClose || kind == Kind::kEnd) {
        break;
      }
      if (kind == Kind::kAnd) {
        const Lexeme& op = Take();
        const bool any = std::any_of(clauses.begin(), clauses.end(),
                                     [](const Node& c) { return !IsEmpty(c); });
        if (!any || IsEndOfOperand(Peek().kind)) {
          throw SyntaxError{"AND needs a term on each side", op.column};
        }
        after_operator = true;
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
      Node clause = ParseUnary();
      clause.negated ^= negate;
      clause.after_operator = after_operator || negate;
      after_operator = false;
      clauses.push_back(std::move(clause));
    }
    return Node::Group(Node::Kind::kAnd, std::move(clauses));
  }

  static bool IsEndOfOperand(Kind kind) {
    return kind == Kind::kEnd || kind == Kind::kOr || kind == Kind::kClose ||
           kind == Kind::kAnd;
  }

  Node ParseUnary() {
    const Lexeme& lexeme = Take();
    switch (lexeme.kind) {
      case Kind::kOpen: {
        if (++depth_ > kMaxQueryDepth) {
          throw SyntaxError{"parentheses nested more than " +
                                std::to_string(kMaxQueryDepth) + " deep",
                            lexeme.column};
        }
        Node group = ParseOr();
        --depth_;
        group.grouped = true;
        group.negated = lexeme.negated;
        if (Take().kind != Kind::kClose) {
          throw SyntaxError{"unbalanced parenthesis", lexeme.column};
        }
        return group;
      }
      case Kind::kWord:
      case Kind::kPhrase:
        return Leaf(lexeme);
      default:
        throw SyntaxError{"unexpected operator", lexeme.column};
    }
  }

  static Node Leaf(const Lexeme& lexeme) {
    Node node;
    node.negated = lexeme.negated;
    node.required = lexeme.required;
    if (lexeme.field == "date") {
      node.kind = Node::Kind::kDateRange;
      ReadDateRange(lexeme, &node);
    } else if (!lexeme.field.empty() && lexeme.field != "title") {
      node.kind = Node::Kind::kFilter;
      node.field = lexeme.field;
      node.value = lexeme.text;
    } else {
      node.kind = Node::Kind::kWords;
      node.quoted = lexeme.kind == Kind::kPhrase;
      node.in_title = lexeme.field == "title";
      node.tokens = lexeme.tokens;
    }
    return node;
  }

  // date:2023, date:2025-10..2025-12, date:..2024-06, date:2024-06..
  static void ReadDateRange(const Lexeme& lexeme, Node* node) {
    const std::string_view text = lexeme.text;
    const size_t dots = text.find("..");
    const std::string_view from = dots == std::string_view::npos ? text : text.substr(0, dots);
    const std::string_view to = dots == std::string_view::npos ? text : text.substr(dots + 2);
    if (from.empty() && to.empty()) {
      throw SyntaxError{"date: needs a date or a range", lexeme.column};
    }
    if (!from.empty()) node->from = ReadBound(from, lexeme);
    if (!to.empty()) node->to = ReadBound(to, lexeme);
  }

  static Date ReadBound(std::string_view text, const Lexeme& lexeme) {
    std::string error;
    const std::optional<Date> date = ParseIsoDate(text, &error);
    if (!date) throw SyntaxError{"bad date (" + error + ")", lexeme.column};
    return *date;
  }

  std::vector<Lexeme> lexemes_;
  size_t next_ = 0;
  size_t depth_ = 0;
};

bool HasDiacritics(std::string_view normalized) {
  bool accented = false;
  Tokenize(normalized, [&](const Token& token) {
    accented |= (token.exact != token.folded);
  });
  return accented;
}

// Whether a syllable of the words `node` searches for has diacritics. Those
// of excluded words and filter values do not count: the accent restorer,
// which suggests accents only when this is false, restores the others alone.
bool SearchesAccentedWords(const SyntaxNode& node) {
  if (node.negated) return false;
  const auto accented = [](const Token& token) { return token.exact != token.folded; };
  return std::any_of(node.tokens.begin(), node.tokens.end(), accented) ||
         std::any_of(node.children.begin(), node.children.end(), SearchesAccentedWords);
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), IsAsciiSpace);
}

// The query as an error message quotes it: a hostile one can be long.
std::string Quoted(std::string_view text) {
  constexpr size_t kShown = 100;  // characters
  if (CountCodePoints(text) <= kShown) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, OffsetOfCodePoint(text, kShown))) + "...'";
}

std::string TooManyWords(size_t column) {
  return "the query has more than " + std::to_string(kMaxQueryWords) +
         " words; the words from character " + std::to_string(column) +
         " on were left out";
}

// Parses `normalized`, as plain words if `plain`; sets `*cut_column` to
// where the word limit cut it (0 if it did not), which is an error when
// `strict`.
Node Parse(std::string_view normalized, bool plain, bool strict, size_t* cut_column) {
  Lexer lexer(normalized, plain);
  std::vector<Lexeme> lexemes = lexer.Run();
  *cut_column = lexer.cut_column();
  if (*cut_column && strict) {
    throw Error(ErrorCode::kInvalidArgument,
                "the query has more than " + std::to_string(kMaxQueryWords) +
                    " words (the limit); the first one over it is at character " +
                    std::to_string(*cut_column));
  }
  return Parser(std::move(lexemes)).Run();
}

}  // namespace

SyntaxNode SyntaxNode::Term(std::string term, bool negated) {
  SyntaxNode node;
  node.kind = Kind::kTerm;
  node.term = std::move(term);
  node.negated = negated;
  return node;
}

SyntaxNode SyntaxNode::Group(Kind kind, std::vector<SyntaxNode> children) {
  SyntaxNode node;
  node.kind = kind;
  node.children = std::move(children);
  return node;
}

bool IsEmpty(const SyntaxNode& node) {
  switch (node.kind) {
    case SyntaxNode::Kind::kWords:
      return node.tokens.empty();
    case SyntaxNode::Kind::kAnd:
    case SyntaxNode::Kind::kOr:
      return std::all_of(node.children.begin(), node.children.end(),
                         [](const SyntaxNode& child) { return IsEmpty(child); });
    default:
      return false;
  }
}

ParsedQuery ParseQuery(std::string_view text, bool strict) {
  if (text.size() > kMaxQueryBytes) {
    throw Error(ErrorCode::kInvalidArgument,
                "the query is " + std::to_string(text.size()) +
                    " bytes long; the limit is " + std::to_string(kMaxQueryBytes));
  }
  ParsedQuery parsed;
  if (IsBlank(text)) return parsed;
  parsed.blank = false;
  parsed.normalized = NormalizeText(text);
  parsed.accented = HasDiacritics(parsed.normalized);
  size_t cut_column = 0;
  try {
    parsed.root = Parse(parsed.normalized, /*plain=*/false, strict, &cut_column);
  } catch (const SyntaxError& error) {
    const std::string where = error.what + " at character " +
                              std::to_string(error.column) + " of the query";
    if (strict) {
      throw Error(ErrorCode::kInvalidArgument,
                  "cannot parse query " + Quoted(text) + ": " + where);
    }
    parsed.root = Parse(parsed.normalized, /*plain=*/true, strict, &cut_column);
    parsed.warnings.push_back(where + "; searched for its words instead");
  }
  parsed.typed_diacritics = SearchesAccentedWords(parsed.root);
  if (cut_column) parsed.warnings.push_back(TooManyWords(cut_column));
  if (IsEmpty(parsed.root)) parsed.warnings.push_back("the query has no searchable words");
  return parsed;
}

namespace {

void Respell(const std::vector<Spelling>& spellings, bool* accented, SyntaxNode* node) {
  for (Token& token : node->tokens) {
    const auto it = std::lower_bound(
        spellings.begin(), spellings.end(), token.begin,
        [](const Spelling& s, uint32_t begin) { return s.begin < begin; });
    if (it == spellings.end() || it->begin != token.begin) continue;
    token.exact = it->exact;
    *accented |= token.exact != token.folded;
  }
  for (SyntaxNode& child : node->children) Respell(spellings, accented, &child);
}

}  // namespace

ParsedQuery ReadAs(const ParsedQuery& query, const std::vector<Spelling>& spellings) {
  ParsedQuery read = query;
  std::vector<Spelling> sorted = spellings;
  std::sort(sorted.begin(), sorted.end(),
            [](const Spelling& a, const Spelling& b) { return a.begin < b.begin; });
  Respell(sorted, &read.accented, &read.root);
  return read;
}

}  // namespace tim
