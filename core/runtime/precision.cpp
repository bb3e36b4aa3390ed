#include "runtime/precision.h"

#include <ATen/autocast_mode.h>

#include "util/error.h"

namespace bertwb {
namespace {

// LibTorch 2.4 replaced the CUDA-only autocast switches with per-device-type ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
void setCudaAutocast(bool enabled, at::ScalarType dtype) {
  at::autocast::set_autocast_dtype(at::kCUDA, dtype);
  at::autocast::set_autocast_enabled(at::kCUDA, enabled);
}
#else
void setCudaAutocast(bool enabled, at::ScalarType dtype) {
  at::autocast::set_autocast_gpu_dtype(dtype);
  at::autocast::set_enabled(enabled);
}
#endif

}  // namespace

Precision precisionFromName(const std::string& name) {
  if (name == "fp32") return Precision::Fp32;
  if (name == "bf16") return Precision::Bf16;
  if (name == "fp16") return Precision::Fp16;
  throw Error("unknown precision '" + name + "' (expected fp32, bf16 or fp16)");
}

const char* precisionName(Precision precision) {
  switch (precision) {
    case Precision::Fp32: return "fp32";
    case Precision::Bf16: return "bf16";
    case Precision::Fp16: return "fp16";
  }
  return "?";
}

void checkPrecisionSupported(Precision precision, const torch::Device& device) {
  if (precision != Precision::Fp32 && !device.is_cuda()) {
    throw Error(std::string("precision ") + precisionName(precision) +
                " needs a CUDA device; on the CPU training runs in fp32 (use --precision fp32)");
  }
}

AutocastScope::AutocastScope(const torch::Device& device, Precision precision) {
  if (!device.is_cuda() || precision == Precision::Fp32) return;
  setCudaAutocast(true, precision == Precision::Bf16 ? at::kBFloat16 : at::kHalf);
  active_ = true;
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  setCudaAutocast(false, at::kHalf);
  at::autocast::clear_cache();  // cached low-precision weight copies belong to this pass
}

void allowTf32() { at::globalContext().setFloat32MatmulPrecision("high"); }

}  // namespace bertwb
