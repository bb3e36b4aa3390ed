#pragma once
// The pre-training loop (paper §3.1, A.2): masked LM + next-sentence prediction, AdamW with
// warm-up and decay, gradient clipping and accumulation, mixed precision on CUDA, atomic
// checkpoints with exact resumption, metrics.jsonl, probes and events for the GUI and CLI.
#include <torch/torch.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "data/instance_stream.h"
#include "model/bert_pretraining.h"
#include "runtime/precision.h"
#include "text/tokenizer.h"
#include "train/lr_schedule.h"
#include "train/optimizer.h"
#include "train/probes.h"
#include "train/training_events.h"
#include "util/progress.h"

namespace bertwb {

struct PretrainingRunOptions {
  std::string outputFolder;  // checkpoints, metrics.jsonl, and the final model at its root
  int64_t steps = 1000;      // optimizer steps
  int batchSize = 32;        // sequences per micro-batch
  int accumulate = 1;        // micro-batches per optimizer step (effective batch = B × K)
  int maxSeqLength = 128;    // padding target when padToMaxLength
  bool padToMaxLength = false;  // false: pad each batch to its longest sequence
  int maxPredictions = 20;   // prediction slots per sequence
  AdamWSettings adam;        // adam.learningRate is the peak
  int64_t warmupSteps = 0;
  LrScheduleKind schedule = LrScheduleKind::Linear;
  double clipNorm = 1.0;     // global gradient norm; ≤ 0 disables clipping
  bool nsp = true;           // false: MLM only (the paper's "No NSP" ablation)
  Precision precision = Precision::Fp32;
  uint64_t seed = 12345;     // dropout; the data source and the weights have their own
  int64_t logEvery = 10;     // metrics line every N steps (and the last)
  int64_t saveEvery = 0;     // checkpoint every N steps; 0: only at the end or on stop
  int keepLast = 2;          // checkpoints kept (≤ 0: all)
  int64_t probeEvery = 0;    // probes every N steps (and the last); 0: never
  // Vocabulary logits at every position, then picked at the masked ones: the same loss at
  // several times the output layer's cost. Only for measuring what the gather saves.
  bool denseMlmHead = false;
  bool saveAtEnd = true;     // false: no final checkpoint or model (benchmarks)
  ProbeSet probes;
};

class Pretrainer {
 public:
  // `model` is trained in place (moved to `device`); `data` must outlive the trainer.
  Pretrainer(BertForPreTraining model, const Tokenizer& tokenizer, InstanceSource& data,
             PretrainingRunOptions options, torch::Device device);
  ~Pretrainer();

  // Continues from a checkpoint folder made by this trainer (weights, optimizer, data
  // position, generators). Throws bertwb::Error when the checkpoint does not match this
  // run (another model shape, batch size or accumulation).
  void resumeFrom(const std::string& checkpointFolder);
  // The newest checkpoint in the output folder, or "" when there is none.
  std::string latestCheckpoint() const;

  // Trains until options.steps, a cancel (checkpoint saved) or a failure (nothing saved
  // over a good checkpoint). Events may be null.
  RunOutcome run(TrainingEvents* events = nullptr, const CancelFlag* cancel = nullptr, const PauseFlag* pause = nullptr);

  int64_t step() const { return step_; }
  BertForPreTraining& model() { return model_; }
  const PretrainingRunOptions& options() const { return options_; }
  // The run's settings as trainer_state.json records them.
  nlohmann::json runSettings() const;

 private:
  struct Interval;
  bool trainStep(Interval& interval, std::string& failure);
  std::string saveCheckpointNow();
  void writeFinalModel();
  std::vector<torch::Device> rngDevices() const;

  BertForPreTraining model_;
  const Tokenizer& tokenizer_;
  InstanceSource& data_;
  PretrainingRunOptions options_;
  torch::Device device_;
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::vector<torch::Tensor> parameters_;
  int64_t step_ = 0;
  double elapsedBefore_ = 0;  // training seconds of earlier sessions (resumed runs)
  double lossScale_ = 0;
  int64_t goodStepsAtScale_ = 0;
  std::string lastCheckpoint_;
};

}  // namespace bertwb
