// fuzz_input.h: what the fuzz targets share.
#ifndef TIM_TESTS_FUZZ_FUZZ_INPUT_H_
#define TIM_TESTS_FUZZ_FUZZ_INPUT_H_

#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>


namespace tim::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A file of this process holding `bytes`, for the readers that take paths;
// named `name` (its extension picks the format) in a directory of its own.
inline std::string WriteInputFile(std::string_view bytes, const std::string& name) {
  static const std::string dir = [] {
    std::string path = "/tmp/tim_fuzz_" + std::to_string(getpid());
    mkdir(path.c_str(), 0700);
    return path;
  }();
  const std::string path = dir + "/" + name;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) std::abort();
  std::fwrite(bytes.data(), 1, bytes.size(), file);
  std::fclose(file);
  return path;
}

}  // namespace tim::fuzz

#endif  // TIM_TESTS_FUZZ_FUZZ_INPUT_H_
