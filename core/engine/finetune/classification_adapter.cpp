#include "finetune/classification_adapter.h"

#include <sstream>

#include "finetune/adapter_batching.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb {
namespace {

PaddedBatch classificationBatch(const std::vector<ClassificationFeature>& features,
                                const std::vector<size_t>& indices, int32_t paddingId,
                                const torch::Device& device) {
  std::vector<TokenSequence> sequences;
  sequences.reserve(indices.size());
  for (size_t index : indices) {
    sequences.push_back({&features[index].encoding.ids, &features[index].encoding.segmentIds});
  }
  return padSequences(sequences, paddingId, device);
}

std::vector<size_t> classificationRange(size_t first, size_t last) {
  std::vector<size_t> indices;
  for (size_t i = first; i < last; ++i) indices.push_back(i);
  return indices;
}

}  // namespace

ClassificationAdapter::ClassificationAdapter(TaskModel model, const Tokenizer& tokenizer,
                                             const TextDataset& train, const TextDataset& dev,
                                             ClassificationAdapterOptions options)
    : model_(std::move(model)),
      dev_(dev),
      options_(options),
      paddingId_(paddingIdOf(tokenizer)),
      regression_(train.examples.empty() ? dev.regression : train.regression) {
  // An evaluation alone has no training examples: the dev set's labels must match the model's.
  const TextDataset& labelled = train.examples.empty() ? dev : train;
  if (model_.kind != TaskKind::SequenceClassification || !model_.sequenceClassifier)
    throw Error("the classification tasks need a " +
                std::string(architectureName(TaskKind::SequenceClassification)));
  const int outputs = model_.sequenceClassifier->numLabels();
  if (regression_) {
    if (outputs != 1)
      throw Error("regression needs a model with one output; this one has " +
                  std::to_string(outputs) + " labels");
  } else if (model_.labels != labelled.labels) {
    throw Error("the model's labels (" + joinForMessage(model_.labels) +
                ") differ from the data's (" + joinForMessage(labelled.labels) + ")");
  }
  if (dev.regression != regression_ || (!regression_ && dev.labels != labelled.labels))
    throw Error("the dev set's labels (" + joinForMessage(dev.labels) +
                ") differ from the training set's (" + joinForMessage(labelled.labels) + ")");
  train_ = featurizeTextDataset(train, tokenizer, options_.features);
  devFeatures_ = featurizeTextDataset(dev, tokenizer, options_.features);
}

BatchLoss ClassificationAdapter::trainingLoss(const std::vector<size_t>& features,
                                              const torch::Device& device) {
  const PaddedBatch batch = classificationBatch(train_, features, paddingId_, device);
  torch::Tensor labels;
  if (regression_) {
    std::vector<float> targets;
    for (size_t index : features) targets.push_back(train_[index].target);
    labels = floatTensor(targets, device);  // (B)
  } else {
    std::vector<int64_t> classes;
    for (size_t index : features) classes.push_back(train_[index].labelId);
    labels = int64Tensor(classes, device);  // (B)
  }
  const TaskHeadOutput out = model_.sequenceClassifier->forward(batch.inputs);
  return {model_.sequenceClassifier->loss(out.logits, labels), batch.realTokens};
}

TaskMetrics ClassificationAdapter::evaluate(const torch::Device& device, int batchSize) {
  std::vector<int> predictedClasses, goldClasses;
  std::vector<double> predictedValues, goldValues;
  predictions_.clear();
  forEachBatch(devFeatures_.size(), batchSize, [&](size_t first, size_t last) {
    const PaddedBatch batch =
        classificationBatch(devFeatures_, classificationRange(first, last), paddingId_, device);
    const torch::Tensor logits = model_.sequenceClassifier->forward(batch.inputs).logits;  // (B, K)
    const std::vector<float> values =
        floatValues(regression_ ? logits.squeeze(-1) : logits.argmax(/*dim=*/-1));  // (B)
    // The winning class's probability: how sure the model was, right or wrong.
    const std::vector<float> confidences =
        regression_ ? std::vector<float>()
                    : floatValues(std::get<0>(logits.to(torch::kFloat).softmax(-1).max(-1)));
    for (size_t i = first; i < last; ++i) {
      const ClassificationFeature& feature = devFeatures_[i];
      if (!feature.labelled) continue;  // an unlabelled row cannot be scored
      const float value = values[i - first];
      const TextExample& example = dev_.examples[feature.exampleIndex];
      const std::string read =
          example.textB.empty() ? example.textA : example.textA + " ‖ " + example.textB;
      if (regression_) {
        predictedValues.push_back(value);
        goldValues.push_back(feature.target);
        std::ostringstream text;
        text << value;
        predictions_.push_back({example.source, text.str(), example.label, read});
      } else {
        predictedClasses.push_back(static_cast<int>(value));
        goldClasses.push_back(static_cast<int>(feature.labelId));
        predictions_.push_back({example.source, dev_.labels[static_cast<size_t>(value)],
                                example.label, read, confidences[i - first]});
      }
    }
  });
  if (predictions_.empty()) throw Error("the evaluation data has no labelled examples to score");
  details_ = EvaluationDetails();
  details_.scoredExamples = static_cast<int64_t>(predictions_.size());
  if (regression_) return taskMetrics(regressionReport(predictedValues, goldValues));
  details_.labels = dev_.labels;
  details_.classification =
      classificationReport(predictedClasses, goldClasses, static_cast<int>(dev_.labels.size()));
  return taskMetrics(*details_.classification, options_.mainMetric);
}

}  // namespace bertwb
