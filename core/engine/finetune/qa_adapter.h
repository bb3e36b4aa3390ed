#pragma once
// Extractive question answering (SQuAD) behind the fine-tuning loop: overlapping context
// windows, start/end cross-entropy per window, and answers decoded over all of an
// example's windows, scored with the official SQuAD EM and F1.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "finetune/task_adapter.h"
#include "io/task_model_io.h"
#include "tasks/qa_decoding.h"
#include "tasks/qa_features.h"

namespace bertwb {

struct QaAdapterOptions {
  QaFeatureOptions features;   // `training` is set per set by the adapter
  QaDecodingOptions decoding;  // `versionTwo` follows the dev set
};

class QaAdapter final : public TaskAdapter {
 public:
  // `model` must be a BertForQuestionAnswering. Featurises both sets once; training examples
  // whose answer cannot be placed are left out (skippedTrainingExamples says which).
  QaAdapter(TaskModel model, const Tokenizer& tokenizer, const QaDataset& train,
            const QaDataset& dev, QaAdapterOptions options = {});

  torch::nn::Module& model() override { return *model_.questionAnswerer; }
  std::string architecture() const override { return architectureName(model_.kind); }
  BertConfig config() const override { return model_.config; }
  size_t trainingFeatures() const override { return train_.size(); }
  BatchLoss trainingLoss(const std::vector<size_t>& features, const torch::Device& device) override;
  TaskMetrics evaluate(const torch::Device& device, int batchSize) override;
  std::vector<ExamplePrediction> predictions() const override { return predictions_; }

  const std::vector<std::string>& skippedTrainingExamples() const { return skipped_; }

 private:
  TaskModel model_;
  QaDataset dev_;
  std::vector<QaFeature> train_, devFeatures_;
  std::vector<std::string> skipped_;
  QaAdapterOptions options_;
  int32_t paddingId_;
  std::vector<ExamplePrediction> predictions_;
};

}  // namespace bertwb
