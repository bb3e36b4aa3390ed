#pragma once
// How fast this machine multiplies fp32 matrices, measured once per process with a few
// torch::mm calls shaped like a BERT-Base dense layer. The model wizard turns training FLOPs
// per step into an estimated step time with it. Torch-free header: the UI includes it.
#include <optional>

#include "util/progress.h"

namespace bertwb {

// The measured rate in GFLOP/s, or nothing before the first measurement has finished.
std::optional<double> cachedMatmulGflops();

// Times the matmuls (tens to a few hundred milliseconds; call it off the GUI thread) and
// caches the result; later calls return the cached rate at once. Throws bertwb::Cancelled
// when `cancel` is raised between two calls.
double measureMatmulGflops(const CancelFlag* cancel = nullptr);

}  // namespace bertwb
