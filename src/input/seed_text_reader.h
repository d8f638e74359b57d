// seed_text_reader.h: a seed text file, one article: an optional "date
// YYYY-MM-DD" header line, then the text. Internal to src/input.
#ifndef TIM_SRC_INPUT_SEED_TEXT_READER_H_
#define TIM_SRC_INPUT_SEED_TEXT_READER_H_

#include "input/input_stream.h"
#include "input/record_context.h"

namespace tim::input {

// Reads the whole of `reader` as one article into `context`'s sink.
void ReadSeedFile(LineReader& reader, const Context& context);

}  // namespace tim::input

#endif  // TIM_SRC_INPUT_SEED_TEXT_READER_H_
