#include "finetune/choice_adapter.h"

#include "finetune/adapter_batching.h"
#include "util/error.h"

namespace bertwb {
namespace {

std::vector<ChoiceAdapter::ChoiceFeature> featurizeChoices(
    const ChoiceDataset& dataset, const Tokenizer& tokenizer,
    const ClassificationFeatureOptions& options) {
  std::vector<ChoiceAdapter::ChoiceFeature> features;
  for (size_t i = 0; i < dataset.examples.size(); ++i) {
    const ChoiceExample& example = dataset.examples[i];
    ChoiceAdapter::ChoiceFeature feature;
    for (const std::string& ending : example.endings) {
      TextExample pair;
      pair.textA = example.context;
      pair.textB = ending;
      pair.source = example.source;
      feature.endings.push_back(featurizeText(pair, tokenizer, options).encoding);
    }
    feature.label = example.label;
    feature.exampleIndex = i;
    features.push_back(std::move(feature));
  }
  return features;
}

// (B, C, S): every ending of every example padded to the batch's longest.
PaddedBatch choiceBatch(const std::vector<ChoiceAdapter::ChoiceFeature>& features,
                        const std::vector<size_t>& indices, int32_t paddingId,
                        const torch::Device& device) {
  std::vector<TokenSequence> sequences;
  for (size_t index : indices)
    for (const Encoding& ending : features[index].endings)
      sequences.push_back({&ending.ids, &ending.segmentIds});
  PaddedBatch batch = padSequences(sequences, paddingId, device);
  const int64_t examples = static_cast<int64_t>(indices.size());
  const int64_t choices = static_cast<int64_t>(features[indices.front()].endings.size());
  batch.inputs.inputIds =
      batch.inputs.inputIds.view({examples, choices, batch.length});  // (B·C, S) → (B, C, S)
  batch.inputs.tokenTypeIds = batch.inputs.tokenTypeIds.view({examples, choices, batch.length});
  batch.inputs.attentionMask = batch.inputs.attentionMask.view({examples, choices, batch.length});
  return batch;
}

}  // namespace

ChoiceAdapter::ChoiceAdapter(TaskModel model, const Tokenizer& tokenizer,
                             const ChoiceDataset& train, const ChoiceDataset& dev,
                             ChoiceAdapterOptions options)
    : model_(std::move(model)), dev_(dev), paddingId_(paddingIdOf(tokenizer)) {
  if (model_.kind != TaskKind::MultipleChoice || !model_.choiceScorer)
    throw Error("multiple choice needs a " +
                std::string(architectureName(TaskKind::MultipleChoice)));
  if (!train.examples.empty() && !dev.examples.empty() && train.choices != dev.choices)
    throw Error("the training set offers " + std::to_string(train.choices) +
                " endings per example, the dev set " + std::to_string(dev.choices));
  train_ = featurizeChoices(train, tokenizer, options.features);
  devFeatures_ = featurizeChoices(dev, tokenizer, options.features);
}

BatchLoss ChoiceAdapter::trainingLoss(const std::vector<size_t>& features,
                                      const torch::Device& device) {
  const PaddedBatch batch = choiceBatch(train_, features, paddingId_, device);
  std::vector<int64_t> labels;
  for (size_t index : features) labels.push_back(train_[index].label);
  const TaskHeadOutput out = model_.choiceScorer->forward(batch.inputs);  // logits (B, C)
  return {model_.choiceScorer->loss(out.logits, int64Tensor(labels, device)), batch.realTokens};
}

TaskMetrics ChoiceAdapter::evaluate(const torch::Device& device, int batchSize) {
  int64_t correct = 0, scored = 0;
  predictions_.clear();
  forEachBatch(devFeatures_.size(), batchSize, [&](size_t first, size_t last) {
    std::vector<size_t> indices;
    for (size_t i = first; i < last; ++i) indices.push_back(i);
    const PaddedBatch batch = choiceBatch(devFeatures_, indices, paddingId_, device);
    const std::vector<float> chosen =
        floatValues(model_.choiceScorer->forward(batch.inputs).logits.argmax(-1));  // (B)
    for (size_t i = first; i < last; ++i) {
      const ChoiceFeature& feature = devFeatures_[i];
      if (feature.label < 0) continue;  // an unlabelled example cannot be scored
      const int predicted = static_cast<int>(chosen[i - first]);
      correct += predicted == feature.label;
      ++scored;
      predictions_.push_back({dev_.examples[feature.exampleIndex].source, std::to_string(predicted),
                              std::to_string(feature.label)});
    }
  });
  if (scored == 0) throw Error("the evaluation data has no labelled examples to score");
  return multipleChoiceMetrics(static_cast<double>(correct) / static_cast<double>(scored));
}

}  // namespace bertwb
