#include "train/pretraining_objective.h"

#include <cmath>

#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {

PretrainingObjective::PretrainingObjective(BertForPreTraining model, const Tokenizer& tokenizer,
                                           InstanceSource& data,
                                           PretrainingObjectiveOptions options)
    : model_(std::move(model)),
      tokenizer_(tokenizer),
      data_(data),
      options_(std::move(options)),
      padId_(tokenizer.specialTokenIds().pad >= 0 ? tokenizer.specialTokenIds().pad : 0) {
  if (options_.batchSize < 1) throw Error("the batch size must be at least 1");
  if (options_.leftToRight && options_.nsp)
    throw Error(
        "the left-to-right objective has no next-sentence prediction (the paper's "
        "'LTR & No NSP'): turn NSP off");
  if (tokenizer_.vocabSize() > model_->config().vocab_size) {
    throw Error("the tokenizer has " + std::to_string(tokenizer_.vocabSize()) +
                " tokens but the model's vocab_size is " +
                std::to_string(model_->config().vocab_size));
  }
}

void PretrainingObjective::loadStep(int64_t /*step*/, int microBatches,
                                    const torch::Device& device) {
  batches_.clear();
  batchTokens_.clear();
  double predictions = 0, sequences = 0;
  for (int k = 0; k < microBatches; ++k) {
    std::vector<PretrainingInstance> instances;
    instances.reserve(static_cast<size_t>(options_.batchSize));
    for (int b = 0; b < options_.batchSize; ++b) instances.push_back(data_.next());
    batches_.push_back(collatePretraining(instances, padId_,
                                          options_.padToMaxLength ? options_.maxSeqLength : 0, 0,
                                          /*pinMemory=*/device.is_cuda()));
    if (options_.leftToRight) batches_.back() = leftToRightBatch(batches_.back());
    predictions += batches_.back().maskedLabels.ne(kIgnoreLabel).sum().item<double>();
    sequences += static_cast<double>(instances.size());
    batchTokens_.push_back(batches_.back().attentionMask.sum().item<int64_t>());
  }
  normalisers_ = {std::max(1.0, predictions), sequences};
}

MicroBatchLoss PretrainingObjective::microBatchLoss(int index, const torch::Device& device) {
  const PretrainingBatch& batch = batches_.at(static_cast<size_t>(index));
  const bool async = device.is_cuda();
  PretrainingBatch onDevice;
  onDevice.inputIds = batch.inputIds.to(device, async);
  onDevice.segmentIds = batch.segmentIds.to(device, async);
  onDevice.attentionMask = batch.attentionMask.to(device, async);
  onDevice.maskedPositions = batch.maskedPositions.to(device, async);
  onDevice.maskedLabels = batch.maskedLabels.to(device, async);
  onDevice.nextSentenceLabels = batch.nextSentenceLabels.to(device, async);

  const BertInputs inputs{onDevice.inputIds, onDevice.segmentIds, onDevice.attentionMask};
  PreTrainingOutput output;
  ForwardOptions forward;
  forward.causal = options_.leftToRight;
  if (options_.denseMlmHead) {
    output = model_->forward(inputs, {}, forward);
    output.predictionLogits = gatherPositions(output.predictionLogits, onDevice.maskedPositions);
  } else {
    output = model_->forward(inputs, onDevice.maskedPositions, forward);
  }
  const PretrainingLoss loss = pretrainingLoss(output, onDevice, options_.nsp, normalisers_);
  mlmLossSum_ += loss.mlmLossSum;
  mlmCount_ += loss.mlmCount;
  mlmCorrect_ += loss.mlmCorrect;
  nspLossSum_ += loss.nspLossSum;
  nspCount_ += loss.nspCount;
  nspCorrect_ += loss.nspCorrect;

  MicroBatchLoss result;
  result.loss = loss.total;
  result.value = loss.mlmLossSum + loss.nspLossSum;
  result.tokens = batchTokens_.at(static_cast<size_t>(index));
  result.sequences = loss.nspCount;
  return result;
}

void PretrainingObjective::takeIntervalMetrics(StepMetrics& m, nlohmann::json& line) {
  m.mlmLoss = mlmCount_ ? mlmLossSum_ / static_cast<double>(mlmCount_) : 0;
  m.nspLoss = options_.nsp && nspCount_ ? nspLossSum_ / static_cast<double>(nspCount_) : 0;
  m.loss = m.mlmLoss + m.nspLoss;
  m.mlmAccuracy = mlmCount_ ? static_cast<double>(mlmCorrect_) / static_cast<double>(mlmCount_) : 0;
  m.mlmPerplexity = std::exp(m.mlmLoss);
  m.nspAccuracy = nspCount_ ? static_cast<double>(nspCorrect_) / static_cast<double>(nspCount_) : 0;
  line["loss"] = m.loss;
  line["mlm_loss"] = m.mlmLoss;
  line["nsp_loss"] = m.nspLoss;
  line["mlm_accuracy"] = m.mlmAccuracy;
  line["mlm_perplexity"] = m.mlmPerplexity;
  line["nsp_accuracy"] = m.nspAccuracy;
  mlmLossSum_ = nspLossSum_ = 0;
  mlmCount_ = mlmCorrect_ = nspCount_ = nspCorrect_ = 0;
}

double PretrainingObjective::epochAt(int64_t /*step*/) const {
  return static_cast<double>(data_.epoch());
}

nlohmann::json PretrainingObjective::dataState() const {
  return {{"data_position", data_.position()}, {"epoch", data_.epoch()}};
}

void PretrainingObjective::restoreDataState(const nlohmann::json& state, int64_t /*step*/) {
  if (!state.contains("data_position") || !state["data_position"].is_number_unsigned())
    throw Error(
        "the checkpoint does not record how far the pre-training data was read (data_position)");
  data_.skipTo(jsonInteger<uint64_t>(state["data_position"]));
}

nlohmann::json PretrainingObjective::settings() const {
  return {{"objective", options_.leftToRight ? "pretraining-ltr" : "pretraining"},
          {"batch_size", options_.batchSize},
          {"max_seq_length", options_.maxSeqLength},
          {"pad_to_max_length", options_.padToMaxLength},
          {"nsp", options_.nsp},
          {"data", options_.dataSettings}};
}

ObjectiveEvaluation PretrainingObjective::evaluate(int64_t step, const torch::Device& device) {
  ObjectiveEvaluation result;
  if (!options_.probes.empty())
    result.probe = runProbes(model_, tokenizer_, options_.probes, device, step);
  return result;
}

}  // namespace bertwb
