// accent_evidence.h: how articles write the words of a query typed without
// diacritics, read from their text (steps 2 and 3 of accent_restorer.h).
//
// Every maximal run of consecutive tokens whose folded keys equal
// consecutive query words is found ("đàm phán hòa bình" in a text matches
// all four words of "dam phan hoa binh" as one run of length 4). A run
// breaks at a line break and at . ! ? ("bình. Đàm" is not a run), not at
// commas, colons, quotes or dashes, and only covers words of one chain (a
// stretch of the query without syntax between its words). Lines mostly
// without diacritics (a reader's comment quoted as typed) are skipped:
// they would vote "thang" where the language has "tháng".
//
// At each query word, the exact key seen in the longest run wins; among
// keys seen in equally long runs, the one seen in the most runs that long,
// then in the most runs of any length. Context decides: "co" alone is most
// often "có", but in "chuyen co tich" the run "chuyện cổ tích" decides for
// "cổ". (Weighing runs by length instead, 2^(L-1) to 16^(L-1), restored no
// more held-out queries and fewer known ones in the benchmark.) The
// winning key is shown in its most frequent lowercase spelling in the
// text, so tone placement and i/y follow the articles (hòa or hoà,
// whichever they mostly write).
#ifndef TIM_SRC_QUERY_ACCENT_EVIDENCE_H_
#define TIM_SRC_QUERY_ACCENT_EVIDENCE_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tim {

// `text` in lowercase (ICU's root locale), as suggestions are shown.
std::string Lowercase(std::string_view text);

// A query word to restore.
struct EvidenceWord {
  std::string folded;  // its folded key
  int chain = 0;       // runs only cover consecutive words of one chain
};

// What articles show of the query's words. Not thread-safe.
class AccentEvidence {
 public:
  explicit AccentEvidence(std::vector<EvidenceWord> words);
  ~AccentEvidence();
  AccentEvidence(const AccentEvidence&) = delete;
  AccentEvidence& operator=(const AccentEvidence&) = delete;

  // Counts the runs of `text` (normalized: a title or a body).
  void Read(std::string_view text);

  // True if any word was seen in a line that counts.
  bool saw_any() const;

  struct Choice {
    std::string exact;     // the winning exact key
    std::string spelling;  // as the text mostly writes it, lowercase
  };
  // The choice for word `q`, or nullopt if it was never seen.
  std::optional<Choice> Choose(size_t q) const;

 private:
  class Scanner;
  std::unique_ptr<Scanner> scanner_;
};

}  // namespace tim

#endif  // TIM_SRC_QUERY_ACCENT_EVIDENCE_H_
