#pragma once
// Learning rate as a function of the optimizer step (BERT: linear warm-up to the peak over
// the first steps, then linear decay to 0 at the last step; paper §A.2).
#include <cstdint>
#include <string>

namespace bertwb {

enum class LrScheduleKind { Linear, Constant, Cosine };

// "linear" | "constant" | "cosine"; throws bertwb::Error naming the accepted values.
LrScheduleKind lrScheduleKindFromName(const std::string& name);
const char* lrScheduleKindName(LrScheduleKind kind);

struct LrSchedule {
  double peak = 1e-4;
  int64_t warmupSteps = 0;
  int64_t totalSteps = 1;
  LrScheduleKind kind = LrScheduleKind::Linear;
};

// The rate used by optimizer step `step` (0-based): warm-up gives peak·(step+1)/warmup, so
// the first step already moves; after warm-up, linear falls to 0 at totalSteps, cosine
// follows half a cosine down to 0, constant stays at the peak.
double learningRateAt(const LrSchedule& schedule, int64_t step);

}  // namespace bertwb
