#pragma once
// The seam of the training engine: what differs between pre-training (masked LM + NSP) and
// each fine-tuning task. The engine (training_engine.h) owns the step and everything around
// it: precision, backward, clipping, the optimizer and its schedule, the NaN guard, metrics
// lines, evaluation points, checkpoints, resume, pause and cancel. An objective owns its
// model, the order its data comes in, the loss of one micro-batch, the numbers it adds to a
// metrics line, and what an evaluation of it means.
#include <torch/torch.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/bert_config.h"
#include "train/training_events.h"

namespace bertwb {

// One micro-batch's share of an optimizer step.
struct MicroBatchLoss {
  // The scalar backward() runs on, already normalised so that the step's micro-batches sum
  // to the step's loss (K micro-batches of B/K then give exactly the gradient of one batch of
  // B). Undefined for an empty micro-batch (the last step of an epoch may have fewer).
  torch::Tensor loss;
  // The loss as a plain number for the NaN guard; NaN or ±inf stops the run.
  double value = 0;
  int64_t tokens = 0;     // real (non-padding) tokens, for tokens/s
  int64_t sequences = 0;  // for sequences/s
};

// What one evaluation found: probe predictions, dev-set scores, or both.
struct ObjectiveEvaluation {
  std::optional<ProbeResult> probe;
  std::optional<TaskMetrics> scores;  // the engine keeps the best in OUT/best
  EvaluationDetails details;
};

class TrainingObjective {
 public:
  virtual ~TrainingObjective() = default;

  // The model trained in place, and what its saved config.json says it is.
  virtual torch::nn::Module& model() = 0;
  virtual std::string architecture() const = 0;
  virtual BertConfig config() const = 0;

  // Takes the data of optimizer step `step` (0-based): `microBatches` micro-batches, made
  // ready on the host (pinned when `device` is a GPU). Called once per step, before
  // microBatchLoss.
  virtual void loadStep(int64_t step, int microBatches, const torch::Device& device) = 0;
  // Forward pass and loss of micro-batch `index` of the loaded step, in train mode; the
  // engine runs it under the precision's autocast and calls backward() itself.
  virtual MicroBatchLoss microBatchLoss(int index, const torch::Device& device) = 0;

  // Fills the objective's part of a metrics line from the micro-batches since the last
  // call (`metrics.loss` and its parts, the epoch) and writes the same to `line` (the
  // metrics.jsonl record), then starts a new interval.
  virtual void takeIntervalMetrics(StepMetrics& metrics, nlohmann::json& line) = 0;

  // Passes over the training data after `step` steps, fractional where the objective knows
  // its epoch length (fine-tuning: 1.5 = half-way through the second epoch).
  virtual double epochAt(int64_t step) const = 0;

  // What a checkpoint must hold to resume at a step besides the step itself (the data
  // stream's position), and restoring it.
  virtual nlohmann::json dataState() const { return nlohmann::json::object(); }
  virtual void restoreDataState(const nlohmann::json& /*state*/, int64_t /*step*/) {}

  // The objective's settings for trainer_state.json. Keys that must match for a resume to
  // line up with the data are listed by resumeKeys().
  virtual nlohmann::json settings() const = 0;
  virtual std::vector<std::string> resumeKeys() const { return {}; }

  // Evaluation points besides the engine's every-N-steps: fine-tuning evaluates at each
  // epoch's end; pre-training probes once before the first step.
  virtual bool isEvaluationPoint(int64_t /*step*/) const { return false; }
  virtual bool evaluatesBeforeTraining() const { return false; }
  // Runs with the model in eval mode and without gradients (the engine sees to both).
  virtual ObjectiveEvaluation evaluate(int64_t step, const torch::Device& device) = 0;
};

}  // namespace bertwb
