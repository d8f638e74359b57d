#include "query/query_compiler.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "index/document_builder.h"
#include "index/schema.h"
#include "query/common_syllables.h"
#include "query/docid_filter.h"
#include "query/function_words.h"
#include "query/recency.h"
#include "query/window_term.h"
#include "text/common_spellings.h"
#include "text/date_parser.h"

namespace tim {

namespace {

using Op = MatchTree::Op;

// A term no article has (tim's terms start with a letter, a digit or an
// upper-case prefix).
constexpr char kNoSuchTerm[] = "\x01";

// A compiled piece of query: how to rank with it, and what it requires.
// Only the functions of this file make one, each half with the other.
struct Part {
  Xapian::Query query;
  MatchTree match;

  bool empty() const { return query.empty(); }
};

Part TermPart(const std::string& term) { return {Xapian::Query(term), MatchTree::Term(term)}; }

// A term that restricts the matches but adds nothing to the score.
Part FilterTermPart(const std::string& term) {
  return {Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), 0.0),
          MatchTree::Term(term)};
}

Part AllPart() {
  Part all{Xapian::Query::MatchAll, {}};
  all.match.op = Op::kAll;
  return all;
}

// Keys as integers, for MatchTree: "20230800" -> 20230800.
uint32_t KeyNumber(const std::string& key) {
  return static_cast<uint32_t>(std::stoul(key));
}

// The articles whose date span overlaps [first, last] (either end open;
// see schema.h's two date slots).
Part DateRangePart(const std::optional<Date>& first, const std::optional<Date>& last,
                   bool with_inferred_dates) {
  auto overlap = [&](Xapian::valueno start_slot, Xapian::valueno end_slot) {
    std::vector<Xapian::Query> bounds;
    if (first) bounds.emplace_back(Xapian::Query::OP_VALUE_GE, end_slot, DateKey(*first));
    if (last) bounds.emplace_back(Xapian::Query::OP_VALUE_LE, start_slot, DateEndKey(*last));
    return Xapian::Query(Xapian::Query::OP_AND, bounds.begin(), bounds.end());
  };
  Part range;
  range.query = overlap(schema::kDateStartSlot, schema::kDateEndSlot);
  if (with_inferred_dates) {
    range.query = Xapian::Query(
        Xapian::Query::OP_OR, range.query,
        overlap(schema::kInferredDateStartSlot, schema::kInferredDateEndSlot));
  }
  range.match.op = Op::kDateRange;
  if (first) range.match.from_key = KeyNumber(DateKey(*first));
  if (last) range.match.to_key = KeyNumber(DateEndKey(*last));
  range.match.with_inferred_dates = with_inferred_dates;
  return range;
}

Part AnyOf(std::vector<Part> parts) {
  std::vector<Xapian::Query> queries;
  std::vector<MatchTree> matches;
  for (Part& part : parts) {
    queries.push_back(std::move(part.query));
    matches.push_back(std::move(part.match));
  }
  return {Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end()),
          MatchTree::Combine(Op::kOr, std::move(matches))};
}

// `part`, restricted to the articles of `filter`, which adds no weight.
Part Filtered(Part part, Part filter) {
  return {Xapian::Query(Xapian::Query::OP_FILTER, part.query, filter.query),
          MatchTree::Combine(Op::kAnd, {std::move(part.match), std::move(filter.match)})};
}

// `match`, with optional parts that add weight and match nothing more.
Xapian::Query WithBoosts(Xapian::Query match, std::vector<Xapian::Query> boosts) {
  if (boosts.empty()) return match;
  boosts.insert(boosts.begin(), std::move(match));
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, boosts.begin(), boosts.end());
}

// A clause of a conjunction, compiled.
struct Clause {
  Part part;
  bool negated = false;
  // Set for a lone syllable: its folded key, for the adjacency boost, and
  // its exact form, for the function-word lists.
  std::string lone_syllable;
  std::string exact_syllable;
  // A function word ("của", "và"): it may add weight but is not required.
  bool stopword = false;
  // A plain content syllable of the query's top level (not +word): a
  // relaxed match makes it one of several alternatives.
  bool relaxable = false;
  // Marked by the user: +word, or joined by AND, OR or NOT. It keeps the
  // meaning the syntax gives it, also inside a question phrase.
  bool marked = false;
};

// Compiles a syntax tree. The map boosts are left out (the first pass)
// unless `with_map_boosts`; they then weigh with `window`'s parameters and
// read its maps (each article's own without a window). `built_in`: of
// Xapian's own parts only (CompiledQuery::BuiltInPass()).
class Compiler {
 public:
  Compiler(const ParsedQuery& query, bool with_map_boosts, std::shared_ptr<const MapWindow> window,
           bool relaxed = false, const Xapian::Database* frequencies = nullptr,
           RelaxedSyllables relaxed_roles = {}, const Xapian::Database* searched = nullptr,
           bool built_in = false)
      : relaxed_roles(std::move(relaxed_roles)),
        built_in(built_in),
        accented_(query.accented),
        typed_diacritics_(query.typed_diacritics),
        with_map_boosts_(with_map_boosts),
        relaxed_(relaxed),
        frequencies_(frequencies),
        searched_(searched),
        window_(std::move(window)) {}

  // The query's root: its own plain syllables are the relaxable ones.
  Part CompileRoot(const SyntaxNode& node) {
    at_root_ = true;
    return Compile(node, false);
  }

  Part Compile(const SyntaxNode& node, bool negated_above) {
    const bool negated = negated_above || node.negated;
    const bool root = at_root_;
    at_root_ = false;
    switch (node.kind) {
      case SyntaxNode::Kind::kAnd:
        return Combine(node, negated, root);
      case SyntaxNode::Kind::kOr: {
        std::vector<Part> alternatives;
        ++alternatives_depth_;
        for (const SyntaxNode& child : node.children) {
          const size_t sources = client_sources ? client_sources->size() : 0;
          alternatives.push_back(Compile(child, negated));
          // An alternative's boosts count where it matches.
          for (size_t i = sources; client_sources && i < client_sources->size(); ++i) {
            (*client_sources)[i].conditions.push_back(alternatives.back().match);
          }
        }
        --alternatives_depth_;
        return AnyOf(std::move(alternatives));
      }
      default:
        return Leaf(node, negated).part;
    }
  }

  std::vector<std::string> highlight_keys;
  // In a relaxed match, the common syllables that only add weight and how
  // many of the others an article must hold (ChooseRelaxedSyllables):
  // chosen from `frequencies` when the compiler has them, else as given,
  // so that every pass of a search agrees.
  RelaxedSyllables relaxed_roles;
  const bool built_in;
  // When set, the map boosts and the recency boost come here as sources,
  // to weigh documents with on the client, rather than into the query.
  ClientSources* client_sources = nullptr;
  // The folded syllables a relaxed match made optional, weight only or not.
  std::set<std::string> relaxed_syllables;
  size_t relaxable_syllables = 0;
  // The quoted phrases (of two syllables or more) within an OR's
  // alternatives, not negated, in the order compiled.
  std::vector<MatchTree> phrase_alternatives;
  // When set, the phrase alternatives it marks match nothing.
  const std::vector<bool>* absent_phrases = nullptr;
  bool map_boosts = false;
  bool adjacency_boosts = false;
  // The first pass leaves a relaxed match's function words to the second.
  bool defers_function_words = false;

 private:
  // A leaf as a clause of its conjunction.
  Clause Leaf(const SyntaxNode& node, bool negated) {
    Clause clause;
    clause.negated = node.negated;
    switch (node.kind) {
      case SyntaxNode::Kind::kFilter:
        clause.part = FilterTermPart(FacetValueTerm(node.field, node.value));
        return clause;
      case SyntaxNode::Kind::kDateRange:
        clause.part = DateRangePart(node.from, node.to, /*with_inferred_dates=*/false);
        return clause;
      case SyntaxNode::Kind::kTerm:
        if (!negated) highlight_keys.push_back(node.term);
        clause.part = TermPart(node.term);
        return clause;
      case SyntaxNode::Kind::kWords:
        break;
      default:  // a group
        clause.part = Compile(node, negated);
        return clause;
    }
    const std::vector<Token>& tokens = node.tokens;
    if (tokens.empty()) return clause;
    negated_ = negated;
    if (!negated) {
      for (const Token& token : tokens) highlight_keys.push_back(token.folded);
    }
    if (node.in_title) {
      clause.part = Title(tokens);
    } else if (tokens.size() == 1 && !node.quoted) {
      clause.part = Syllable(tokens[0]);
      clause.lone_syllable = tokens[0].folded;
      clause.exact_syllable = tokens[0].exact;
      clause.stopword = IsFunctionWord(tokens[0].exact, tokens[0].folded, typed_diacritics_);
    } else {
      clause.part = Phrase(tokens);
    }
    return clause;
  }

  // One syllable: matched folded, so that "dam" finds "đàm"; when the user
  // typed diacritics, the exact syllable adds weight, so "bán" ranks
  // documents with "bán" above those with only "bàn".
  Part Syllable(const Token& token) {
    std::vector<Xapian::Query> boosts = {Xapian::Query(schema::kTitlePrefix + token.folded)};
    AddExactBoost(token, &boosts);
    return {WithBoosts(SyllableTerm(token.folded), std::move(boosts)),
            MatchTree::Term(token.folded)};
  }

  // A folded syllable's term; in a second pass, weighed from the wdfs its
  // window has read (window_term.h).
  Xapian::Query SyllableTerm(const std::string& folded) const {
    if (!with_map_boosts_ || built_in || !searched_) return Xapian::Query(folded);
    return WindowTerm(folded, *searched_, window_);
  }

  // Word order decides a phrase, which the ranking pass checks (in the
  // position maps, phrase_query.h); a match tree's walk checks it only when
  // asked to (MatchTree::Enumerable).
  Part Phrase(const std::vector<Token>& tokens) {
    std::vector<std::string> folded;
    std::vector<Xapian::Query> boosts;
    for (const Token& token : tokens) {
      folded.push_back(token.folded);
      AddExactBoost(token, &boosts);
    }
    bool absent = false;
    if (alternatives_depth_ > 0 && !negated_ && folded.size() > 1) {
      absent = absent_phrases && (*absent_phrases)[phrase_alternatives.size()];
      phrase_alternatives.push_back(MatchTree::Phrase(folded));
    }
    // Excluding the AND of a negated phrase's syllables would exclude more
    // than the phrase: a built-in ranking excludes nothing for it (the
    // match set does).
    absent |= built_in && negated_ && folded.size() > 1;
    Xapian::Query query = absent ? Xapian::Query(kNoSuchTerm) : PhraseQuery(folded, built_in);
    return {WithBoosts(std::move(query), std::move(boosts)), MatchTree::Phrase(folded)};
  }

  static Part Title(const std::vector<Token>& tokens) {
    std::vector<Xapian::Query> terms;
    std::vector<MatchTree> matches;
    for (const Token& token : tokens) {
      terms.emplace_back(schema::kTitlePrefix + token.folded);
      matches.push_back(MatchTree::Term(schema::kTitlePrefix + token.folded));
    }
    return {Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
            MatchTree::Combine(Op::kAnd, std::move(matches))};
  }

  // When the user typed diacritics, the exact syllable adds weight: read
  // from the position maps for a common spelling (a map boost), else from
  // its exact term (common_spellings.h).
  void AddExactBoost(const Token& token, std::vector<Xapian::Query>* boosts) {
    if (!accented_ || !HasExactTerm(token.exact)) return;
    if (!IsCommonSpelling(token.exact)) {
      boosts->emplace_back(schema::kExactPrefix + token.exact);
      return;
    }
    map_boosts = true;
    if (!with_map_boosts_) return;
    if (!client_sources) {
      boosts->push_back(ExactBoost(token.folded, token.exact, searched_, window_));
    } else if (!negated_) {  // (what a negated part matches adds no weight)
      client_sources->push_back({ExactBoostSource(token.folded, token.exact, window_), {}});
    }
  }

  void AddAdjacencyBoost(const std::string& first, const std::string& second, bool negated,
                         std::vector<Xapian::Query>* boosts) {
    map_boosts = adjacency_boosts = true;
    if (!with_map_boosts_) return;
    if (!client_sources) {
      boosts->push_back(AdjacencyBoost({first, second}, searched_, window_));
    } else if (!negated) {
      client_sources->push_back({AdjacencyBoostSource({first, second}, window_), {}});
    }
  }

  void ChooseWeightOnly(const std::vector<Clause>& clauses) {
    std::vector<std::string> syllables;
    for (const Clause& clause : clauses) {
      if (clause.relaxable) syllables.push_back(clause.lone_syllable);
    }
    relaxed_roles = ChooseRelaxedSyllables(*frequencies_, std::move(syllables));
  }

  // Makes the two syllables of each question phrase function words.
  void MarkQuestionPhrases(std::vector<Clause>* clauses) const {
    for (size_t i = 1; i < clauses->size(); ++i) {
      Clause& first = (*clauses)[i - 1];
      Clause& second = (*clauses)[i];
      if (first.negated || second.negated || first.marked || second.marked ||
          first.exact_syllable.empty() ||
          second.exact_syllable.empty() ||
          !IsQuestionPhrase(first.exact_syllable, first.lone_syllable,
                            second.exact_syllable, second.lone_syllable, typed_diacritics_)) {
        continue;
      }
      for (Clause* clause : {&first, &second}) {
        clause->stopword = true;
        clause->relaxable = false;
      }
    }
  }

  // ANDs the positive clauses, excludes the negative ones, and boosts
  // documents where consecutive lone syllables are adjacent: in Vietnamese
  // a word spans syllables ("đàm phán"), so adjacency means the word itself.
  Part Combine(const SyntaxNode& node, bool negated, bool root) {
    std::vector<Clause> clauses;
    for (const SyntaxNode& child : node.children) {
      Clause clause = Leaf(child, negated || child.negated);
      clause.marked = child.required || child.after_operator;
      clause.relaxable = root && !negated && !clause.negated && !clause.stopword &&
                         !clause.lone_syllable.empty() && !clause.marked;
      if (!clause.part.empty()) clauses.push_back(std::move(clause));
    }
    MarkQuestionPhrases(&clauses);
    relaxable_syllables += std::count_if(clauses.begin(), clauses.end(),
                                         [](const Clause& c) { return c.relaxable; });
    const bool relax = relaxed_ && relaxable_syllables >= 2;
    if (relax) {
      for (const Clause& clause : clauses) {
        if (clause.relaxable) relaxed_syllables.insert(clause.lone_syllable);
      }
      if (frequencies_) ChooseWeightOnly(clauses);
    }
    std::vector<Xapian::Query> alternatives;
    std::vector<MatchTree> alternative_matches;
    std::vector<Xapian::Query> positive, negative, optional, function_words;
    std::vector<MatchTree> required, excluded;
    const bool only_stopwords =
        std::all_of(clauses.begin(), clauses.end(),
                    [](const Clause& c) { return c.negated || c.stopword; });
    const Clause* previous = nullptr;
    for (Clause& clause : clauses) {
      if (clause.negated) {
        negative.push_back(clause.part.query);
        excluded.push_back(std::move(clause.part.match));
      } else if (clause.stopword && !only_stopwords) {
        (relax ? function_words : optional).push_back(clause.part.query);  // weight, no filter
      } else if (relax && clause.relaxable &&
                 relaxed_roles.weight_only.count(clause.lone_syllable)) {
        optional.push_back(clause.part.query);
      } else if (relax && clause.relaxable) {
        alternatives.push_back(clause.part.query);
        alternative_matches.push_back(std::move(clause.part.match));
      } else {
        positive.push_back(clause.part.query);
        required.push_back(std::move(clause.part.match));
      }
      const bool lone = !clause.negated && !clause.lone_syllable.empty();
      if (lone && previous) {
        AddAdjacencyBoost(previous->lone_syllable, clause.lone_syllable, negated, &optional);
      }
      previous = lone ? &clause : nullptr;
    }
    // The function words of a relaxed match are in nearly every article
    // its rare words match, and their weight hardly decides which are the
    // best few: a second pass, when there is one, weighs them on those
    // only. (Deferring the common content words as well lost 9 points of
    // nDCG on the natural descriptions: they do decide the best few.)
    if (with_map_boosts_ || !map_boosts) {
      optional.insert(optional.end(), function_words.begin(), function_words.end());
    } else {
      defers_function_words |= !function_words.empty();
    }
    if (!alternatives.empty()) {
      MatchTree any = RelaxedMatchTree(relaxed_roles.minimum, std::move(alternative_matches));
      positive.push_back(RankedAtLeast(alternatives, any, built_in));
      required.push_back(std::move(any));
    }
    if (positive.empty() && negative.empty()) return {};
    Part part = positive.empty() ? AllPart() : Part{};
    if (!positive.empty()) {
      part.query = Xapian::Query(Xapian::Query::OP_AND, positive.begin(), positive.end());
      part.match = MatchTree::Combine(Op::kAnd, std::move(required));
    }
    if (!optional.empty()) part.query = WithBoosts(std::move(part.query), optional);
    if (!negative.empty()) {
      part.query = Xapian::Query(
          Xapian::Query::OP_AND_NOT, part.query,
          Xapian::Query(Xapian::Query::OP_OR, negative.begin(), negative.end()));
      excluded.insert(excluded.begin(), std::move(part.match));
      part.match = MatchTree::Combine(Op::kAndNot, std::move(excluded));
    }
    return part;
  }

  const bool accented_;
  const bool typed_diacritics_;
  const bool with_map_boosts_;
  const bool relaxed_;
  const Xapian::Database* const frequencies_;
  // The database the query searches, for the posting sources of a sharded
  // one (sharded_source.h); null: one of a single shard.
  const Xapian::Database* const searched_;
  const std::shared_ptr<const MapWindow> window_;
  bool at_root_ = false;
  bool negated_ = false;  // the leaf being compiled is
  int alternatives_depth_ = 0;  // ORs around the node being compiled
};

}  // namespace

struct CompiledQuery::Source {
  ParsedQuery query;
  SearchFilters filters;
  RankingParams ranking;
  bool relaxed = false;
  RelaxedSyllables relaxed_roles;  // Compiler::relaxed_roles, once chosen
  const Xapian::Database* db = nullptr;  // Compiler::searched_
};

namespace {

// The whole query of `source`: its text, then the search's filters, then
// the recency boost. Sets `*empty` if the text has nothing to search.
Part CompileSource(const CompiledQuery::Source& source, Compiler* compiler, bool* empty) {
  Part part = source.query.blank ? AllPart() : compiler->CompileRoot(source.query.root);
  *empty = part.empty();
  const SearchFilters& filters = source.filters;
  if (filters.from || filters.to) {
    part = Filtered(std::move(part),
                    DateRangePart(filters.from, filters.to, filters.with_inferred_dates));
  }
  for (const std::vector<std::string>& terms : filters.any_of_terms) {
    std::vector<Part> values;
    for (const std::string& term : terms) values.push_back(TermPart(term));
    part = Filtered(std::move(part), AnyOf(std::move(values)));
  }
  const RankingParams& ranking = source.ranking;
  if (ranking.recency_half_life_days > 0 && ranking.recency_weight > 0) {
    // Newer articles first among equals: an optional part, so it changes
    // the order, not the matches.
    auto recency = std::make_unique<RecencySource>(
        ranking.recency_half_life_days, ranking.recency_weight, ranking.recency_newest_day);
    if (compiler->client_sources) {
      compiler->client_sources->push_back({std::move(recency), {}});
    } else {
      part.query = WithBoosts(std::move(part.query), {Xapian::Query(recency.release()->release())});
    }
  }
  return part;
}

}  // namespace

CompiledQuery::CompiledQuery(ParsedQuery query, SearchFilters filters,
                             RankingParams ranking, bool relaxed,
                             const Xapian::Database* frequencies) {
  auto source = std::make_shared<Source>(
      Source{std::move(query), std::move(filters), ranking, relaxed, {}, frequencies});
  Compiler compiler(source->query, /*with_map_boosts=*/false, nullptr, relaxed,
                    frequencies, {}, frequencies);
  Part part = CompileSource(*source, &compiler, &empty_);
  source->relaxed_roles = std::move(compiler.relaxed_roles);
  source_ = std::move(source);
  first_pass_ = std::move(part.query);
  match_ = std::move(part.match);
  highlight_keys_ = std::move(compiler.highlight_keys);
  relaxed_syllables_.assign(compiler.relaxed_syllables.begin(), compiler.relaxed_syllables.end());
  relaxable_syllables_ = compiler.relaxable_syllables;
  map_boosts_ = compiler.map_boosts;
  adjacency_boosts_ = compiler.adjacency_boosts;
  phrase_alternatives_ = std::move(compiler.phrase_alternatives);
  defers_function_words_ = compiler.defers_function_words;
}

Xapian::Query CompiledQuery::Compile(std::shared_ptr<const MapWindow> window) const {
  Compiler compiler(source_->query, /*with_map_boosts=*/true, std::move(window),
                    source_->relaxed, nullptr, source_->relaxed_roles, source_->db);
  bool empty = false;
  return CompileSource(*source_, &compiler, &empty).query;
}

std::shared_ptr<const MapWindow> CompiledQuery::SecondPassWindow(
    const Xapian::Database& db, const std::vector<Xapian::docid>& best,
    const std::vector<std::string>* maps) const {
  return ReadWindow(db, best, highlight_keys_, source_->ranking.k1, source_->ranking.b, maps);
}

Xapian::Query CompiledQuery::SecondPass(const Xapian::Database& db,
                                        std::vector<Xapian::docid> best,
                                        std::shared_ptr<const MapWindow> window) const {
  // Read before `best` moves into the filter (the order in which a call's
  // arguments are evaluated is unspecified).
  Xapian::Query ranked = Compile(window ? std::move(window) : SecondPassWindow(db, best));
  return Xapian::Query(Xapian::Query::OP_FILTER, ranked, DocidFilter(std::move(best), &db));
}

Xapian::Query CompiledQuery::BuiltInPass(ClientSources* sources,
                                         std::shared_ptr<const MapWindow> window,
                                         const std::vector<bool>* absent_phrases) const {
  const bool with_map_boosts = window != nullptr;
  Compiler compiler(source_->query, with_map_boosts, std::move(window), source_->relaxed,
                    nullptr, source_->relaxed_roles, source_->db, /*built_in=*/true);
  compiler.client_sources = sources;
  compiler.absent_phrases = absent_phrases;
  bool empty = false;
  return CompileSource(*source_, &compiler, &empty).query;
}

std::shared_ptr<const MapWindow> CompiledQuery::SinglePassWindow() const {
  if (!map_boosts_) return nullptr;
  auto window = std::make_shared<MapWindow>();
  window->k1 = source_->ranking.k1;
  window->b = source_->ranking.b;
  return window;
}

Xapian::Query CompiledQuery::SinglePass() const {
  if (!map_boosts_) return first_pass_;
  return Compile(SinglePassWindow());
}

}  // namespace tim
