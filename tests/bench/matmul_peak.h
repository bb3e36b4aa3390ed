#pragma once
// The matrix-product peak the benchmarks measure their model FLOP utilisation against: the
// best achieved FLOP/s of square products in one dtype on one device, over a few sizes and
// rounds, so neither a size the BLAS handles badly nor a moment of interference lowers the
// reference. Measured in the same run as the figures it divides.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "runtime/precision.h"

namespace bertwb::bench {

inline void synchronize(const torch::Device& device) {
  // A tiny device-to-host copy waits for queued kernels without needing the CUDA headers.
  if (device.is_cuda()) torch::zeros({1}, torch::TensorOptions().device(device)).cpu();
}

// FLOP/s of an (n×n)·(n×n) product in `precision`'s matrix dtype (fp32, bf16 or fp16).
inline double matmulPeak(const torch::Device& device, Precision precision) {
  const auto options = torch::TensorOptions().device(device).dtype(lowPrecisionDtype(precision));
  double best = 0;
  for (int64_t n : device.is_cuda() ? std::vector<int64_t>{4096, 8192}
                                    : std::vector<int64_t>{1024, 2048, 3072}) {
    const torch::Tensor a = torch::randn({n, n}, options), b = torch::randn({n, n}, options);
    torch::Tensor c = torch::mm(a, b);
    synchronize(device);
    const int repeats = device.is_cuda() ? 50 : 2;
    for (int round = 0; round < 3; ++round) {
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < repeats; ++i) c = torch::mm(a, b);
      synchronize(device);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      best = std::max(best, 2.0 * static_cast<double>(n * n * n) * repeats / seconds);
    }
  }
  return best;
}

// The precisions a benchmark measures by default: fp32, plus bf16 where the device runs it
// natively (elsewhere bf16 is emulated and says nothing about the product).
inline std::vector<Precision> defaultBenchPrecisions(const torch::Device& device) {
  std::vector<Precision> precisions = {Precision::Fp32};
  if (detectPrecisionSupport(device).nativeBf16) precisions.push_back(Precision::Bf16);
  return precisions;
}

// "fp32,bf16" → the precisions, refusing what the device cannot run (resolvePrecision).
inline std::vector<Precision> parseBenchPrecisions(const std::string& list,
                                                   const torch::Device& device) {
  std::vector<Precision> precisions;
  size_t begin = 0;
  while (begin <= list.size()) {
    const size_t end = std::min(list.find(',', begin), list.size());
    if (end > begin)
      precisions.push_back(
          resolvePrecision(precisionRequestFromName(list.substr(begin, end - begin)), device)
              .precision);
    begin = end + 1;
  }
  return precisions;
}

}  // namespace bertwb::bench
