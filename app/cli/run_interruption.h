#pragma once
// Stopping a training run from outside, the same way for every command that trains: Ctrl-C
// (SIGINT), SIGTERM and SIGHUP (a closed terminal or SSH connection) ask the run to stop
// after its current step, which saves a checkpoint; the command then exits non-zero, so
// `pretrain && finetune` never goes on with an unfinished model.
#include <stdexcept>
#include <string>

#include "util/progress.h"

namespace bertwb::cli {

// While alive, the three signals request `cancel`; the previous handlers come back after.
class InterruptScope {
 public:
  explicit InterruptScope(CancelFlag& cancel);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

// Thrown after a run stopped by a signal has said where it stopped: main() exits with 130
// (128 + SIGINT, the shell's convention for an interrupted command) without another message.
class RunInterrupted : public std::runtime_error {
 public:
  explicit RunInterrupted(const std::string& what) : std::runtime_error(what) {}
};
constexpr int kInterruptedExitCode = 130;

}  // namespace bertwb::cli
