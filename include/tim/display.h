// display.h: text from records (ids, titles, bodies) and from users made
// safe to print on a terminal.
//
// A record's id or title is arbitrary text: printed raw, a newline forges
// extra lines of output ("tim: error: ..."), ESC starts terminal escape
// sequences, and bidi controls reorder what the user reads.
#ifndef TIM_DISPLAY_H_
#define TIM_DISPLAY_H_

#include <string>
#include <string_view>

namespace tim {

enum class DisplayLines {
  kOne,   // everything escaped: one line (ids, titles, error messages)
  kKeep,  // line feeds and tabs kept (an article's body)
};

// `text` with every character that could change what the terminal shows
// written as a visible escape: C0 controls and DEL as \xNN ("\x1b"), C1
// controls and bidi controls (U+061C, U+200E-U+200F, U+202A-U+202E,
// U+2066-U+2069) as \uNNNN, and each byte of invalid UTF-8 as \xNN. Other
// text, Vietnamese included, is unchanged. JSON output needs none of this:
// its strings are escaped by the JSON writer.
std::string DisplayText(std::string_view text, DisplayLines lines = DisplayLines::kOne);

}  // namespace tim

#endif  // TIM_DISPLAY_H_
