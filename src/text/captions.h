// captions.h: the photo captions and credit lines of Vietnamese news text,
// which are no title and weigh nothing in ranking (document_builder).
#ifndef TIM_SRC_TEXT_CAPTIONS_H_
#define TIM_SRC_TEXT_CAPTIONS_H_

#include <string_view>

namespace tim {

// True for a photo caption or credit line that should not become a title:
// "... - Ảnh: REUTERS", "(Ảnh: RBC).", "Nguồn hình ảnh, EPA", "Chụp lại hình
// ảnh,", "Ảnh minh họa". `line` is NFC text.
bool IsCaptionLine(std::string_view line);

}  // namespace tim

#endif  // TIM_SRC_TEXT_CAPTIONS_H_
