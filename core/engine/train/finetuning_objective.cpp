#include "train/finetuning_objective.h"

#include <numeric>
#include <random>

#include "util/error.h"

namespace bertwb {
namespace {

// The order of the training features in `epoch`: a fresh shuffle per epoch from (seed,
// epoch), so a run is reproducible, resumes at any step, and no epoch repeats another's order.
std::vector<size_t> featureOrder(size_t count, uint64_t seed, int64_t epoch) {
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 engine(seed * 1000003ull + static_cast<uint64_t>(epoch));
  for (size_t i = count; i > 1; --i) std::swap(order[i - 1], order[engine() % i]);  // Fisher-Yates
  return order;
}

}  // namespace

void freezeEncoder(torch::nn::Module& model) {
  for (auto& parameter : model.named_parameters()) {
    if (parameter.key().rfind("bert.", 0) == 0) parameter.value().set_requires_grad(false);
  }
}

FinetuningObjective::FinetuningObjective(TaskAdapter& task, FinetuningObjectiveOptions options)
    : task_(task), options_(options) {
  if (options_.epochs < 1)
    throw Error("fine-tuning needs at least 1 epoch (got " + std::to_string(options_.epochs) + ")");
  if (options_.batchSize < 1)
    throw Error("the batch size must be at least 1 (got " + std::to_string(options_.batchSize) +
                ")");
  if (options_.accumulate < 1) throw Error("gradient accumulation must be at least 1 micro-batch");
  if (task_.trainingFeatures() == 0)
    throw Error("the training set is empty: nothing to fine-tune on");
  const size_t perStep =
      static_cast<size_t>(options_.batchSize) * static_cast<size_t>(options_.accumulate);
  stepsPerEpoch_ = static_cast<int64_t>((task_.trainingFeatures() + perStep - 1) / perStep);
  if (options_.frozenEncoder) freezeEncoder(task_.model());
}

void FinetuningObjective::loadStep(int64_t step, int microBatches,
                                   const torch::Device& /*device*/) {
  if (microBatches != options_.accumulate)
    throw Error("the fine-tuning objective was set up for " + std::to_string(options_.accumulate) +
                " micro-batches per step, the engine asks for " + std::to_string(microBatches));
  const int64_t epoch = step / stepsPerEpoch_;
  if (epoch != orderEpoch_) {
    order_ = featureOrder(task_.trainingFeatures(), options_.seed, epoch);
    orderEpoch_ = epoch;
  }
  const size_t batch = static_cast<size_t>(options_.batchSize);
  size_t next =
      static_cast<size_t>(step % stepsPerEpoch_) * batch * static_cast<size_t>(microBatches);
  batches_.assign(static_cast<size_t>(microBatches), {});
  stepFeatures_ = 0;
  for (auto& micro : batches_) {
    const size_t last = std::min(order_.size(), next + batch);
    for (; next < last; ++next) micro.push_back(order_[next]);
    stepFeatures_ += micro.size();
  }
  ++steps_;
}

MicroBatchLoss FinetuningObjective::microBatchLoss(int index, const torch::Device& device) {
  const std::vector<size_t>& features = batches_.at(static_cast<size_t>(index));
  MicroBatchLoss result;
  if (features.empty()) return result;
  const BatchLoss batch = task_.trainingLoss(features, device);
  // The adapter's loss is the micro-batch's mean; weighted by its share of the step's
  // features, the micro-batches sum to the step's mean (one micro-batch: unchanged).
  result.loss = features.size() == stepFeatures_
                    ? batch.loss
                    : batch.loss * (static_cast<double>(features.size()) /
                                    static_cast<double>(stepFeatures_));
  result.value = result.loss.item<double>();
  result.tokens = batch.tokens;
  result.sequences = static_cast<int64_t>(features.size());
  lossSum_ += result.value;
  return result;
}

void FinetuningObjective::takeIntervalMetrics(StepMetrics& m, nlohmann::json& line) {
  m.loss = steps_ > 0 ? lossSum_ / static_cast<double>(steps_) : 0;
  line["loss"] = m.loss;
  lossSum_ = 0;
  steps_ = 0;
}

double FinetuningObjective::epochAt(int64_t step) const {
  return static_cast<double>(step) / static_cast<double>(stepsPerEpoch_);
}

nlohmann::json FinetuningObjective::settings() const {
  return {{"objective", "finetuning"},  {"architecture", task_.architecture()},
          {"epochs", options_.epochs},  {"batch_size", options_.batchSize},
          {"data_seed", options_.seed}, {"frozen_encoder", options_.frozenEncoder}};
}

ObjectiveEvaluation FinetuningObjective::evaluate(int64_t /*step*/, const torch::Device& device) {
  ObjectiveEvaluation result;
  result.scores = task_.evaluate(device, options_.evalBatchSize);
  result.details = task_.evaluationDetails();
  return result;
}

}  // namespace bertwb
