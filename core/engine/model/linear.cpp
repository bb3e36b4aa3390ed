#include "model/linear.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace bertwb {
namespace {

// The CPU autocast state: whether it is on, and its dtype (the 2.4+ API is device-typed).
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool cpuAutocastOn() {
  return at::autocast::is_autocast_enabled(at::kCPU);
}
at::ScalarType cpuAutocastDtype() {
  return at::autocast::get_autocast_dtype(at::kCPU);
}
#else
bool cpuAutocastOn() {
  return at::autocast::is_cpu_enabled();
}
at::ScalarType cpuAutocastDtype() {
  return at::autocast::get_autocast_cpu_dtype();
}
#endif

}  // namespace

torch::Tensor linearForward(const torch::Tensor& input, const torch::Tensor& weight,
                            const torch::Tensor& bias) {
  if (bias.defined() && input.is_cpu() && cpuAutocastOn()) {
    // .to() keeps the bias's gradient flowing to its fp32 master copy.
    return torch::nn::functional::linear(input, weight, bias.to(cpuAutocastDtype()));
  }
  return torch::nn::functional::linear(input, weight, bias);
}

}  // namespace bertwb
