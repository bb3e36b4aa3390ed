#include "finetune/qa_adapter.h"

#include <utility>

#include "finetune/adapter_batching.h"
#include "tasks/squad_metrics.h"
#include "util/error.h"

namespace bertwb {
namespace {

PaddedBatch qaBatch(const std::vector<QaFeature>& features, const std::vector<size_t>& indices,
                    int32_t paddingId, const torch::Device& device) {
  std::vector<TokenSequence> sequences;
  for (size_t index : indices)
    sequences.push_back({&features[index].ids, &features[index].segmentIds});
  return padSequences(sequences, paddingId, device);
}

// The first gold answer, for a per-example predictions file.
std::string qaGoldText(const QaExample& example) {
  return example.answers.empty() ? "" : example.answers.front().text;
}

}  // namespace

QaAdapter::QaAdapter(TaskModel model, const Tokenizer& tokenizer, const QaDataset& train,
                     const QaDataset& dev, QaAdapterOptions options)
    : model_(std::move(model)), dev_(dev), options_(options), paddingId_(paddingIdOf(tokenizer)) {
  if (model_.kind != TaskKind::QuestionAnswering || !model_.questionAnswerer)
    throw Error("question answering needs a " +
                std::string(architectureName(TaskKind::QuestionAnswering)));
  QaFeatureOptions trainingOptions = options_.features;
  trainingOptions.training = true;
  QaFeatureSet trainingSet = featurizeQaDataset(train, tokenizer, trainingOptions);
  train_ = std::move(trainingSet.features);
  skipped_ = std::move(trainingSet.skipped);
  QaFeatureOptions devOptions = options_.features;
  devOptions.training = false;
  devFeatures_ = featurizeQaDataset(dev, tokenizer, devOptions).features;
  options_.decoding.versionTwo = dev.v2 || train.v2;
  // The saved config says so (run_squad.py's flag name), so the predictor of the fine-tuned
  // model may answer "no answer" as it was trained to.
  if (options_.decoding.versionTwo) model_.config.extra_fields["version_2_with_negative"] = "true";
}

BatchLoss QaAdapter::trainingLoss(const std::vector<size_t>& features,
                                  const torch::Device& device) {
  const PaddedBatch batch = qaBatch(train_, features, paddingId_, device);
  std::vector<int64_t> starts, ends;
  for (size_t index : features) {
    starts.push_back(train_[index].startPosition);
    ends.push_back(train_[index].endPosition);
  }
  const TaskHeadOutput out =
      model_.questionAnswerer->forward(batch.inputs);  // start/end logits (B, S)
  const torch::Tensor loss = model_.questionAnswerer->loss(
      out.startLogits, out.endLogits, int64Tensor(starts, device), int64Tensor(ends, device));
  return {loss, batch.realTokens};
}

TaskMetrics QaAdapter::evaluate(const torch::Device& device, int batchSize) {
  // Every window's logits first: an example's answer is chosen over all of its windows.
  std::vector<QaWindowLogits> windowLogits(devFeatures_.size());
  forEachBatch(devFeatures_.size(), batchSize, [&](size_t first, size_t last) {
    std::vector<size_t> indices;
    for (size_t i = first; i < last; ++i) indices.push_back(i);
    const PaddedBatch batch = qaBatch(devFeatures_, indices, paddingId_, device);
    const TaskHeadOutput out = model_.questionAnswerer->forward(batch.inputs);
    const std::vector<float> starts = floatValues(out.startLogits),
                             ends = floatValues(out.endLogits);  // (B, S)
    const size_t length = static_cast<size_t>(batch.length);
    for (size_t i = first; i < last; ++i) {
      const auto rowStart = static_cast<std::ptrdiff_t>((i - first) * length);
      const auto rowEnd = rowStart + static_cast<std::ptrdiff_t>(devFeatures_[i].ids.size());
      windowLogits[i].start.assign(starts.begin() + rowStart, starts.begin() + rowEnd);
      windowLogits[i].end.assign(ends.begin() + rowStart, ends.begin() + rowEnd);
    }
  });

  std::vector<std::pair<QaExample, std::string>> scored;
  predictions_.clear();
  // The windows are grouped by example, in example order (featurizeQaDataset's contract).
  for (size_t first = 0; first < devFeatures_.size();) {
    size_t last = first;
    while (last < devFeatures_.size() &&
           devFeatures_[last].exampleIndex == devFeatures_[first].exampleIndex)
      ++last;
    const std::vector<QaFeature> windows(devFeatures_.begin() + static_cast<std::ptrdiff_t>(first),
                                         devFeatures_.begin() + static_cast<std::ptrdiff_t>(last));
    const std::vector<QaWindowLogits> logits(
        windowLogits.begin() + static_cast<std::ptrdiff_t>(first),
        windowLogits.begin() + static_cast<std::ptrdiff_t>(last));
    const QaExample& example = dev_.examples[devFeatures_[first].exampleIndex];
    const QaPrediction prediction = decodeQaAnswer(example, windows, logits, options_.decoding);
    predictions_.push_back(
        {example.source, prediction.text, qaGoldText(example), example.question});
    scored.emplace_back(example, prediction.text);
    first = last;
  }
  if (scored.empty()) throw Error("the evaluation data has no questions to score");
  return taskMetrics(squadScores(scored));
}

}  // namespace bertwb
