#pragma once
// What a training run tells the outside world (the GUI's plots, the CLI's progress line):
// a plain C++ callback interface, no Qt. Callbacks run on the training thread; a GUI
// forwards them through queued signals.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tasks/task_metrics.h"

namespace bertwb {

struct StepMetrics {
  int64_t step = 0;  // optimizer steps done (1 after the first)
  int64_t totalSteps = 0;
  int64_t epoch = 0;                          // completed passes over the data
  double loss = 0, mlmLoss = 0, nspLoss = 0;  // averages since the previous log line
  double mlmAccuracy = 0, mlmPerplexity = 0, nspAccuracy = 0;
  double learningRate = 0;
  double gradNorm = 0;         // before clipping
  double tokensPerSecond = 0;  // real (non-padding) tokens
  double sequencesPerSecond = 0;
  double elapsedSeconds = 0, etaSeconds = 0;
  double lossScale = 0;  // fp16 only; 0 otherwise
  double epochProgress =
      0;  // fractional passes (fine-tuning: 1.5 = half-way through the second epoch)
};

struct FillMaskCandidate {
  std::string token;
  double probability = 0;
};

struct ProbeResult {
  int64_t step = 0;
  struct FillMask {
    std::string text;                                     // with [MASK]
    std::vector<std::vector<FillMaskCandidate>> perMask;  // top-k for each [MASK], in order
  };
  std::vector<FillMask> fillMask;
  std::string nspTextA, nspTextB;
  double isNextProbability = -1;  // -1: no pair probe
};

// One scoring of held-out data during a run (fine-tuning's dev set).
struct EvaluationEvent {
  int64_t step = 0;
  double epoch = 0;  // fractional: 1.5 = half-way through the second epoch
  TaskMetrics scores;
  bool best = false;  // the best main metric so far (saved in OUT/best)
  EvaluationDetails details;
};

enum class RunEnd { Finished, Cancelled, Failed };

// The evaluations of a run that scores held-out data (fine-tuning): the best (saved in
// OUT/best) and the last. Empty for runs that do not evaluate.
struct EvaluationRecord {
  std::optional<TaskMetrics> best, last;
  int64_t bestStep = 0;
  std::string bestFolder;  // empty when no best model was saved
};

struct RunOutcome {
  RunEnd end = RunEnd::Finished;
  int64_t step = 0;            // optimizer steps done
  std::string message;         // the reason for Failed, a summary otherwise
  std::string lastCheckpoint;  // folder, empty when none was saved
  EvaluationRecord evaluation;
};

// The run is set up and its first step is next.
struct RunStart {
  int64_t step = 0;  // steps already done (a resumed run)
  int64_t totalSteps = 0;
  std::string device;           // "CPU (2 threads)"
  std::string precision;        // "fp32" | "bf16" | "fp16"
  std::string precisionReason;  // "bf16 (auto: this CPU has AVX512-BF16)"
};

class TrainingEvents {
 public:
  virtual ~TrainingEvents() = default;
  virtual void onStarted(const RunStart&) {}
  virtual void onStep(const StepMetrics&) {}
  virtual void onProbe(const ProbeResult&) {}
  virtual void onEvaluation(const EvaluationEvent&) {}
  virtual void onCheckpoint(const std::string& /*folder*/, int64_t /*step*/) {}
  // A model folder was written: OUT/best after an evaluation that improved, OUT at the end.
  virtual void onModelSaved(const std::string& /*folder*/) {}
  virtual void onFinished(const RunOutcome&) {}
};

// Pause: the loop waits between steps while set (cancel still works while paused). `holding`
// is the loop's answer: set while it actually waits, i.e. the step that was in flight when
// pause was asked has landed and been reported, so a caller can wait for it instead of sleeping.
struct PauseFlag {
  std::atomic<bool> paused{false};
  mutable std::atomic<bool> holding{false};  // written by the training loop only
  void set(bool value) { paused.store(value); }
  bool isPaused() const { return paused.load(std::memory_order_relaxed); }
  bool isHolding() const { return holding.load(); }
};

}  // namespace bertwb
