#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace bertwb {

LrScheduleKind lrScheduleKindFromName(const std::string& name) {
  if (name == "linear") return LrScheduleKind::Linear;
  if (name == "constant") return LrScheduleKind::Constant;
  if (name == "cosine") return LrScheduleKind::Cosine;
  throw Error("unknown learning-rate schedule '" + name +
              "' (expected linear, constant or cosine)");
}

const char* lrScheduleKindName(LrScheduleKind kind) {
  switch (kind) {
    case LrScheduleKind::Linear:
      return "linear";
    case LrScheduleKind::Constant:
      return "constant";
    case LrScheduleKind::Cosine:
      return "cosine";
  }
  return "?";
}

double learningRateAt(const LrSchedule& schedule, int64_t step) {
  if (step < schedule.warmupSteps)
    return schedule.peak * static_cast<double>(step + 1) / schedule.warmupSteps;
  const int64_t decaySteps = std::max<int64_t>(1, schedule.totalSteps - schedule.warmupSteps);
  const double progress =
      std::clamp(static_cast<double>(step - schedule.warmupSteps) / decaySteps, 0.0, 1.0);
  switch (schedule.kind) {
    case LrScheduleKind::Constant:
      return schedule.peak;
    case LrScheduleKind::Cosine:
      return schedule.peak * 0.5 * (1.0 + std::cos(M_PI * progress));
    case LrScheduleKind::Linear:
      break;
  }
  return schedule.peak * (1.0 - progress);
}

}  // namespace bertwb
