#pragma once
// Token tagging (NER) behind the fine-tuning loop: a tag per word from its first piece
// (BERT paper §5.3), cross-entropy over the labelled pieces, entity-level F1 as seqeval.
#include <torch/torch.h>

#include <vector>

#include "finetune/task_adapter.h"
#include "io/task_model_io.h"
#include "tasks/tag_decoding.h"
#include "tasks/token_features.h"

namespace bertwb {

struct TaggingAdapterOptions {
  TokenFeatureOptions features;
  TagDecodingOptions decoding;  // how a word's pieces decide its tag at evaluation
};

class TaggingAdapter final : public TaskAdapter {
 public:
  // `model` must be a token classifier whose labels are the training set's tag set; throws
  // bertwb::Error naming both otherwise. Featurises both sets once.
  TaggingAdapter(TaskModel model, const Tokenizer& tokenizer, const TaggedDataset& train,
                 const TaggedDataset& dev, TaggingAdapterOptions options = {});

  torch::nn::Module& model() override { return *model_.tokenClassifier; }
  std::string architecture() const override { return architectureName(model_.kind); }
  BertConfig config() const override { return model_.config; }
  size_t trainingFeatures() const override { return train_.size(); }
  BatchLoss trainingLoss(const std::vector<size_t>& features, const torch::Device& device) override;
  TaskMetrics evaluate(const torch::Device& device, int batchSize) override;
  std::vector<ExamplePrediction> predictions() const override { return predictions_; }
  EvaluationDetails evaluationDetails() const override { return details_; }

 private:
  TaskModel model_;
  TaggedDataset dev_;
  std::vector<TokenFeature> train_, devFeatures_;
  TaggingAdapterOptions options_;
  int32_t paddingId_;
  std::vector<ExamplePrediction> predictions_;
  EvaluationDetails details_;
};

}  // namespace bertwb
