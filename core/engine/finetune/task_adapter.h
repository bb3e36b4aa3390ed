#pragma once
// The seam between the fine-tuning loop and one task family. The loop (the training engine,
// train/training_engine.h, driving train/finetuning_objective.h) owns what every task shares:
// epochs over shuffled features, AdamW with warm-up and decay, clipping, evaluation, the best
// checkpoint, metrics.jsonl and events. An adapter owns what
// differs: the head model, featurising its examples, the loss of a batch, and predicting and
// scoring a dev set with the task's official metrics.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/bert_config.h"
#include "tasks/task_metrics.h"

namespace bertwb {

// One scored example of the last evaluation, for a per-example predictions file.
struct ExamplePrediction {
  std::string source;      // "dev.tsv:12", the record's location
  std::string predicted;   // a class name, a number, the words' tags, an answer text
  std::string gold;        // the same for the file's label
  std::string text;        // what the model read: the sentence (a pair as "A ‖ B"), the question
  double confidence = -1;  // the predicted class's softmax probability; -1 where none applies
};

struct BatchLoss {
  torch::Tensor loss;  // mean over the batch, for backward()
  int64_t tokens = 0;  // real (non-padding) tokens in the batch, for tokens/s
};

class TaskAdapter {
 public:
  virtual ~TaskAdapter() = default;

  // The head model trained in place, and what its saved config.json says it is.
  virtual torch::nn::Module& model() = 0;
  virtual std::string architecture() const = 0;  // "BertForSequenceClassification", ...
  virtual BertConfig config() const = 0;         // with num_labels / id2label where it applies

  // Training features: sequences (QA: windows; multiple choice: examples).
  virtual size_t trainingFeatures() const = 0;
  // Forward in train mode and the loss of these training features (indices into them).
  virtual BatchLoss trainingLoss(const std::vector<size_t>& features,
                                 const torch::Device& device) = 0;
  // Predicts the dev set in eval mode without gradients and scores it.
  virtual TaskMetrics evaluate(const torch::Device& device, int batchSize) = 0;
  // The last evaluate()'s predictions, one per scored example in the data's order; empty for
  // an adapter that keeps none.
  virtual std::vector<ExamplePrediction> predictions() const { return {}; }
  // What the last evaluate() found beyond its scores (confusion matrix, per-type entity
  // scores) for the views; by default only the number of scored examples.
  virtual EvaluationDetails evaluationDetails() const {
    EvaluationDetails details;
    details.scoredExamples = static_cast<int64_t>(predictions().size());
    return details;
  }
};

}  // namespace bertwb
