#include "input/input_stream.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "tim/error.h"

namespace tim::input {

std::string_view WithoutGz(std::string_view name) {
  if (name.ends_with(".gz")) name.remove_suffix(3);
  return name;
}

std::string FileStem(const std::string& name) {
  if (name == kStdinName) return "stdin";
  return std::filesystem::path(std::string(WithoutGz(name))).stem().string();
}

[[noreturn]] void ThrowIoError(const std::string& path, int error) {
  if (error == ENOENT) {
    throw Error(ErrorCode::kNotFound, "no such file or directory: " + path);
  }
  throw Error(ErrorCode::kIo,
              "cannot read " + path + ": " + std::strerror(error));
}

}  // namespace tim::input
