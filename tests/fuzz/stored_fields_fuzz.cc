// The stored-field reader on any bytes, checked against nlohmann's parser:
// what one reads as an object the other must accept too.
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "fuzz_input.h"
#include "index/stored_fields_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json = tim::fuzz::AsText(data, size);
  tim::StoredFields fields;
  const bool read = tim::ReadStoredFields(json, &fields);
  std::string id;
  if (tim::ReadStoredId(json, &id) != read && read) std::abort();
  if (read && id != fields.id) std::abort();
  return 0;
}
