#include "io/npy_writer.h"

#include <cstring>

#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb {
namespace {
// "\x93NUMPY", major 1, minor 0, then a 2-byte little-endian header length.
constexpr char kMagic[] = "\x93NUMPY\x01\x00";
constexpr size_t kMagicBytes = 8;
constexpr size_t kHeaderLengthBytes = 2;
constexpr size_t kAlignment = 64;  // the format pads the whole preamble to a multiple of 64

std::string shapeTuple(const std::vector<int64_t>& shape) {
  std::string tuple = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) tuple += ", ";
    tuple += std::to_string(shape[i]);
  }
  if (shape.size() == 1) tuple += ",";  // a Python 1-tuple
  return tuple + ")";
}
}  // namespace

std::string npyHeaderFloat32(const std::vector<int64_t>& shape, size_t length) {
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";
  const size_t unpadded = kMagicBytes + kHeaderLengthBytes + dict.size() + 1;  // + newline
  const size_t natural = unpadded + (kAlignment - unpadded % kAlignment) % kAlignment;
  if (length != 0 && (length < natural || length % kAlignment != 0))
    throw Error("npy header of " + std::to_string(length) + " bytes cannot hold shape " +
                shapeTuple(shape));
  dict.append((length != 0 ? length : natural) - unpadded, ' ');
  dict += '\n';
  std::string header(kMagic, kMagicBytes);
  header += static_cast<char>(dict.size() & 0xff);
  header += static_cast<char>((dict.size() >> 8) & 0xff);
  return header + dict;
}

void writeNpyFloat32(const std::string& path, const std::vector<int64_t>& shape,
                     const std::vector<float>& values) {
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  if (count != static_cast<int64_t>(values.size()))
    throw Error("'" + path + "': shape " + shapeTuple(shape) + " holds " + std::to_string(count) +
                " values, not " + std::to_string(values.size()));
  static_assert(sizeof(float) == 4, "float32 expected");
  std::string bytes = npyHeaderFloat32(shape);
  const size_t offset = bytes.size();
  bytes.resize(offset + values.size() * sizeof(float));
  std::memcpy(bytes.data() + offset, values.data(),
              values.size() * sizeof(float));  // little-endian host
  writeFileAtomically(path, bytes);
}

}  // namespace bertwb
