// A model file's safetensors header and tensor table (io/safetensors_header.h): the input is
// the whole file. Every entry that is accepted must lie inside the data buffer, in order.
#include <cstdlib>

#include "fuzz_support.h"
#include "io/safetensors_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const std::string_view file = fuzz::bytesOf(data, size);
  fuzz::expectParsedOrRefused([&] {
    const uint64_t length = safetensorsHeaderLength("model.safetensors", file, size);
    const SafetensorsHeader header = parseSafetensorsHeader(
        "model.safetensors", file.substr(kSafetensorsLengthBytes, length), size);
    uint64_t previousEnd = 0;
    for (const SafetensorsEntry& entry : header.entries) {
      if (entry.begin < previousEnd || entry.end < entry.begin ||
          header.dataStart + entry.end > size)
        std::abort();  // an accepted table that would read outside the file
      previousEnd = entry.end;
    }
  });
  return 0;
}
