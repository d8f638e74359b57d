// tim/error.h: the one exception type the tim library throws.
//
// Every failure that crosses the public API is a tim::Error carrying a code a
// program can branch on and a one-line message a person can act on: it names
// the file and line, the argument or the database involved. Xapian and ICU
// exceptions never escape the library.
#ifndef TIM_ERROR_H_
#define TIM_ERROR_H_

#include <stdexcept>
#include <string>

namespace tim {

enum class ErrorCode {
  kInvalidArgument,   // a bad option value, date, query or identifier
  kInvalidInput,      // malformed article data: bad JSON, invalid UTF-8, ...
  kNotFound,          // a database, file or document that does not exist
  kIo,                // reading or writing a file failed
  kDatabaseLocked,    // another writer holds the database
  kCorruption,        // the database cannot be read
  kInternal,          // a bug in tim; please report it
};

// Returns a short stable name for `code` ("invalid_input", ...).
const char* ErrorCodeName(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}

  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace tim

#endif  // TIM_ERROR_H_
