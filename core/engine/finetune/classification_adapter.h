#pragma once
// Sentence and sentence-pair tasks behind the fine-tuning loop: classification (a class per
// text or pair, cross-entropy, accuracy/F1/Matthews) and regression (one number, MSE,
// Pearson/Spearman), both on the pooled [CLS] of BertForSequenceClassification.
#include <torch/torch.h>

#include <vector>

#include "finetune/task_adapter.h"
#include "io/task_model_io.h"
#include "tasks/classification_features.h"

namespace bertwb {

struct ClassificationAdapterOptions {
  ClassificationFeatureOptions features;
  ClassificationMainMetric mainMetric = ClassificationMainMetric::Accuracy;
};

class ClassificationAdapter final : public TaskAdapter {
 public:
  // `model` must be a sequence classifier whose labels are the training set's (one output for
  // regression); throws bertwb::Error naming both otherwise. Featurises both sets once.
  ClassificationAdapter(TaskModel model, const Tokenizer& tokenizer, const TextDataset& train,
                        const TextDataset& dev, ClassificationAdapterOptions options = {});

  torch::nn::Module& model() override { return *model_.sequenceClassifier; }
  std::string architecture() const override { return architectureName(model_.kind); }
  BertConfig config() const override { return model_.config; }
  size_t trainingFeatures() const override { return train_.size(); }
  BatchLoss trainingLoss(const std::vector<size_t>& features, const torch::Device& device) override;
  TaskMetrics evaluate(const torch::Device& device, int batchSize) override;
  std::vector<ExamplePrediction> predictions() const override { return predictions_; }
  EvaluationDetails evaluationDetails() const override { return details_; }

 private:
  TaskModel model_;
  TextDataset dev_;
  std::vector<ClassificationFeature> train_, devFeatures_;
  ClassificationAdapterOptions options_;
  int32_t paddingId_;
  bool regression_;
  std::vector<ExamplePrediction> predictions_;
  EvaluationDetails details_;
};

}  // namespace bertwb
