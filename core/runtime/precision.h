#pragma once
// Mixed precision on CUDA: autocast regions and the TF32 switch. On the CPU everything runs
// in fp32 through the same code path (the scopes below do nothing there).
#include <torch/torch.h>

#include <string>

namespace bertwb {

enum class Precision { Fp32, Bf16, Fp16 };

// "fp32" | "bf16" | "fp16"; throws bertwb::Error naming the accepted values.
Precision precisionFromName(const std::string& name);
const char* precisionName(Precision precision);

// Throws bertwb::Error when `precision` cannot run on `device` (bf16/fp16 need CUDA here).
void checkPrecisionSupported(Precision precision, const torch::Device& device);

// Autocast for the forward pass while alive (CUDA with bf16/fp16 only).
class AutocastScope {
 public:
  AutocastScope(const torch::Device& device, Precision precision);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
};

// Lets fp32 matrix products use TF32 tensor cores (Ampere and later), as PyTorch's
// "high" matmul precision.
void allowTf32();

}  // namespace bertwb
