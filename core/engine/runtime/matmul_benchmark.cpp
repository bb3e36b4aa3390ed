#include "runtime/matmul_benchmark.h"

#include <torch/types.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "util/error.h"

namespace bertwb {
namespace {

// One dense layer of BERT-Base on a batch of 8 × 128 tokens: (B·S, H) × (H, H).
constexpr int64_t kTokenRows = 1024;
constexpr int64_t kHiddenWidth = 768;
// sgemm's speed does not depend on the values, only that they are ordinary (not denormal).
constexpr float kFillValue = 0.5f;
// The first call pays for thread-pool start-up and page faults; it is not timed.
constexpr int kWarmUpCalls = 1;
// Enough calls to smooth out scheduling noise while keeping the whole probe well under a second.
constexpr int kTimedCalls = 5;
// A multiply-add counts as two floating point operations.
constexpr double kFlopsPerMultiplyAdd = 2.0;
constexpr double kFlopsPerGflop = 1e9;

// The rate is a property of the machine, so one measurement serves every wizard the
// process opens; the mutex also keeps two wizards from measuring at the same time (they
// would slow each other down and both get a wrong number).
struct MeasuredRate {
  std::mutex mutex;
  std::optional<double> gflops;
};

MeasuredRate& measuredRate() {
  static MeasuredRate rate;
  return rate;
}

}  // namespace

std::optional<double> cachedMatmulGflops() {
  MeasuredRate& rate = measuredRate();
  std::lock_guard<std::mutex> lock(rate.mutex);
  return rate.gflops;
}

double measureMatmulGflops(const CancelFlag* cancel) {
  MeasuredRate& rate = measuredRate();
  std::lock_guard<std::mutex> lock(rate.mutex);
  if (rate.gflops) return *rate.gflops;

  torch::NoGradGuard noGrad;
  const torch::Tensor activations =
      torch::full({kTokenRows, kHiddenWidth}, kFillValue);                             // (B·S, H)
  const torch::Tensor weight = torch::full({kHiddenWidth, kHiddenWidth}, kFillValue);  // (H, H)
  torch::Tensor product;
  using Clock = std::chrono::steady_clock;
  double bestSeconds = 0;
  for (int call = 0; call < kWarmUpCalls + kTimedCalls; ++call) {
    if (cancel && cancel->isRequested()) throw Cancelled();
    const auto start = Clock::now();
    product = torch::mm(activations, weight);  // (B·S, H)
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    // The fastest call is what the hardware can do; slower ones met other programs.
    if (call >= kWarmUpCalls)
      bestSeconds = bestSeconds == 0 ? seconds : std::min(bestSeconds, seconds);
  }
  const double flopsPerCall =
      kFlopsPerMultiplyAdd * static_cast<double>(kTokenRows) * kHiddenWidth * kHiddenWidth;
  if (!(bestSeconds > 0))
    throw Error("the matmul benchmark measured no time; cannot estimate the speed");
  rate.gflops = flopsPerCall / bestSeconds / kFlopsPerGflop;
  return *rate.gflops;
}

}  // namespace bertwb
