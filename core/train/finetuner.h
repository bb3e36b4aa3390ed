#pragma once
// The fine-tuning loop (paper §4, A.3): all weights trained (or the head only, for the
// feature-based comparison), AdamW with 10% warm-up and linear decay, clipping at 1.0,
// a few epochs over the shuffled training features, evaluation every N steps and at each
// epoch's end, the best model by the task's main metric kept in OUT/best, checkpoints,
// metrics.jsonl and the same events as pre-training. What differs per task lives behind
// TaskAdapter.
#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "tasks/task_adapter.h"
#include "text/tokenizer.h"
#include "train/lr_schedule.h"
#include "train/optimizer.h"
#include "train/training_events.h"
#include "util/progress.h"

namespace bertwb {

struct FinetuneOptions {
  std::string outputFolder;  // metrics.jsonl, best/ (the best evaluation's model), and the final model
  int epochs = 3;            // paper: 2, 3 or 4
  int batchSize = 32;        // paper: 16 or 32
  double learningRate = 3e-5;    // paper: 5e-5, 3e-5 or 2e-5
  double warmupFraction = 0.1;   // of all steps (the original run_classifier.py)
  double weightDecay = 0.01;
  LrScheduleKind schedule = LrScheduleKind::Linear;
  double clipNorm = 1.0;
  uint64_t seed = 12345;     // feature order and dropout
  int64_t logEvery = 10;
  int64_t evalEvery = 0;     // steps between evaluations; 0: only at each epoch's end
  int evalBatchSize = 64;
  bool frozenEncoder = false;  // train the new head only (feature-based comparison)
  bool saveModels = true;      // false: nothing written but metrics.jsonl (tests, benchmarks)
};

// One evaluation as the events report it.
struct EvaluationEvent {
  int64_t step = 0;
  double epoch = 0;  // fractional: 1.5 = half-way through the second epoch
  TaskMetrics scores;
  bool best = false;  // the best main metric so far (saved in OUT/best)
};

// Receives evaluations besides the usual step metrics; StepMetrics::loss is the task loss.
class FinetuneEvents : public TrainingEvents {
 public:
  virtual void onEvaluation(const EvaluationEvent&) {}
};

struct FinetuneOutcome {
  RunOutcome run;
  TaskMetrics best, last;
  int64_t bestStep = 0;
};

class FineTuner {
 public:
  FineTuner(TaskAdapter& task, const Tokenizer& tokenizer, FinetuneOptions options, torch::Device device);

  int64_t totalSteps() const { return totalSteps_; }
  FinetuneOutcome run(FinetuneEvents* events = nullptr, const CancelFlag* cancel = nullptr,
                      const PauseFlag* pause = nullptr);

 private:
  TaskAdapter& task_;
  const Tokenizer& tokenizer_;
  FinetuneOptions options_;
  torch::Device device_;
  int64_t stepsPerEpoch_ = 0;
  int64_t totalSteps_ = 0;
};

// Freezes every "bert.*" parameter (requires_grad false): only the task head trains.
void freezeEncoder(torch::nn::Module& model);

}  // namespace bertwb
