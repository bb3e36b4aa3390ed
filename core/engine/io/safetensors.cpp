#include "io/safetensors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {
namespace {

using nlohmann::json;

// The format's own cap on the header (safetensors' reference implementation refuses more).
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;
constexpr uint64_t kHeaderLengthBytes = 8;

struct DtypeInfo {
  const char* name;
  torch::ScalarType type;
  uint64_t bytes;
};

const DtypeInfo kDtypes[] = {
    {"F64", torch::kFloat64, 8},   {"F32", torch::kFloat32, 4}, {"F16", torch::kFloat16, 2},
    {"BF16", torch::kBFloat16, 2}, {"I64", torch::kInt64, 8},   {"I32", torch::kInt32, 4},
    {"I16", torch::kInt16, 2},     {"I8", torch::kInt8, 1},     {"U8", torch::kUInt8, 1},
    {"BOOL", torch::kBool, 1},
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

uint64_t readLittleEndian64(const unsigned char* bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | bytes[i];
  return value;
}

// Parses one header entry; `bufferSize` is the byte count after the header.
SafetensorsEntry parseEntry(const std::string& path, const std::string& name, const json& spec,
                            uint64_t bufferSize) {
  const std::string where = path + ": tensor \"" + name + "\"";
  if (!spec.is_object()) throw Error(where + ": header entry is not an object");
  SafetensorsEntry entry;
  entry.name = name;
  auto dtype = spec.find("dtype");
  if (dtype == spec.end() || !dtype->is_string()) throw Error(where + ": missing \"dtype\"");
  entry.dtype = dtype->get<std::string>();
  const DtypeInfo* info = dtypeByName(entry.dtype);
  if (!info) throw Error(where + ": unsupported dtype \"" + entry.dtype + "\"");

  auto shape = spec.find("shape");
  if (shape == spec.end() || !shape->is_array()) throw Error(where + ": missing \"shape\"");
  // Element count with overflow checks: a hostile shape must not wrap around to a small number.
  uint64_t elements = 1;
  const uint64_t maxElements = bufferSize / info->bytes + 1;
  for (const auto& dim : *shape) {
    if (!dim.is_number_unsigned())
      throw Error(where + ": shape " + shape->dump() + " holds a non-integer or negative size");
    uint64_t size = dim.get<uint64_t>();
    if (size > static_cast<uint64_t>(INT64_MAX))
      throw Error(where + ": shape " + shape->dump() + " is absurdly large");
    entry.shape.push_back(static_cast<int64_t>(size));
    if (size != 0 && elements > maxElements / size) {
      throw Error(where + ": shape " + shape->dump() + " needs more bytes than the file holds (" +
                  std::to_string(bufferSize) + " bytes of data)");
    }
    elements *= size;
  }

  auto offsets = spec.find("data_offsets");
  if (offsets == spec.end() || !offsets->is_array() || offsets->size() != 2 ||
      !(*offsets)[0].is_number_unsigned() || !(*offsets)[1].is_number_unsigned()) {
    throw Error(where + ": \"data_offsets\" must be two non-negative integers");
  }
  entry.begin = (*offsets)[0].get<uint64_t>();
  entry.end = (*offsets)[1].get<uint64_t>();
  if (entry.begin > entry.end)
    throw Error(where + ": data_offsets " + offsets->dump() + " end before they begin");
  if (entry.end > bufferSize) {
    throw Error(where + ": data_offsets " + offsets->dump() + " run past the end of the data (" +
                std::to_string(bufferSize) + " bytes; is the file truncated?)");
  }
  if (elements > maxElements || elements * info->bytes != entry.end - entry.begin) {
    throw Error(where + ": dtype " + entry.dtype + " × shape " + shape->dump() + " = " +
                std::to_string(elements * info->bytes) + " bytes, but data_offsets hold " +
                std::to_string(entry.end - entry.begin));
  }
  return entry;
}

}  // namespace

SafetensorsReader::SafetensorsReader(const std::string& path) : path_(path) {
  std::error_code ec;
  const uint64_t fileSize = std::filesystem::file_size(path, ec);
  if (ec) throw Error("cannot open '" + path + "': " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open '" + path + "'");
  if (fileSize < kHeaderLengthBytes) {
    throw Error(path + ": only " + std::to_string(fileSize) +
                " bytes, too short to be a safetensors file");
  }
  unsigned char lengthBytes[kHeaderLengthBytes];
  in.read(reinterpret_cast<char*>(lengthBytes), kHeaderLengthBytes);
  const uint64_t headerLength = readLittleEndian64(lengthBytes);
  if (headerLength > fileSize - kHeaderLengthBytes) {
    throw Error(path + ": header length " + std::to_string(headerLength) +
                " runs past the end of the file (" + std::to_string(fileSize) +
                " bytes; truncated or not a safetensors file)");
  }
  if (headerLength > kMaxHeaderBytes) {
    throw Error(path + ": header length " + std::to_string(headerLength) +
                " exceeds the 100 MB limit");
  }
  std::string headerText(headerLength, '\0');
  in.read(headerText.data(), static_cast<std::streamsize>(headerLength));
  if (!in) throw Error(path + ": cannot read the header");
  dataStart_ = kHeaderLengthBytes + headerLength;
  const uint64_t bufferSize = fileSize - dataStart_;

  json header;
  if (jsonTooDeepAt(headerText))
    throw Error(path + ": header nests deeper than " + std::to_string(kJsonMaxDepth) +
                " levels (no model's does; the file is damaged or hostile)");
  try {
    header = json::parse(headerText);  // its depth was checked just above
  } catch (const json::parse_error& e) {
    throw Error(path + ": header is not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  if (!header.is_object()) throw Error(path + ": header is not a JSON object");

  for (const auto& [name, spec] : header.items()) {
    if (name == "__metadata__") {
      if (!spec.is_object()) throw Error(path + ": __metadata__ is not an object");
      for (const auto& [key, value] : spec.items())
        metadata_[key] = value.is_string() ? value.get<std::string>() : value.dump();
      continue;
    }
    entries_.push_back(parseEntry(path, name, spec, bufferSize));
  }
  // File order = data order, which is also what makes the overlap check a single pass.
  std::sort(entries_.begin(), entries_.end(),
            [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
              return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
            });
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (i > 0 && entries_[i].begin < entries_[i - 1].end) {
      throw Error(path + ": tensor \"" + entries_[i].name + "\" overlaps tensor \"" +
                  entries_[i - 1].name + "\" in the data buffer");
    }
    index_[entries_[i].name] = i;
  }
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
  std::ifstream in(path_, std::ios::binary);
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
    const uint64_t bytes = static_cast<uint64_t>(t.numel()) * info.bytes;
    header[name] = {{"dtype", info.name},
                    {"shape", t.sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    payloads.push_back(t);
  }
  std::string headerText = header.dump();
  // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
  headerText.append((8 - headerText.size() % 8) % 8, ' ');
  unsigned char lengthBytes[kHeaderLengthBytes];
  uint64_t length = headerText.size();
  for (size_t i = 0; i < kHeaderLengthBytes; ++i)
    lengthBytes[i] = static_cast<unsigned char>((length >> (8 * i)) & 0xff);

  writeFileAtomically(path, [&](const std::function<void(const void*, size_t)>& append) {
    append(lengthBytes, kHeaderLengthBytes);
    append(headerText.data(), headerText.size());
    for (const auto& t : payloads)
      append(t.data_ptr(), static_cast<size_t>(t.numel()) * t.element_size());
  });
}

}  // namespace bertwb
