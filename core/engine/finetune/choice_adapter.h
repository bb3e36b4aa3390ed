#pragma once
// Multiple choice (SWAG-style) behind the fine-tuning loop: each of an example's C endings is
// read as the pair `[CLS] context [SEP] ending [SEP]`, scored by BertForMultipleChoice, and a
// softmax over the C scores is trained with cross-entropy; scored by accuracy.
#include <torch/torch.h>

#include <vector>

#include "finetune/task_adapter.h"
#include "io/task_model_io.h"
#include "tasks/classification_features.h"

namespace bertwb {

struct ChoiceAdapterOptions {
  ClassificationFeatureOptions features;  // max_seq_length of each (context, ending) pair
};

class ChoiceAdapter final : public TaskAdapter {
 public:
  // `model` must be a BertForMultipleChoice; train and dev must offer the same number of
  // endings. Featurises both sets once.
  ChoiceAdapter(TaskModel model, const Tokenizer& tokenizer, const ChoiceDataset& train,
                const ChoiceDataset& dev, ChoiceAdapterOptions options = {});

  torch::nn::Module& model() override { return *model_.choiceScorer; }
  std::string architecture() const override { return architectureName(model_.kind); }
  BertConfig config() const override { return model_.config; }
  size_t trainingFeatures() const override { return train_.size(); }
  BatchLoss trainingLoss(const std::vector<size_t>& features, const torch::Device& device) override;
  TaskMetrics evaluate(const torch::Device& device, int batchSize) override;
  std::vector<ExamplePrediction> predictions() const override { return predictions_; }

  // One example's endings as encodings, with the index of the right one (-1: unlabelled).
  struct ChoiceFeature {
    std::vector<Encoding> endings;
    int label = -1;
    size_t exampleIndex = 0;
  };

 private:
  TaskModel model_;
  ChoiceDataset dev_;
  std::vector<ChoiceFeature> train_, devFeatures_;
  int32_t paddingId_;
  std::vector<ExamplePrediction> predictions_;
};

}  // namespace bertwb
