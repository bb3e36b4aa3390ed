#pragma once
// NumPy's .npy format (version 1.0): a magic string, a little header that is a Python dict
// literal ({'descr': '<f4', 'fortran_order': False, 'shape': (N, D), }) padded with spaces
// to a multiple of 64 bytes and ending in a newline, then the data in C order. numpy.load
// reads what this writes. Writes are atomic.
#include <cstdint>
#include <string>
#include <vector>

namespace bertwb {

// The header bytes (magic through the newline) for a float32 array of `shape`. With
// `length`, padded to exactly that many bytes (a multiple of 64, at least the natural length):
// a streamed file reserves room for a header whose shape is known only at the end.
std::string npyHeaderFloat32(const std::vector<int64_t>& shape, size_t length = 0);

// Writes `values` (product(shape) floats, C order) to `path`; throws bertwb::Error naming the
// path when the sizes disagree or the file cannot be written.
void writeNpyFloat32(const std::string& path, const std::vector<int64_t>& shape,
                     const std::vector<float>& values);

}  // namespace bertwb
