#include "query/accent_restorer.h"

#include <algorithm>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "index/stored_fields_reader.h"
#include "query/accent_evidence.h"
#include "query/common_syllables.h"
#include "query/docid_filter.h"
#include "query/match_only_weight.h"
#include "query/phrase_query.h"
#include "query/remote_ranking.h"
#include "query/window_term.h"
#include "tim/json.h"

namespace tim {

namespace {

// A word of the query the restorer may restore.
struct QueryWord {
  const Token* token;  // in the parsed query
  std::string folded;
  int chain = 0;  // runs of the text may only cover words of one chain
};

// The restorable words of a parsed query, in order: the syllables of its
// words and phrases, but not of excluded ones nor of filters. A chain
// breaks wherever syntax stands between two words: an operator, a
// parenthesis, an excluded word, a filter, a field name.
class WordReader {
 public:
  std::vector<QueryWord> Read(const SyntaxNode& root) {
    Walk(root, /*excluded=*/false);
    return std::move(words_);
  }

 private:
  void Walk(const SyntaxNode& node, bool excluded) {
    if (node.grouped || node.after_operator) Break();
    excluded = excluded || node.negated;
    switch (node.kind) {
      case SyntaxNode::Kind::kAnd:
      case SyntaxNode::Kind::kOr:
        for (const SyntaxNode& child : node.children) Walk(child, excluded);
        if (node.grouped) Break();
        return;
      case SyntaxNode::Kind::kWords:
        if (excluded || node.in_title) Break();
        if (excluded) return;
        for (const Token& token : node.tokens) {
          words_.push_back({&token, token.folded, chain_});
        }
        return;
      default:  // a filter or an index term: kept as typed
        Break();
        return;
    }
  }

  void Break() { ++chain_; }

  std::vector<QueryWord> words_;
  int chain_ = 0;
};

std::vector<std::string> FoldedKeys(const std::vector<QueryWord>& words) {
  std::vector<std::string> folded;
  for (const QueryWord& word : words) folded.push_back(word.folded);
  return folded;
}

// The query's words as phrases, one per chain, all of them required
// (`built_in`: each phrase as the AND of its syllables), and what that
// required, into `*required`.
Xapian::Query ChainsQuery(const std::vector<QueryWord>& words, bool built_in,
                          MatchTree* required) {
  std::vector<Xapian::Query> phrases;
  std::vector<MatchTree> trees;
  std::vector<std::string> chain;
  auto flush = [&] {
    if (chain.empty()) return;
    phrases.push_back(PhraseQuery(chain, built_in));
    trees.push_back(MatchTree::Phrase(chain));
    chain.clear();
  };
  for (size_t q = 0; q < words.size(); ++q) {
    if (!chain.empty() && words[q].chain != words[q - 1].chain) flush();
    chain.push_back(words[q].folded);
  }
  flush();
  *required = MatchTree::Combine(MatchTree::Op::kAnd, std::move(trees));
  return Xapian::Query(Xapian::Query::OP_AND, phrases.begin(), phrases.end());
}

// All the words (or, with `any`, any of them), and what that required,
// into `*required` when given. With a `window` of `db`'s articles, for a
// ranking of them only, the words weigh from it (window_term.h).
Xapian::Query WordsQuery(const std::vector<QueryWord>& words, bool any,
                         MatchTree* required = nullptr, const Xapian::Database* db = nullptr,
                         const std::shared_ptr<const MapWindow>& window = nullptr) {
  std::vector<Xapian::Query> terms;
  std::vector<MatchTree> trees;
  for (const QueryWord& word : words) {
    terms.push_back(window ? WindowTerm(word.folded, *db, window) : Xapian::Query(word.folded));
    trees.push_back(MatchTree::Term(word.folded));
  }
  if (required) {
    *required = MatchTree::Combine(any ? MatchTree::Op::kOr : MatchTree::Op::kAnd,
                                   std::move(trees));
  }
  return Xapian::Query(any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND, terms.begin(),
                       terms.end());
}

// Any of the words, as a relaxed search matches them: of many words, any
// matches most of the corpus through the common ones, so the rare ones
// decide which articles match, and the common ones add weight
// (common_syllables.h). (The rare ones alone ranked the articles with the
// best evidence lower: 0.947 -> 0.943 nDCG@10 on the natural descriptions
// typed without diacritics, tune half.)
// (`built_in`: of Xapian's own parts, matching more), and what it
// required, into `*required`.
Xapian::Query AnyWordsQuery(const Xapian::Database& db, const std::vector<QueryWord>& words,
                            bool built_in, MatchTree* required) {
  const std::vector<std::string> folded = FoldedKeys(words);
  const RelaxedSyllables roles = ChooseRelaxedSyllables(db, folded);
  std::set<std::string> rare;
  for (const std::string& syllable : folded) {
    if (!roles.weight_only.count(syllable)) rare.insert(syllable);
  }
  std::vector<Xapian::Query> ranked(rare.begin(), rare.end());
  std::vector<MatchTree> matches;
  for (const std::string& syllable : rare) matches.push_back(MatchTree::Term(syllable));
  *required = RelaxedMatchTree(roles.minimum, std::move(matches));
  std::vector<Xapian::Query> parts = {RankedAtLeast(ranked, *required, built_in)};
  parts.insert(parts.end(), roles.weight_only.begin(), roles.weight_only.end());
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, parts.begin(), parts.end());
}

// The consecutive query words of one chain, which rank higher where they
// are adjacent in the text.
std::vector<std::vector<std::string>> AdjacentPairs(const std::vector<QueryWord>& words) {
  std::vector<std::vector<std::string>> pairs;
  for (size_t q = 1; q < words.size(); ++q) {
    if (words[q - 1].chain == words[q].chain) pairs.push_back({words[q - 1].folded, words[q].folded});
  }
  return pairs;
}

// `query`, ranked higher where two consecutive query words are adjacent in
// the text, of the articles of `window`.
Xapian::Query WithAdjacencyBoosts(const Xapian::Database& db, const std::vector<QueryWord>& words,
                                  const Xapian::Query& query,
                                  const std::shared_ptr<const MapWindow>& window) {
  std::vector<Xapian::Query> boosted = {query};
  for (const auto& pair : AdjacentPairs(words)) boosted.push_back(AdjacencyBoost(pair, &db, window));
  if (boosted.size() == 1) return query;
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, boosted.begin(), boosted.end());
}

// A search for evidence: the articles `match` finds. Its candidates are
// its kCandidates best by BM25 (`weigh`), or the first found; the best of
// them are those where the query's words weigh most by BM25, and, with
// `adjacency`, where consecutive query words stand together.
struct Search {
  Xapian::Query match;
  bool weigh = true;
  bool adjacency = false;
  // What `match` required: on remote shards, `match` is of Xapian's own
  // parts, which may match more (remote_ranking.h).
  MatchTree required;
};

// A phrase of common words ("thoi gian") is in thousands of articles, and
// ranking them all took a position check in each: most of the cost of a
// suggestion. The first ones in docid order are found without weighing
// anything, which stops the matcher early, and only those are ranked. 200
// restored as many benchmark queries as ranking all, 500 and 1000 did.
// Adjacency boosts, too, read a position map an article: they weigh only
// the candidates, whose maps are read once (map_window.h).
constexpr Xapian::doccount kCandidates = 200;

// The best `count` articles for `query` by BM25, or, unless `weigh`, the
// first found; checking at least `check` matches.
std::vector<Xapian::docid> Ranked(const Xapian::Database& db, const Xapian::Query& query,
                                  bool weigh, Xapian::doccount count,
                                  Xapian::doccount check = 0) {
  Xapian::Enquire enquire(db);
  if (weigh) {
    enquire.set_weighting_scheme(Xapian::BM25Weight());
  } else {
    enquire.set_weighting_scheme(MatchOnlyWeight());  // not BoolWeight: see the header
  }
  enquire.set_query(query);
  std::vector<Xapian::docid> ranked;
  for (Xapian::docid id : enquire.get_mset(0, count, check)) ranked.push_back(id);
  return ranked;
}

// Ranked() on a database with remote shards: `search`'s built-in match,
// keeping what it required.
std::vector<Xapian::docid> RankedRemotely(const Xapian::Database& db, const Search& search,
                                          size_t count) {
  const FacetTable no_dates;  // (the trees have no date ranges)
  std::vector<Xapian::docid> ranked;
  if (!search.weigh) {
    MatchCursor cursor(search.required, db, no_dates);
    for (Xapian::docid id = cursor.Next(); id != 0 && ranked.size() < count; id = cursor.Next()) {
      ranked.push_back(id);
    }
    return ranked;
  }
  const std::vector<Xapian::docid> matches = Enumerate(search.required, db, no_dates);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  enquire.set_query(search.match);
  const auto keep = [&](Xapian::docid id) {
    return std::binary_search(matches.begin(), matches.end(), id);
  };
  for (const RankedMatch& match : BestKept(enquire, count, keep)) {
    if (ranked.size() == count) break;
    ranked.push_back(match.id);
  }
  return ranked;
}

// BestMatches' ranking of `found` (sorted) again, on a database with remote
// shards: the words' weights by Xapian, the adjacency boosts' here.
std::vector<Xapian::docid> RankAgainRemotely(const Xapian::Database& db, StoredDataReader& stored,
                                             const std::vector<QueryWord>& words,
                                             const Search& search,
                                             const std::vector<Xapian::docid>& found,
                                             size_t count) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  std::vector<double> weights =
      WeightsOf(enquire, WordsQuery(words, /*any=*/true), found, IdTermsOf(db, stored, found));
  if (search.adjacency) {
    const auto window = ReadWindow(db, found, FoldedKeys(words), 1, 0.5);
    ClientSources sources;
    for (const auto& pair : AdjacentPairs(words)) {
      sources.push_back({AdjacencyBoostSource(pair, window), {}});
    }
    const FacetTable no_dates;
    const std::vector<double> added = ClientWeights(std::move(sources), db, no_dates).Of(found);
    for (size_t i = 0; i < found.size(); ++i) weights[i] += added[i];
  }
  std::vector<size_t> order(found.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return weights[a] > weights[b]; });
  std::vector<Xapian::docid> best;
  for (size_t i = 0; i < std::min(count, order.size()); ++i) best.push_back(found[order[i]]);
  return best;
}

// The best `count` articles for `search`, in no particular order; `remote`:
// the database has remote shards (remote_ranking.h).
std::vector<Xapian::docid> BestMatches(const Xapian::Database& db, StoredDataReader& stored,
                                       const std::vector<QueryWord>& words,
                                       const Search& search, size_t count, bool remote) {
  // Candidates ranked by BM25 alone are already ranked.
  const bool rank_again = search.adjacency || !search.weigh;
  const size_t wanted = rank_again ? kCandidates : count;
  std::vector<Xapian::docid> found =
      remote ? RankedRemotely(db, search, wanted)
             : Ranked(db, search.match, search.weigh, static_cast<Xapian::doccount>(wanted));
  if (found.size() <= count) return found;
  std::sort(found.begin(), found.end());
  if (remote) return RankAgainRemotely(db, stored, words, search, found, count);
  Xapian::Query rank = WordsQuery(words, /*any=*/true);
  if (search.adjacency) {
    // k1 and b as Xapian::BM25Weight's defaults, which rank them.
    const auto window = ReadWindow(db, found, FoldedKeys(words), 1, 0.5);
    rank = WithAdjacencyBoosts(db, words, WordsQuery(words, /*any=*/true, nullptr, &db, window),
                               window);
  }
  return Ranked(db,
                Xapian::Query(Xapian::Query::OP_FILTER, rank,
                              DocidFilter(std::move(found), &db)),
                /*weigh=*/true, static_cast<Xapian::doccount>(count), MatchesToCheck(db));
}

// Reads the title and body of a stored article into `evidence`.
void ReadArticle(const std::string& data, AccentEvidence* evidence) {
  StoredFields fields;
  if (ReadStoredFields(data, &fields)) {
    evidence->Read(fields.title);
    evidence->Read(fields.body);
    return;
  }
  const Article article = ArticleFromJson(data);  // throws the error
  evidence->Read(article.title);
  evidence->Read(article.body);
}

// The query with each restorable word replaced by its choice (or
// lowercased), and the choices; nullopt if that changes no word.
std::optional<AccentSuggestion> Rewrite(std::string_view normalized,
                                        const std::vector<QueryWord>& words,
                                        const AccentEvidence& evidence) {
  AccentSuggestion suggestion;
  std::string& out = suggestion.text;
  size_t copied = 0;
  bool changed = false;
  for (size_t q = 0; q < words.size(); ++q) {
    const Token& token = *words[q].token;
    const std::string typed =
        Lowercase(normalized.substr(token.begin, token.end - token.begin));
    const std::optional<AccentEvidence::Choice> choice = evidence.Choose(q);
    out.append(normalized.substr(copied, token.begin - copied));
    out += choice ? choice->spelling : typed;
    if (choice) {
      changed |= choice->spelling != typed;
      suggestion.spellings.push_back({token.begin, choice->exact});
    }
    copied = token.end;
  }
  if (!changed) return std::nullopt;
  out.append(normalized.substr(copied));
  return suggestion;
}

}  // namespace

std::optional<AccentSuggestion> SuggestAccents(const Xapian::Database& db,
                                               StoredDataReader& stored,
                                               const ParsedQuery& query,
                                               size_t max_documents, bool remote) {
  if (query.typed_diacritics) return std::nullopt;
  const std::vector<QueryWord> words = WordReader().Read(query.root);
  if (words.empty()) return std::nullopt;
  std::vector<EvidenceWord> evidence_words;
  for (const QueryWord& word : words) evidence_words.push_back({word.folded, word.chain});
  // Articles having the query as written are the best evidence, and
  // suffice: their runs span every word, so shorter runs elsewhere could
  // not change a choice. Else those having all the words, else any.
  // The sampled phrase articles all hold the phrase: ranked by the words'
  // weight without checking their positions again (a position map read
  // each). A phrase of one word needs no position checks, and ranking all
  // its articles costs little more than sampling them.
  Search searches[3];
  searches[0].match = ChainsQuery(words, remote, &searches[0].required);
  searches[0].weigh = words.size() == 1;
  searches[1].match = WordsQuery(words, /*any=*/false, &searches[1].required);
  searches[2].match = AnyWordsQuery(db, words, remote, &searches[2].required);
  searches[1].adjacency = searches[2].adjacency = true;
  for (const Search& search : searches) {
    AccentEvidence evidence(evidence_words);
    for (Xapian::docid id : BestMatches(db, stored, words, search, max_documents, remote)) {
      ReadArticle(stored.Read(db.get_document(id, Xapian::DOC_ASSUME_VALID)),
                  &evidence);
    }
    // Matches only in lines without diacritics are no evidence either.
    if (evidence.saw_any()) return Rewrite(query.normalized, words, evidence);
  }
  return std::nullopt;
}

std::optional<std::string> SuggestAccents(const Xapian::Database& db,
                                          std::string_view query_text,
                                          size_t max_documents) {
  StoredDataReader stored(db);
  std::optional<AccentSuggestion> suggestion =
      SuggestAccents(db, stored, ParseQuery(query_text), max_documents);
  if (!suggestion) return std::nullopt;
  return std::move(suggestion->text);
}

}  // namespace tim
