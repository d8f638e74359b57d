// json_lines_reader.h: a JSON Lines file, one article a line (the fields
// users give, HTML entities decoded, the id defaulted to FILE:LINE).
// Internal to src/input.
#ifndef TIM_SRC_INPUT_JSON_LINES_READER_H_
#define TIM_SRC_INPUT_JSON_LINES_READER_H_

#include "input/input_stream.h"
#include "input/record_context.h"

namespace tim::input {

// Reads every line of `reader` into `context`'s sink.
void ReadJsonLinesFile(LineReader& reader, const Context& context);

}  // namespace tim::input

#endif  // TIM_SRC_INPUT_JSON_LINES_READER_H_
