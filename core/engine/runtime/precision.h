#pragma once
// The numeric precision of training and inference, on every device.
//
// The policy: fp32 (the exact path, parity tests use it), bf16 (autocast: matrix products in
// bfloat16), fp16 (autocast plus dynamic loss scaling, CUDA only) and auto (bf16 where the
// device runs it natively, fp32 elsewhere). Whatever the mode, master weights, optimizer
// state, gradients, LayerNorm, the attention softmax and the losses stay fp32: autocast
// lowers only the listed ops (linear, matmul, ...), and the model and loss code upcast the
// rest explicitly (LibTorch 1.13's CPU autocast leaves softmax and GELU in whatever dtype
// they are fed, and its layer_norm rejects a bf16 input with fp32 weights).
#include <torch/torch.h>

#include <string>

namespace bertwb {

enum class Precision { Fp32, Bf16, Fp16 };

// What a user asks for: one precision, or the fastest safe one for the device.
enum class PrecisionRequest { Auto, Fp32, Bf16, Fp16 };

// "auto" | "fp32" | "bf16" | "fp16"; throws bertwb::Error naming the accepted values.
PrecisionRequest precisionRequestFromName(const std::string& name);
const char* precisionRequestName(PrecisionRequest request);
const char* precisionName(Precision precision);
// The dtype autocast lowers matrix products to (fp32: kFloat32).
torch::ScalarType lowPrecisionDtype(Precision precision);

// What a device runs fast, as `auto` and the checks below see it.
struct PrecisionSupport {
  bool nativeBf16 = false;  // CPU: AVX512-BF16 or AMX-BF16; CUDA: compute capability 8.0+
  bool fp16 = false;        // CUDA GPUs (loss-scaled fp16 training is not offered on the CPU)
  std::string hardware;     // what was found: "AVX512-BF16", "no AVX512-BF16 or AMX", "sm_90"
};

// Asks the CPU (CPUID, and that the OS saves the AVX-512 state) or the GPU.
PrecisionSupport detectPrecisionSupport(const torch::Device& device);

struct PrecisionChoice {
  Precision precision = Precision::Fp32;
  std::string reason;  // one line for the CLI and the GUI's status bar
};

// The precision a run uses for `request` on `device`. Auto gives bf16 where `support` has
// native bf16 and fp32 elsewhere. An explicit fp32 always runs; an explicit bf16 on hardware
// without native bf16, or fp16 anywhere but CUDA, throws bertwb::Error saying why and what to
// use instead (emulated bf16 runs several times slower than fp32, which nobody asks for).
PrecisionChoice resolvePrecision(PrecisionRequest request, const torch::Device& device,
                                 const PrecisionSupport& support);
// The same with the device's detected support.
PrecisionChoice resolvePrecision(PrecisionRequest request, const torch::Device& device);

// Autocast on `device` while alive, nestable, for forward passes and losses (never around
// backward). Does nothing for fp32.
class AutocastScope {
 public:
  AutocastScope(const torch::Device& device, Precision precision);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  bool cuda_ = false;
  bool previousEnabled_ = false;
  torch::ScalarType previousDtype_ = torch::kBFloat16;
};

// Lets fp32 matrix products use TF32 tensor cores (Ampere and later), as PyTorch's
// "high" matmul precision.
void allowTf32();

}  // namespace bertwb
