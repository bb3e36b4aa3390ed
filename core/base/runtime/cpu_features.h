#pragma once
// What this CPU can do for the numeric precisions, asked of the CPU itself (CPUID) and of
// the OS (which register state it saves). Torch-free, so the GUI's forms can say what
// "auto" will pick without loading LibTorch's headers.
#include <string>

namespace bertwb {

struct CpuBf16Support {
  bool native = false;  // AVX512-BF16 or AMX-BF16, with the OS saving the AVX-512 state
  std::string
      hardware;  // "AVX512-BF16", "AMX-BF16", "AVX512-BF16 and AMX-BF16" or "no AVX512-BF16 or AMX"
};

// Detected once per call (cheap: a few CPUID instructions). Non-x86 CPUs report no support.
CpuBf16Support detectCpuBf16();

}  // namespace bertwb
