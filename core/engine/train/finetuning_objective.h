#pragma once
// Fine-tuning as an objective of the training engine (paper §4, A.3): epochs over the task's
// training features in a fresh shuffle per epoch, the task head's loss, an evaluation of the
// dev set at each epoch's end. Every weight trains, or the new head only for the paper's
// feature-based comparison. What differs per task lives behind TaskAdapter.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "finetune/task_adapter.h"
#include "train/training_objective.h"

namespace bertwb {

struct FinetuningObjectiveOptions {
  int epochs = 3;         // paper: 2, 3 or 4
  int batchSize = 32;     // sequences per micro-batch; paper: 16 or 32
  int accumulate = 1;     // micro-batches per optimizer step (the engine's, repeated)
  uint64_t seed = 12345;  // the order of the training features
  int evalBatchSize = 64;
  bool frozenEncoder = false;  // train the new head only (feature-based comparison)
};

class FinetuningObjective final : public TrainingObjective {
 public:
  // `task` must outlive the objective. Freezes the encoder when asked. Throws bertwb::Error
  // when the training set is empty or the settings are impossible.
  FinetuningObjective(TaskAdapter& task, FinetuningObjectiveOptions options);

  // Optimizer steps per epoch (the last may be short) and in all: the engine's step count.
  int64_t stepsPerEpoch() const { return stepsPerEpoch_; }
  int64_t totalSteps() const { return stepsPerEpoch_ * options_.epochs; }

  torch::nn::Module& model() override { return task_.model(); }
  std::string architecture() const override { return task_.architecture(); }
  BertConfig config() const override { return task_.config(); }
  void loadStep(int64_t step, int microBatches, const torch::Device& device) override;
  MicroBatchLoss microBatchLoss(int index, const torch::Device& device) override;
  void takeIntervalMetrics(StepMetrics& metrics, nlohmann::json& line) override;
  double epochAt(int64_t step) const override;
  nlohmann::json settings() const override;
  std::vector<std::string> resumeKeys() const override {
    return {"batch_size", "epochs", "data_seed"};
  }
  bool isEvaluationPoint(int64_t step) const override {
    return step > 0 && step % stepsPerEpoch_ == 0;
  }
  ObjectiveEvaluation evaluate(int64_t step, const torch::Device& device) override;

 private:
  TaskAdapter& task_;
  FinetuningObjectiveOptions options_;
  int64_t stepsPerEpoch_ = 0;
  int64_t orderEpoch_ = -1;  // the epoch `order_` belongs to
  std::vector<size_t> order_;
  std::vector<std::vector<size_t>> batches_;  // the loaded step's micro-batches (feature indices)
  size_t stepFeatures_ = 0;
  double lossSum_ = 0;  // since the last metrics line
  int64_t steps_ = 0;
};

// Freezes every "bert.*" parameter (requires_grad false): only the task head trains.
void freezeEncoder(torch::nn::Module& model);

}  // namespace bertwb
