#include "runtime/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace bertwb {

// Native bf16 on this CPU: AVX512-BF16 (CPUID leaf 7 sub-leaf 1, EAX bit 5) or AMX-BF16
// (leaf 7 sub-leaf 0, EDX bit 22), and an OS that saves the AVX-512 registers (XCR0 bits
// 1, 2, 5, 6 and 7), without which the instructions fault. oneDNN picks its bf16 kernels by
// the same test; without them it emulates bf16, several times slower than fp32.
CpuBf16Support detectCpuBf16() {
  CpuBf16Support support;
  support.hardware = "no AVX512-BF16 or AMX";
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) return support;  // no OSXSAVE
  unsigned xcr0Low = 0, xcr0High = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0Low), "=d"(xcr0High) : "c"(0));
  constexpr unsigned kAvx512State = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
  if ((xcr0Low & kAvx512State) != kAvx512State) return support;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return support;
  const unsigned subLeaves = eax;
  const bool amxBf16 = edx & (1u << 22);
  bool avx512Bf16 = false;
  if (subLeaves >= 1 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx))
    avx512Bf16 = eax & (1u << 5);
  support.native = avx512Bf16 || amxBf16;
  if (avx512Bf16 && amxBf16) {
    support.hardware = "AVX512-BF16 and AMX-BF16";
  } else if (avx512Bf16) {
    support.hardware = "AVX512-BF16";
  } else if (amxBf16) {
    support.hardware = "AMX-BF16";
  }
#endif
  return support;
}

}  // namespace bertwb
