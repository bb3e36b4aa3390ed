#pragma once
// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of
// JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the raw little-endian tensor bytes. Everything read from a file is checked before it
// is trusted: a truncated or hostile file gets an error naming the tensor, never a crash or
// an allocation larger than the file.
#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/safetensors_header.h"

namespace bertwb {

class SafetensorsReader {
 public:
  // Reads and validates the header; tensor bytes are read on demand.
  explicit SafetensorsReader(const std::string& path);

  const std::string& path() const { return path_; }
  const std::vector<SafetensorsEntry>& entries() const { return entries_; }  // file order
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  bool contains(const std::string& name) const;

  // The tensor as stored (dtype and shape), on the CPU.
  torch::Tensor read(const std::string& name) const;

 private:
  const SafetensorsEntry& entry(const std::string& name) const;

  std::string path_;
  uint64_t dataStart_ = 0;
  std::vector<SafetensorsEntry> entries_;
  std::map<std::string, size_t> index_;
  std::map<std::string, std::string> metadata_;
};

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Reads every tensor, in file order.
NamedTensors readSafetensors(const std::string& path);

// Writes tensors atomically (temp file + rename). `storeAs` converts floating tensors
// (kFloat, kHalf or kBFloat16); unset keeps each tensor's dtype.
void writeSafetensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {{"format", "pt"}},
                      std::optional<torch::ScalarType> storeAs = std::nullopt);

}  // namespace bertwb
