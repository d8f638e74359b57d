// format_readers.h: the reader of each input format, called by
// article_files once it has told the format from the file's name and first
// bytes. Internal to src/input.
#ifndef TIM_SRC_INPUT_FORMAT_READERS_H_
#define TIM_SRC_INPUT_FORMAT_READERS_H_

#include "input/input_stream.h"
#include "input/record_context.h"

namespace tim::input {

// A seed text file, one article: an optional "date YYYY-MM-DD" header
// line, then the text. Reads the whole of `reader` as one article into
// `context`'s sink (seed_text_reader.cc).
void ReadSeedFile(LineReader& reader, const Context& context);

// A JSON Lines file, one article a line: the fields users give, HTML
// entities decoded, the id defaulted to FILE:LINE. Reads every line of
// `reader` into `context`'s sink (json_lines_reader.cc).
void ReadJsonLinesFile(LineReader& reader, const Context& context);

}  // namespace tim::input

#endif  // TIM_SRC_INPUT_FORMAT_READERS_H_
