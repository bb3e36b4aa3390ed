#include "io/safetensors_header.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {
namespace {

using nlohmann::json;

struct DtypeSize {
  const char* name;
  uint64_t bytes;
};

const DtypeSize kDtypeSizes[] = {{"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},
                                 {"I32", 4}, {"I16", 2}, {"I8", 1},  {"U8", 1},   {"BOOL", 1}};

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
  const uint64_t elementBytes = safetensorsDtypeBytes(entry.dtype);
  if (elementBytes == 0) throw Error(where + ": unsupported dtype \"" + entry.dtype + "\"");

  auto shape = spec.find("shape");
  if (shape == spec.end() || !shape->is_array()) throw Error(where + ": missing \"shape\"");
  // Element count with overflow checks: a hostile shape must not wrap around to a small number.
  uint64_t elements = 1;
  const uint64_t maxElements = bufferSize / elementBytes + 1;
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
  if (elements > maxElements || elements * elementBytes != entry.end - entry.begin) {
    throw Error(where + ": dtype " + entry.dtype + " × shape " + shape->dump() + " = " +
                std::to_string(elements * elementBytes) + " bytes, but data_offsets hold " +
                std::to_string(entry.end - entry.begin));
  }
  return entry;
}

}  // namespace

uint64_t safetensorsDtypeBytes(const std::string& dtype) {
  for (const DtypeSize& size : kDtypeSizes)
    if (dtype == size.name) return size.bytes;
  return 0;
}

uint64_t safetensorsHeaderLength(const std::string& path, std::string_view firstBytes,
                                 uint64_t fileSize) {
  if (fileSize < kSafetensorsLengthBytes || firstBytes.size() < kSafetensorsLengthBytes) {
    throw Error(path + ": only " + std::to_string(fileSize) +
                " bytes, too short to be a safetensors file");
  }
  const uint64_t headerLength =
      readLittleEndian64(reinterpret_cast<const unsigned char*>(firstBytes.data()));
  if (headerLength > fileSize - kSafetensorsLengthBytes) {
    throw Error(path + ": header length " + std::to_string(headerLength) +
                " runs past the end of the file (" + std::to_string(fileSize) +
                " bytes; truncated or not a safetensors file)");
  }
  if (headerLength > kSafetensorsMaxHeaderBytes) {
    throw Error(path + ": header length " + std::to_string(headerLength) +
                " exceeds the 100 MB limit");
  }
  return headerLength;
}

SafetensorsHeader parseSafetensorsHeader(const std::string& path, std::string_view headerText,
                                         uint64_t fileSize) {
  SafetensorsHeader header;
  header.dataStart = kSafetensorsLengthBytes + headerText.size();
  if (header.dataStart > fileSize) throw Error(path + ": the header runs past the end of the file");
  const uint64_t bufferSize = fileSize - header.dataStart;

  if (jsonTooDeepAt(headerText))
    throw Error(path + ": header nests deeper than " + std::to_string(kJsonMaxDepth) +
                " levels (no model's does; the file is damaged or hostile)");
  json root;
  try {
    root = json::parse(headerText);  // its depth was checked just above
  } catch (const json::parse_error& e) {
    throw Error(path + ": header is not valid JSON (" + jsonErrorText(e) + ")");
  } catch (const json::out_of_range& e) {  // a number no double holds ("1e999")
    throw Error(path + ": header is not valid JSON (a number out of range)");
  }
  if (!root.is_object()) throw Error(path + ": header is not a JSON object");

  for (const auto& [name, spec] : root.items()) {
    if (name == "__metadata__") {
      if (!spec.is_object()) throw Error(path + ": __metadata__ is not an object");
      for (const auto& [key, value] : spec.items())
        header.metadata[key] = value.is_string() ? value.get<std::string>() : value.dump();
      continue;
    }
    header.entries.push_back(parseEntry(path, name, spec, bufferSize));
  }
  // File order = data order, which is also what makes the overlap check a single pass.
  std::sort(header.entries.begin(), header.entries.end(),
            [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
              return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
            });
  for (size_t i = 1; i < header.entries.size(); ++i) {
    if (header.entries[i].begin < header.entries[i - 1].end) {
      throw Error(path + ": tensor \"" + header.entries[i].name + "\" overlaps tensor \"" +
                  header.entries[i - 1].name + "\" in the data buffer");
    }
  }
  return header;
}

}  // namespace bertwb
