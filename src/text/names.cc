#include "text/names.h"

#include "text/analyzer.h"

namespace tim {

std::string SourceKey(std::string_view source) {
  std::string key;
  Tokenize(NormalizeText(source), [&](const Token& token) {
    if (!key.empty()) key += ' ';
    key += token.folded;
  });
  return key;
}

}  // namespace tim
