#include "io/safetensors.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

using nlohmann::json;

// The LibTorch type of each dtype name; sizes come from io/safetensors_header.h.
struct DtypeInfo {
  const char* name;
  torch::ScalarType type;
};

const DtypeInfo kDtypes[] = {
    {"F64", torch::kFloat64},   {"F32", torch::kFloat32}, {"F16", torch::kFloat16},
    {"BF16", torch::kBFloat16}, {"I64", torch::kInt64},   {"I32", torch::kInt32},
    {"I16", torch::kInt16},     {"I8", torch::kInt8},     {"U8", torch::kUInt8},
    {"BOOL", torch::kBool},
};

const DtypeInfo* dtypeByName(const std::string& name) {
  for (const auto& info : kDtypes)
    if (name == info.name) return &info;
  return nullptr;
}

const DtypeInfo& dtypeByType(torch::ScalarType type) {
  for (const auto& info : kDtypes)
    if (type == info.type) return info;
  throw Error(std::string("safetensors: cannot store tensors of type ") + c10::toString(type));
}

}  // namespace

SafetensorsReader::SafetensorsReader(const std::string& path) : path_(path) {
  uint64_t fileSize = 0;
  std::ifstream in = openRegularFile(path, "model file", &fileSize);
  std::string lengthBytes(kSafetensorsLengthBytes, '\0');
  in.read(lengthBytes.data(), static_cast<std::streamsize>(lengthBytes.size()));
  lengthBytes.resize(static_cast<size_t>(in.gcount()));
  const uint64_t headerLength = safetensorsHeaderLength(path, lengthBytes, fileSize);
  std::string headerText(headerLength, '\0');
  in.read(headerText.data(), static_cast<std::streamsize>(headerLength));
  if (!in) throw Error(path + ": cannot read the header");
  SafetensorsHeader header = parseSafetensorsHeader(path, headerText, fileSize);
  dataStart_ = header.dataStart;
  entries_ = std::move(header.entries);
  metadata_ = std::move(header.metadata);
  for (size_t i = 0; i < entries_.size(); ++i) index_[entries_[i].name] = i;
}

bool SafetensorsReader::contains(const std::string& name) const {
  return index_.count(name) > 0;
}

const SafetensorsEntry& SafetensorsReader::entry(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) throw Error(path_ + ": no tensor named \"" + name + "\"");
  return entries_[it->second];
}

torch::Tensor SafetensorsReader::read(const std::string& name) const {
  const SafetensorsEntry& e = entry(name);
  const DtypeInfo* info = dtypeByName(e.dtype);
  auto tensor = torch::empty(e.shape, torch::TensorOptions().dtype(info->type));
  std::ifstream in = openRegularFile(path_, "model file");
  in.seekg(static_cast<std::streamoff>(dataStart_ + e.begin));
  in.read(static_cast<char*>(tensor.data_ptr()), static_cast<std::streamsize>(e.end - e.begin));
  if (!in)
    throw Error(path_ + ": tensor \"" + name +
                "\": cannot read its bytes (file changed or truncated?)");
  return tensor;
}

NamedTensors readSafetensors(const std::string& path) {
  SafetensorsReader reader(path);
  NamedTensors tensors;
  for (const auto& e : reader.entries()) tensors.emplace_back(e.name, reader.read(e.name));
  return tensors;
}

void writeSafetensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata,
                      std::optional<torch::ScalarType> storeAs) {
  std::vector<torch::Tensor> payloads;
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    if (header.contains(name)) throw Error(path + ": tensor name \"" + name + "\" given twice");
    torch::Tensor t = tensor.detach().to(torch::kCPU);
    if (storeAs && t.is_floating_point()) t = t.to(*storeAs);
    t = t.contiguous();
    const DtypeInfo& info = dtypeByType(t.scalar_type());
    const uint64_t bytes = static_cast<uint64_t>(t.numel()) * safetensorsDtypeBytes(info.name);
    header[name] = {{"dtype", info.name},
                    {"shape", t.sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    payloads.push_back(t);
  }
  std::string headerText = header.dump();
  // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
  headerText.append((8 - headerText.size() % 8) % 8, ' ');
  unsigned char lengthBytes[kSafetensorsLengthBytes];
  uint64_t length = headerText.size();
  for (size_t i = 0; i < kSafetensorsLengthBytes; ++i)
    lengthBytes[i] = static_cast<unsigned char>((length >> (8 * i)) & 0xff);

  writeFileAtomically(path, [&](const std::function<void(const void*, size_t)>& append) {
    append(lengthBytes, kSafetensorsLengthBytes);
    append(headerText.data(), headerText.size());
    for (const auto& t : payloads)
      append(t.data_ptr(), static_cast<size_t>(t.numel()) * t.element_size());
  });
}

}  // namespace bertwb
