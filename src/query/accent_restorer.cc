#include "query/accent_restorer.h"

#include <utility>
#include <vector>

#include "index/stored_fields_reader.h"
#include "query/accent_evidence.h"
#include "query/docid_filter.h"
#include "query/match_only_weight.h"
#include "query/phrase_query.h"
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

// The query's words as phrases, one per chain, all of them required.
Xapian::Query ChainsQuery(const std::vector<QueryWord>& words) {
  std::vector<Xapian::Query> phrases;
  std::vector<std::string> chain;
  auto flush = [&] {
    if (chain.empty()) return;
    phrases.push_back(PhraseQuery(chain));
    chain.clear();
  };
  for (size_t q = 0; q < words.size(); ++q) {
    if (!chain.empty() && words[q].chain != words[q - 1].chain) flush();
    chain.push_back(words[q].folded);
  }
  flush();
  return Xapian::Query(Xapian::Query::OP_AND, phrases.begin(), phrases.end());
}

// All the words (or, with `any`, any of them).
Xapian::Query WordsQuery(const std::vector<QueryWord>& words, bool any) {
  std::vector<Xapian::Query> terms;
  for (const QueryWord& word : words) terms.emplace_back(word.folded);
  return Xapian::Query(any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND, terms.begin(),
                       terms.end());
}

// `query`, ranked higher where two consecutive query words are adjacent in
// the text.
Xapian::Query WithAdjacencyBoosts(const std::vector<QueryWord>& words,
                                  const Xapian::Query& query) {
  std::vector<Xapian::Query> boosted = {query};
  const QueryWord* previous = nullptr;
  for (const QueryWord& word : words) {
    if (previous && previous->chain == word.chain) {
      boosted.push_back(AdjacencyBoost({previous->folded, word.folded}));
    }
    previous = &word;
  }
  if (boosted.size() == 1) return query;
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, boosted.begin(), boosted.end());
}

// A search for evidence: the articles `match` finds, ranked by `rank`
// (which finds the same ones). With `sample`, only the first
// kSampledDocuments that `match` finds are ranked.
struct Search {
  Xapian::Query match;
  Xapian::Query rank;
  bool sample = false;
};

// A phrase of common words ("thoi gian") is in thousands of articles, and
// ranking them all took a position check in each: most of the cost of a
// suggestion. The first ones in docid order are found without weighing
// anything, which stops the matcher early, and only those are ranked. 200
// restored as many benchmark queries as ranking all, 500 and 1000 did.
constexpr Xapian::doccount kSampledDocuments = 200;

std::vector<Xapian::docid> Ranked(Xapian::Enquire& enquire, const Xapian::Query& query,
                                  size_t count) {
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  enquire.set_query(query);
  std::vector<Xapian::docid> ranked;
  for (Xapian::docid id : enquire.get_mset(0, static_cast<Xapian::doccount>(count))) {
    ranked.push_back(id);
  }
  return ranked;
}

// The best `count` articles for `search`, in no particular order.
std::vector<Xapian::docid> BestMatches(const Xapian::Database& db, const Search& search,
                                       size_t count) {
  Xapian::Enquire enquire(db);
  if (!search.sample) return Ranked(enquire, search.rank, count);
  enquire.set_weighting_scheme(MatchOnlyWeight());  // not BoolWeight: see the header
  enquire.set_query(search.match);
  std::vector<Xapian::docid> found;
  for (Xapian::docid id : enquire.get_mset(0, kSampledDocuments)) found.push_back(id);
  if (found.size() <= count) return found;
  return Ranked(enquire,
                Xapian::Query(Xapian::Query::OP_FILTER, search.rank,
                              DocidFilter(std::move(found))),
                count);
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
                                               size_t max_documents) {
  const std::vector<QueryWord> words = WordReader().Read(query.root);
  if (words.empty()) return std::nullopt;
  for (const QueryWord& word : words) {
    if (word.token->exact != word.token->folded) return std::nullopt;
  }
  std::vector<EvidenceWord> evidence_words;
  for (const QueryWord& word : words) evidence_words.push_back({word.folded, word.chain});
  // Articles having the query as written are the best evidence, and
  // suffice: their runs span every word, so shorter runs elsewhere could
  // not change a choice. Else those having all the words, else any. (The
  // adjacency boosts of the second query cost a few times more than the
  // phrase, measured on the news corpus: hence this order.)
  const Xapian::Query phrase = ChainsQuery(words);
  const Xapian::Query all = WordsQuery(words, false);
  const Xapian::Query any = WordsQuery(words, true);
  // A phrase of one word needs no position checks, and ranking all its
  // articles costs little more than sampling them. The sampled articles
  // all hold the phrase, so they are ranked by its weight, the AND's,
  // without checking their positions again (a position map read each).
  const Search searches[] = {{phrase, words.size() > 1 ? all : phrase, words.size() > 1},
                             {all, WithAdjacencyBoosts(words, all)},
                             {any, WithAdjacencyBoosts(words, any)}};
  for (const Search& search : searches) {
    AccentEvidence evidence(evidence_words);
    for (Xapian::docid id : BestMatches(db, search, max_documents)) {
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
