#include "runtime/precision.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "runtime/cpu_features.h"
#include "util/error.h"

#ifdef BERTWB_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace bertwb {
namespace {

// LibTorch 2.4 replaced the per-device autocast switches (set_cpu_enabled, set_enabled for
// CUDA, ...) with device-typed ones; both spellings compile through these four helpers.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool autocastEnabled(bool cuda) {
  return at::autocast::is_autocast_enabled(cuda ? at::kCUDA : at::kCPU);
}
void setAutocastEnabled(bool cuda, bool on) {
  at::autocast::set_autocast_enabled(cuda ? at::kCUDA : at::kCPU, on);
}
at::ScalarType autocastDtype(bool cuda) {
  return at::autocast::get_autocast_dtype(cuda ? at::kCUDA : at::kCPU);
}
void setAutocastDtype(bool cuda, at::ScalarType t) {
  at::autocast::set_autocast_dtype(cuda ? at::kCUDA : at::kCPU, t);
}
#else
bool autocastEnabled(bool cuda) {
  return cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
void setAutocastEnabled(bool cuda, bool on) {
  if (cuda) {
    at::autocast::set_enabled(on);
  } else {
    at::autocast::set_cpu_enabled(on);
  }
}
at::ScalarType autocastDtype(bool cuda) {
  return cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void setAutocastDtype(bool cuda, at::ScalarType t) {
  if (cuda) {
    at::autocast::set_autocast_gpu_dtype(t);
  } else {
    at::autocast::set_autocast_cpu_dtype(t);
  }
}
#endif

PrecisionSupport detectCpuSupport() {
  const CpuBf16Support cpu = detectCpuBf16();
  PrecisionSupport support;
  support.nativeBf16 = cpu.native;
  support.hardware = cpu.hardware;
  return support;
}

PrecisionSupport detectCudaSupport(const torch::Device& device) {
  PrecisionSupport support;
  support.fp16 = true;
#ifdef BERTWB_WITH_CUDA
  const cudaDeviceProp* props =
      at::cuda::getDeviceProperties(device.index() < 0 ? 0 : device.index());
  // bf16 tensor cores arrived with Ampere (compute capability 8.0).
  support.nativeBf16 = props->major >= 8;
  support.hardware =
      "compute capability " + std::to_string(props->major) + "." + std::to_string(props->minor);
#else
  (void)device;
  support.hardware = "CUDA (compute capability unknown to this build)";
#endif
  return support;
}

}  // namespace

PrecisionRequest precisionRequestFromName(const std::string& name) {
  if (name == "auto") return PrecisionRequest::Auto;
  if (name == "fp32") return PrecisionRequest::Fp32;
  if (name == "bf16") return PrecisionRequest::Bf16;
  if (name == "fp16") return PrecisionRequest::Fp16;
  throw Error("unknown precision '" + name + "' (expected auto, fp32, bf16 or fp16)");
}

const char* precisionRequestName(PrecisionRequest request) {
  switch (request) {
    case PrecisionRequest::Auto:
      return "auto";
    case PrecisionRequest::Fp32:
      return "fp32";
    case PrecisionRequest::Bf16:
      return "bf16";
    case PrecisionRequest::Fp16:
      return "fp16";
  }
  return "auto";
}

const char* precisionName(Precision precision) {
  switch (precision) {
    case Precision::Fp32:
      return "fp32";
    case Precision::Bf16:
      return "bf16";
    case Precision::Fp16:
      return "fp16";
  }
  return "fp32";
}

torch::ScalarType lowPrecisionDtype(Precision precision) {
  switch (precision) {
    case Precision::Bf16:
      return torch::kBFloat16;
    case Precision::Fp16:
      return torch::kHalf;
    case Precision::Fp32:
      break;
  }
  return torch::kFloat32;
}

PrecisionSupport detectPrecisionSupport(const torch::Device& device) {
  return device.is_cuda() ? detectCudaSupport(device) : detectCpuSupport();
}

PrecisionChoice resolvePrecision(PrecisionRequest request, const torch::Device& device,
                                 const PrecisionSupport& support) {
  const std::string where = device.is_cuda() ? "this GPU" : "this CPU";
  PrecisionChoice choice;
  switch (request) {
    case PrecisionRequest::Fp32:
      choice.reason = "fp32 (as asked)";
      return choice;
    case PrecisionRequest::Auto:
      if (support.nativeBf16) {
        choice.precision = Precision::Bf16;
        choice.reason = "bf16 (auto: " + where + " has " + support.hardware + ")";
      } else {
        choice.reason =
            "fp32 (auto: " + where + " has " + support.hardware + ", so bf16 would be slower)";
      }
      return choice;
    case PrecisionRequest::Bf16:
      if (!support.nativeBf16) {
        throw Error("precision bf16 asked for, but " + where + " has " + support.hardware +
                    ": bf16 would be emulated and run slower than fp32. Use --precision fp32 (or "
                    "auto, which "
                    "picks bf16 only where the hardware has it)");
      }
      choice.precision = Precision::Bf16;
      choice.reason = "bf16 (as asked; " + where + " has " + support.hardware + ")";
      return choice;
    case PrecisionRequest::Fp16:
      if (!device.is_cuda() || !support.fp16) {
        throw Error(
            "precision fp16 needs a CUDA GPU (it trains with loss scaling there); on the CPU use "
            "bf16 "
            "where the CPU has it, or fp32");
      }
      choice.precision = Precision::Fp16;
      choice.reason = "fp16 with dynamic loss scaling (as asked)";
      return choice;
  }
  return choice;
}

PrecisionChoice resolvePrecision(PrecisionRequest request, const torch::Device& device) {
  // fp32 needs no hardware probe (and the probe of a CUDA device touches its context).
  if (request == PrecisionRequest::Fp32)
    return resolvePrecision(request, device, PrecisionSupport{});
  return resolvePrecision(request, device, detectPrecisionSupport(device));
}

AutocastScope::AutocastScope(const torch::Device& device, Precision precision) {
  if (precision == Precision::Fp32) return;
  cuda_ = device.is_cuda();
  previousEnabled_ = autocastEnabled(cuda_);
  previousDtype_ = autocastDtype(cuda_);
  setAutocastDtype(cuda_, lowPrecisionDtype(precision));
  setAutocastEnabled(cuda_, true);
  at::autocast::increment_nesting();
  active_ = true;
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // The outermost scope drops the cached low-precision weight copies: the weights change
  // with the next optimizer step.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  setAutocastEnabled(cuda_, previousEnabled_);
  setAutocastDtype(cuda_, previousDtype_);
}

void allowTf32() {
  at::globalContext().setFloat32MatmulPrecision("high");
}

}  // namespace bertwb
