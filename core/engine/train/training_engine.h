#pragma once
// The one training engine. Pre-training and every fine-tuning task run through it, as
// objectives behind one seam (training_objective.h); everything they share lives here once:
// forward under the precision policy, backward, gradient clipping, fp16 loss scaling, the
// AdamW step and its schedule, the NaN guard, metrics.jsonl lines and events, evaluation
// points (probes, dev scores, the best model in OUT/best), atomic checkpoints with exact
// resumption, pause and cancel. The step reads top to bottom in training_engine.cpp.
#include <torch/torch.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/precision.h"
#include "text/tokenizer.h"
#include "train/lr_schedule.h"
#include "train/optimizer.h"
#include "train/training_events.h"
#include "train/training_objective.h"
#include "util/folder_lock.h"
#include "util/progress.h"

namespace bertwb {

// The phases of one optimizer step and of the loop around it, in the order they run. Forward
// and Backward repeat per micro-batch; Unscale runs only for fp16; Log, Evaluate and Checkpoint
// only on the steps they are due (fine-tuning also evaluates once before the first step).
enum class TrainingPhase {
  Schedule,       // the learning rate of this step
  LoadData,       // the objective takes the step's micro-batches
  Forward,        // a micro-batch's forward pass and loss, under autocast
  Backward,       // its gradients (accumulated over the micro-batches)
  Unscale,        // fp16: gradients divided by the loss scale
  Clip,           // the global gradient norm, clipped
  OptimizerStep,  // AdamW (skipped on an fp16 overflow)
  Log,            // a metrics line
  Evaluate,       // probes or a dev-set evaluation
  Checkpoint,     // a resumable checkpoint
};
const char* trainingPhaseName(TrainingPhase phase);

struct TrainingRunOptions {
  std::string outputFolder;  // metrics.jsonl, checkpoint-N/, best/, the final model at its root
  int64_t steps = 1000;      // optimizer steps
  int accumulate = 1;        // micro-batches per optimizer step
  AdamWSettings adam;        // adam.learningRate is the peak
  int64_t warmupSteps = 0;
  LrScheduleKind schedule = LrScheduleKind::Linear;
  double clipNorm = 1.0;  // global gradient norm; ≤ 0 disables clipping (the norm is still logged)
  PrecisionChoice precision;  // resolved by resolvePrecision; fp32 by default
  uint64_t seed = 12345;      // dropout; the data and the weights have their own
  int64_t logEvery = 10;      // a metrics line every N steps (and the last)
  int64_t evaluateEvery =
      0;  // evaluate every N steps (and the last); 0: only where the objective says
  bool checkpoints = true;  // resumable checkpoints (every saveEvery, at the end, on stop)
  int64_t saveEvery = 0;    // 0: only at the end or on stop
  int keepLast = 2;         // checkpoints kept (≤ 0: all)
  bool writeModels = true;  // false: only metrics.jsonl is written (tests, benchmarks)
  // Called at the start of each phase; for tests and tracing. May be empty.
  std::function<void(TrainingPhase)> phaseObserver;
  // The lock on outputFolder when the caller took it early (before preparing data); else the
  // engine takes it itself.
  std::shared_ptr<FolderLock> folderLock;
};

class TrainingEngine {
 public:
  // `objective` (trained in place, moved to `device`) and `tokenizer` (saved with every model;
  // may be null) must outlive the engine. Locks the output folder for the engine's life
  // (refused, naming the holder, when another run has it) and puts back a checkpoint an
  // earlier run was killed in the middle of saving. Throws bertwb::Error on impossible
  // settings.
  TrainingEngine(TrainingObjective& objective, const Tokenizer* tokenizer,
                 TrainingRunOptions options, torch::Device device);
  ~TrainingEngine();

  // Continues from a checkpoint folder this engine wrote (weights, optimizer, data position,
  // generators, loss scale, best evaluation). Throws bertwb::Error when the checkpoint does
  // not fit this run (another model shape, batch size or accumulation).
  void resumeFrom(const std::string& checkpointFolder);
  // The newest checkpoint in the output folder, or "" when there is none.
  std::string latestCheckpoint() const;

  // Trains until options.steps, a cancel (a checkpoint is saved when checkpoints are on) or a
  // failure. A failure that leaves the weights sound (bad data, an error inside a forward or
  // backward pass, a full disk while logging) saves an emergency checkpoint first, at the last
  // completed step, and says so; a NaN loss or gradient saves nothing over the last good
  // checkpoint. Events may be null.
  RunOutcome run(TrainingEvents* events = nullptr, const CancelFlag* cancel = nullptr,
                 const PauseFlag* pause = nullptr);

  int64_t step() const { return step_; }
  const TrainingRunOptions& options() const { return options_; }
  // The run's settings as trainer_state.json records them (the engine's and the objective's).
  nlohmann::json runSettings() const;

 private:
  struct Interval;
  struct Session;
  void enter(TrainingPhase phase) const;
  bool trainStep(Interval& interval, std::string& failure);
  void logInterval(Interval& interval, Session& session, TrainingEvents* events);
  void evaluateNow(TrainingEvents* events);
  // The training seconds of this call of run() so far go into trainer_state.json; `dataState`
  // (when given) replaces the objective's current data position.
  void saveCheckpointNow(double sessionSeconds, TrainingEvents* events,
                         const nlohmann::json* dataState = nullptr);
  // After a failure: a checkpoint of the last completed step when the weights are sound;
  // returns the sentence the failure message gains.
  std::string saveAfterFailure(double sessionSeconds, TrainingEvents* events);
  void writeFinalModel(TrainingEvents* events);
  std::vector<torch::Device> rngDevices() const;

  TrainingObjective& objective_;
  const Tokenizer* tokenizer_;
  TrainingRunOptions options_;
  torch::Device device_;
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::vector<torch::Tensor> parameters_;
  std::shared_ptr<FolderLock> lock_;
  bool inStep_ = false;           // between the start of trainStep and its completed update
  nlohmann::json stepStartData_;  // the data position before the step in progress
  bool updating_ = false;         // inside optimizer.step(): the weights may be half-updated
  std::ofstream metrics_;
  int64_t step_ = 0;
  double elapsedBefore_ = 0;  // training seconds of earlier sessions (resumed runs)
  double lossScale_ = 0;      // fp16 only
  int64_t goodStepsAtScale_ = 0;
  std::string lastCheckpoint_;
  EvaluationRecord record_;  // the best and last evaluations so far
};

}  // namespace bertwb
