#pragma once
// Pre-training as an objective of the training engine (paper §3.1, A.2): each step takes
// B×K instances from the stream, masked LM at the masked positions plus next-sentence
// prediction on [CLS], normalised by the whole step's prediction and sequence counts so
// accumulation equals a bigger batch; probes are its evaluation.
#include <torch/torch.h>

#include <vector>

#include "data/collator.h"
#include "data/instance_stream.h"
#include "model/bert_pretraining.h"
#include "text/tokenizer.h"
#include "train/pretraining_loss.h"
#include "train/probes.h"
#include "train/training_objective.h"

namespace bertwb {

struct PretrainingObjectiveOptions {
  int batchSize = 32;           // sequences per micro-batch
  int maxSeqLength = 128;       // padding target when padToMaxLength
  bool padToMaxLength = false;  // false: pad each batch to its longest sequence
  bool nsp = true;              // false: MLM only (the paper's "No NSP" ablation)
  // Next-token prediction under a causal mask instead of masked LM (the paper's "LTR & No
  // NSP", §5.1): the same model, the instances' masks undone. Needs nsp = false.
  bool leftToRight = false;
  // Vocabulary logits at every position, then picked at the masked ones: the same loss at
  // several times the output layer's cost. Only for measuring what the gather saves.
  bool denseMlmHead = false;
  ProbeSet probes;  // run before training and at each evaluation point
  // How `data` makes its instances (run_setup.h's pretrainingDataSettings; a JSON lines file's
  // path when they were made beforehand), recorded with the run and checked on resume.
  nlohmann::json dataSettings = nlohmann::json::object();
};

class PretrainingObjective final : public TrainingObjective {
 public:
  // `tokenizer` and `data` must outlive the objective. Throws bertwb::Error when the
  // tokenizer has more tokens than the model's vocabulary or the batch is empty.
  PretrainingObjective(BertForPreTraining model, const Tokenizer& tokenizer, InstanceSource& data,
                       PretrainingObjectiveOptions options);

  BertForPreTraining& pretrainingModel() { return model_; }

  torch::nn::Module& model() override { return *model_; }
  std::string architecture() const override { return "BertForPreTraining"; }
  BertConfig config() const override { return model_->config(); }
  void loadStep(int64_t step, int microBatches, const torch::Device& device) override;
  MicroBatchLoss microBatchLoss(int index, const torch::Device& device) override;
  void takeIntervalMetrics(StepMetrics& metrics, nlohmann::json& line) override;
  double epochAt(int64_t step) const override;
  nlohmann::json dataState() const override;
  void restoreDataState(const nlohmann::json& state, int64_t step) override;
  nlohmann::json settings() const override;
  // The instances a resumed run draws must be the ones it stopped in the middle of.
  std::vector<std::string> resumeKeys() const override {
    return {"objective", "batch_size", "max_seq_length", "data"};
  }
  bool evaluatesBeforeTraining() const override { return !options_.probes.empty(); }
  ObjectiveEvaluation evaluate(int64_t step, const torch::Device& device) override;

 private:
  BertForPreTraining model_;
  const Tokenizer& tokenizer_;
  InstanceSource& data_;
  PretrainingObjectiveOptions options_;
  int32_t padId_;
  // The loaded step.
  std::vector<PretrainingBatch> batches_;
  std::vector<int64_t> batchTokens_;
  LossNormalisers normalisers_;
  // Sums since the last metrics line.
  double mlmLossSum_ = 0, nspLossSum_ = 0;
  int64_t mlmCount_ = 0, mlmCorrect_ = 0, nspCount_ = 0, nspCorrect_ = 0;
};

}  // namespace bertwb
