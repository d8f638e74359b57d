// cites.h: the news agencies and publications an article credits or cites,
// found at the places Vietnamese news names them:
//
//   photo credits      "- Ảnh: REUTERS", "(Ảnh: RBC)", "Ảnh minh họa: AFP",
//                      "Nguồn hình ảnh, EPA-EFE/REX/Shutterstock"
//   "theo" credits     "Theo Reuters, ...", "(theo AP, AFP)", "Theo Daily Mail"
//   media nouns        "tờ Axios", "báo Kommersant", "hãng tin AFP",
//                      "hãng thông tấn TASS", "kênh CNN", "tạp chí Time"
//
// Precision matters more than recall. Photo credits and "theo" inside a
// sentence only yield names of the alias file (data/source_aliases.tsv), as
// photographers and ministries stand there too ("Ảnh: Tuấn Anh", "Theo Bộ Y
// tế"). After a media noun, and in a closing "(theo ...)" credit, a name the
// file does not know is kept too if it looks like a foreign title
// (capitalized words in Latin letters without Vietnamese diacritics, not a
// country or a platform): so "tờ Marca" counts, "kênh Nhiêu Lộc" (a canal),
// "báo Mỹ" and "kênh YouTube" do not.
#ifndef TIM_SRC_TEXT_CITES_H_
#define TIM_SRC_TEXT_CITES_H_

#include <string>
#include <string_view>
#include <vector>

namespace tim {

// The cited organisations in `text` (NFC, as NormalizeText returns), by
// canonical display name (CanonicalSource), each once, in order of first
// mention. A compound credit is split at "/" unless the alias file knows it
// whole: "EPA-EFE/REX/Shutterstock" -> EPA, Shutterstock; "AFP/TTXVN" ->
// AFP, TTXVN. Linear in the length of the text.
std::vector<std::string> ExtractCites(std::string_view text);

}  // namespace tim

#endif  // TIM_SRC_TEXT_CITES_H_
