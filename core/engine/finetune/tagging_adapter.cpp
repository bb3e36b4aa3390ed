#include "finetune/tagging_adapter.h"

#include "finetune/adapter_batching.h"
#include "tasks/entity_metrics.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb {
namespace {

std::string taggingJoin(const std::vector<std::string>& names, const char* separator) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : separator) + name;
  return joined;
}

PaddedBatch taggingBatch(const std::vector<TokenFeature>& features, size_t first, size_t last,
                         const std::vector<size_t>* indices, int32_t paddingId,
                         const torch::Device& device) {
  std::vector<TokenSequence> sequences;
  const size_t count = indices ? indices->size() : last - first;
  for (size_t i = 0; i < count; ++i) {
    const TokenFeature& feature = features[indices ? (*indices)[i] : first + i];
    sequences.push_back({&feature.encoding.ids, &feature.encoding.segmentIds});
  }
  return padSequences(sequences, paddingId, device);
}

}  // namespace

TaggingAdapter::TaggingAdapter(TaskModel model, const Tokenizer& tokenizer,
                               const TaggedDataset& train, const TaggedDataset& dev,
                               TaggingAdapterOptions options)
    : model_(std::move(model)), dev_(dev), options_(options), paddingId_(paddingIdOf(tokenizer)) {
  if (model_.kind != TaskKind::TokenClassification || !model_.tokenClassifier)
    throw Error("tagging needs a " + std::string(architectureName(TaskKind::TokenClassification)));
  // An evaluation alone has no training sentences: the dev set's tags must match the model's.
  const TaggedDataset& labelled = train.sentences.empty() ? dev : train;
  if (model_.labels != labelled.labels)
    throw Error("the model's tags (" + joinForMessage(model_.labels, ", ") +
                ") differ from the data's (" + joinForMessage(labelled.labels, ", ") + ")");
  if (dev.labels != labelled.labels)
    throw Error("the dev set's tags (" + joinForMessage(dev.labels, ", ") +
                ") differ from the training set's (" + joinForMessage(train.labels, ", ") + ")");
  train_ = featurizeTaggedDataset(train, tokenizer, options_.features);
  devFeatures_ = featurizeTaggedDataset(dev, tokenizer, options_.features);
}

BatchLoss TaggingAdapter::trainingLoss(const std::vector<size_t>& features,
                                       const torch::Device& device) {
  const PaddedBatch batch = taggingBatch(train_, 0, 0, &features, paddingId_, device);
  std::vector<const std::vector<int64_t>*> labelRows;
  for (size_t index : features) labelRows.push_back(&train_[index].labelIds);
  const torch::Tensor labels = padLabelRows(labelRows, batch.length, device);  // (B, S)
  const TaskHeadOutput out = model_.tokenClassifier->forward(batch.inputs);    // logits (B, S, K)
  return {model_.tokenClassifier->loss(out.logits, labels), batch.realTokens};
}

TaskMetrics TaggingAdapter::evaluate(const torch::Device& device, int batchSize) {
  std::vector<std::vector<std::string>> predicted, gold;
  predictions_.clear();
  const int64_t classes = static_cast<int64_t>(model_.labels.size());
  forEachBatch(devFeatures_.size(), batchSize, [&](size_t first, size_t last) {
    const PaddedBatch batch = taggingBatch(devFeatures_, first, last, nullptr, paddingId_, device);
    const std::vector<float> logits =
        floatValues(model_.tokenClassifier->forward(batch.inputs).logits);  // (B, S, K)
    const size_t rowSize = static_cast<size_t>(batch.length * classes);
    for (size_t i = first; i < last; ++i) {
      const TokenFeature& feature = devFeatures_[i];
      const TaggedSentence& sentence = dev_.sentences[feature.exampleIndex];
      if (sentence.tags.empty()) continue;  // an unlabelled sentence cannot be scored
      const auto rowStart = logits.begin() + static_cast<std::ptrdiff_t>((i - first) * rowSize);
      const std::vector<float> row(rowStart,
                                   rowStart + static_cast<std::ptrdiff_t>(rowSize));  // (S, K)
      const TagPrediction prediction = decodeTags(feature, row, model_.labels, options_.decoding);
      std::vector<std::string> tags;
      for (const WordTag& word : prediction.words) tags.push_back(word.label);
      predictions_.push_back({sentence.source, taggingJoin(tags, " "),
                              taggingJoin(sentence.tags, " "), taggingJoin(sentence.words, " ")});
      predicted.push_back(std::move(tags));
      gold.push_back(sentence.tags);
    }
  });
  if (gold.empty()) throw Error("the evaluation data has no tagged sentences to score");
  details_ = EvaluationDetails();
  details_.scoredExamples = static_cast<int64_t>(predictions_.size());
  details_.entities = entityReport(predicted, gold);
  return taskMetrics(*details_.entities);
}

}  // namespace bertwb
