// The public face of date_parser: tim::ParseDate for library users and the
// CLI's --from/--to.
#include "text/date_parser.h"
#include "tim/article.h"
#include "tim/error.h"

namespace tim {

Date ParseDate(std::string_view text) {
  std::string error;
  std::optional<Date> date = ParseIsoDate(text, &error);
  if (!date) throw Error(ErrorCode::kInvalidArgument, error);
  return *date;
}

}  // namespace tim
