#pragma once
// A 2-D principal-component projection of N row vectors of dimension D, for the Embedding
// stage's scatter: centre the rows, find the two directions of largest variance, and give
// each row's coordinates along them. Plain C++ (no torch, no Qt) so it is tested on data with
// known answers. The eigenvectors come from power iteration with deflation on the smaller of
// the D×D covariance and the N×N Gram matrix (a few sentences of 768-d vectors: N×N), which
// is exact enough for a picture and needs no linear-algebra library.
#include <array>
#include <vector>

namespace bertwb::ui {

struct PcaProjection {
  std::vector<double> x, y;                   // each row's coordinate on PC1 and PC2
  std::array<double, 2> explained{0, 0};      // share of the total variance on PC1, PC2 (0..1)
  std::vector<double> firstAxis, secondAxis;  // the unit directions in the D-space
};

// `rows`: N×D row-major. Signs are fixed (each axis's largest-magnitude entry is positive) so
// the same data always gives the same picture. N = 0 gives an empty projection; a direction
// with no variance left gives zeros.
PcaProjection projectTo2d(const std::vector<float>& rows, int count, int dimension);

}  // namespace bertwb::ui
