#include "attention/pca_projection.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace bertwb::ui {

namespace {

constexpr int kMaxIterations = 2000;
constexpr double kConvergence = 1e-12;  // squared change of the unit vector between iterations
// An eigenvalue below this share of the total variance is numerical noise: no direction.
constexpr double kNegligibleShare = 1e-10;

using Matrix = std::vector<double>;  // square, row-major

// The dominant eigenvector of the symmetric positive semi-definite `m` (n×n) and its eigenvalue.
double dominantEigenvector(const Matrix& m, int n, std::vector<double>& vector) {
  // A fixed, irregular start: the all-ones vector is orthogonal to everything a centred Gram
  // matrix can produce, so it would never converge there.
  vector.assign(n, 0.0);
  uint32_t state = 12345u;
  for (int i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;  // Numerical Recipes' LCG
    vector[i] = 0.5 + static_cast<double>(state >> 8) / static_cast<double>(1u << 24);
  }
  std::vector<double> next(n);
  double eigenvalue = 0;
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    for (int i = 0; i < n; ++i) {
      double sum = 0;
      for (int j = 0; j < n; ++j) sum += m[static_cast<size_t>(i) * n + j] * vector[j];
      next[i] = sum;
    }
    double norm = 0;
    for (double v : next) norm += v * v;
    norm = std::sqrt(norm);
    if (norm == 0) {
      std::fill(vector.begin(), vector.end(), 0.0);
      return 0;
    }
    double change = 0;
    for (int i = 0; i < n; ++i) {
      next[i] /= norm;
      change += (next[i] - vector[i]) * (next[i] - vector[i]);
    }
    vector.swap(next);
    eigenvalue = norm;
    if (change < kConvergence) break;
  }
  return eigenvalue;
}

void deflate(Matrix& m, int n, const std::vector<double>& vector, double eigenvalue) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      m[static_cast<size_t>(i) * n + j] -= eigenvalue * vector[i] * vector[j];
}

}  // namespace

PcaProjection projectTo2d(const std::vector<float>& rows, int count, int dimension) {
  PcaProjection projection;
  if (count <= 0 || dimension <= 0) return projection;
  const size_t N = static_cast<size_t>(count), D = static_cast<size_t>(dimension);
  // Centre: (N, D) minus the column means.
  std::vector<double> centred(N * D);
  for (size_t d = 0; d < D; ++d) {
    double mean = 0;
    for (size_t i = 0; i < N; ++i) mean += rows[i * D + d];
    mean /= static_cast<double>(N);
    for (size_t i = 0; i < N; ++i) centred[i * D + d] = rows[i * D + d] - mean;
  }
  double total = 0;  // the trace of either matrix: the total sum of squares
  for (double v : centred) total += v * v;

  // Xc^T Xc (D×D) and Xc Xc^T (N×N) share their non-zero eigenvalues; use the smaller.
  const bool gram = N < D;
  const int n = static_cast<int>(gram ? N : D);
  Matrix m(static_cast<size_t>(n) * n, 0.0);
  for (int a = 0; a < n; ++a)
    for (int b = a; b < n; ++b) {
      double sum = 0;
      if (gram)
        for (size_t d = 0; d < D; ++d) sum += centred[a * D + d] * centred[b * D + d];
      else
        for (size_t i = 0; i < N; ++i) sum += centred[i * D + a] * centred[i * D + b];
      m[static_cast<size_t>(a) * n + b] = m[static_cast<size_t>(b) * n + a] = sum;
    }

  std::array<std::vector<double>*, 2> axes = {&projection.firstAxis, &projection.secondAxis};
  std::array<std::vector<double>*, 2> scores = {&projection.x, &projection.y};
  for (int k = 0; k < 2; ++k) {
    std::vector<double> eigenvector;
    const double eigenvalue = dominantEigenvector(m, n, eigenvector);
    deflate(m, n, eigenvector, eigenvalue);
    std::vector<double>& axis = *axes[k];
    axis.assign(D, 0.0);
    scores[k]->assign(N, 0.0);
    if (total <= 0 || eigenvalue <= kNegligibleShare * total) continue;
    projection.explained[k] = eigenvalue / total;
    if (gram) {
      // v = Xc^T u / sqrt(λ): the D-space direction of the Gram eigenvector u.
      const double scale = 1.0 / std::sqrt(eigenvalue);
      for (size_t i = 0; i < N; ++i)
        for (size_t d = 0; d < D; ++d) axis[d] += centred[i * D + d] * eigenvector[i] * scale;
    } else {
      axis = eigenvector;
    }
    const auto largest = std::max_element(
        axis.begin(), axis.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
    if (*largest < 0)
      for (double& v : axis) v = -v;
    for (size_t i = 0; i < N; ++i) {
      double score = 0;
      for (size_t d = 0; d < D; ++d) score += centred[i * D + d] * axis[d];
      (*scores[k])[i] = score;
    }
  }
  return projection;
}

}  // namespace bertwb::ui
