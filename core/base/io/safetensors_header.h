#pragma once
// The safetensors header (Hugging Face's format): an 8-byte little-endian length N, then N
// bytes of JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]},
// "__metadata__": {...}}, then the tensors' raw bytes. This is the part of a model file that
// is parsed rather than copied, so it lives here, without LibTorch, where the fuzzer
// (tests/fuzz) can reach it; io/safetensors.h reads the tensors it describes.
//
// Everything is checked before it is trusted: a truncated or hostile header gets an error
// naming the file and the tensor, never a crash or an allocation larger than the file.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bertwb {

struct SafetensorsEntry {
  std::string name;
  std::string dtype;  // "F32", "F16", "BF16", ...
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte range inside the data buffer (after the header)
  uint64_t end = 0;
};

struct SafetensorsHeader {
  uint64_t dataStart = 0;                       // where the data buffer begins in the file
  std::vector<SafetensorsEntry> entries;        // in data order, none overlapping
  std::map<std::string, std::string> metadata;  // non-string values as their JSON text
};

constexpr uint64_t kSafetensorsLengthBytes = 8;
// The format's own cap on the header (safetensors' reference implementation refuses more).
constexpr uint64_t kSafetensorsMaxHeaderBytes = 100ull * 1024 * 1024;

// Bytes per element of a dtype the format names; 0 for one this program does not read.
uint64_t safetensorsDtypeBytes(const std::string& dtype);

// The header length held in the file's first 8 bytes, checked against the file's size and
// the format's cap. Throws bertwb::Error naming `path`.
uint64_t safetensorsHeaderLength(const std::string& path, std::string_view firstBytes,
                                 uint64_t fileSize);

// The tensor table in `headerText` (the N bytes after the length), each entry checked
// against the data buffer that follows (fileSize - 8 - N bytes). Throws bertwb::Error.
SafetensorsHeader parseSafetensorsHeader(const std::string& path, std::string_view headerText,
                                         uint64_t fileSize);

}  // namespace bertwb
