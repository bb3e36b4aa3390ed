#pragma once
// CLI11 validators for the numeric flags the training commands share (issue 19, item 8):
// `--lr nan`, `--lr -1`, a negative `--clip-norm` or `--save-every` used to be accepted and to
// fail much later (or never). CLI11's PositiveNumber lets NaN through (NaN <= 0 is false), so
// these also require a finite number. A refused value names the flag, as CLI11 does.
#include <CLI/CLI.hpp>

namespace bertwb::cli {

// A finite number above zero (learning rates).
CLI::Validator finitePositive();
// A finite number, zero or above (weight decay, clipping norm, QA thresholds' magnitudes).
CLI::Validator finiteNonNegative();
// Any finite number (QA's null-score threshold may be negative).
CLI::Validator finiteNumber();
// --threads: 0 (one per core) up to this many; more only slows a run down for minutes.
inline constexpr int kMostThreads = 1024;

}  // namespace bertwb::cli
