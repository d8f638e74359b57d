// stored_fields_reader.h: the fields of a stored article that a search hit shows,
// read straight from its JSON (ToJson(Article)).
//
// A hit needs five strings of the document; building the whole JSON value
// (every character pushed into a string, the extra fields re-serialized)
// cost about as much as the snippet. This reader scans the text once,
// copies only the wanted strings and skips everything else.
#ifndef TIM_SRC_INDEX_STORED_FIELDS_READER_H_
#define TIM_SRC_INDEX_STORED_FIELDS_READER_H_

#include <string>
#include <string_view>

namespace tim {

struct StoredFields {
  std::string id;
  std::string title;
  std::string source;
  std::string date;  // as stored: "YYYY[-MM[-DD]]", or "" when none
  std::string body;
  bool date_inferred = false;
};

// Reads the top-level "id", "title", "source", "date", "body" and
// "date_inferred" of `json`, a JSON object; a field that is absent or not
// of its type is left empty (false). Returns false if `json` is not a
// well-formed object, leaving `fields` unspecified.
bool ReadStoredFields(std::string_view json, StoredFields* fields);

// Only the "id" of `json`, as ReadStoredFields reads it.
bool ReadStoredId(std::string_view json, std::string* id);

}  // namespace tim

#endif  // TIM_SRC_INDEX_STORED_FIELDS_READER_H_
