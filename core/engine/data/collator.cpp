#include "data/collator.h"

#include <algorithm>

#include "util/error.h"

namespace bertwb {

PretrainingBatch collatePretraining(const std::vector<PretrainingInstance>& instances,
                                    int32_t padId, int sequenceLength, int maxPredictions,
                                    bool pinMemory) {
  if (instances.empty()) throw Error("cannot make a batch of zero instances");
  int64_t S = sequenceLength, P = maxPredictions;
  for (const auto& instance : instances) {
    if (sequenceLength <= 0) S = std::max<int64_t>(S, static_cast<int64_t>(instance.tokens.size()));
    if (maxPredictions <= 0) P = std::max<int64_t>(P, static_cast<int64_t>(instance.masked.size()));
    if (static_cast<int64_t>(instance.tokens.size()) > S ||
        static_cast<int64_t>(instance.masked.size()) > P) {
      throw Error("an instance of " + std::to_string(instance.tokens.size()) + " tokens and " +
                  std::to_string(instance.masked.size()) +
                  " predictions does not fit a batch of length " + std::to_string(S) + " with " +
                  std::to_string(P) + " prediction slots");
    }
  }
  P = std::max<int64_t>(P, 1);
  const int64_t B = static_cast<int64_t>(instances.size());
  auto longs = torch::TensorOptions().dtype(torch::kInt64);
  PretrainingBatch batch;
  batch.inputIds = torch::full({B, S}, padId, longs);
  batch.segmentIds = torch::zeros({B, S}, longs);
  batch.attentionMask = torch::zeros({B, S}, longs);
  batch.maskedPositions = torch::zeros({B, P}, longs);
  batch.maskedLabels = torch::full({B, P}, kIgnoreLabel, longs);
  batch.maskedWeights = torch::zeros({B, P}, torch::kFloat32);
  batch.nextSentenceLabels = torch::zeros({B}, longs);
  auto ids = batch.inputIds.accessor<int64_t, 2>();
  auto segments = batch.segmentIds.accessor<int64_t, 2>();
  auto mask = batch.attentionMask.accessor<int64_t, 2>();
  auto positions = batch.maskedPositions.accessor<int64_t, 2>();
  auto labels = batch.maskedLabels.accessor<int64_t, 2>();
  auto weights = batch.maskedWeights.accessor<float, 2>();
  auto nsp = batch.nextSentenceLabels.accessor<int64_t, 1>();
  for (int64_t b = 0; b < B; ++b) {
    const auto& instance = instances[static_cast<size_t>(b)];
    for (size_t s = 0; s < instance.tokens.size(); ++s) {
      ids[b][static_cast<int64_t>(s)] = instance.tokens[s];
      segments[b][static_cast<int64_t>(s)] = instance.segmentIds[s];
      mask[b][static_cast<int64_t>(s)] = 1;
    }
    for (size_t p = 0; p < instance.masked.size(); ++p) {
      positions[b][static_cast<int64_t>(p)] = instance.masked[p].position;
      labels[b][static_cast<int64_t>(p)] = instance.masked[p].originalId;
      weights[b][static_cast<int64_t>(p)] = 1.0f;
    }
    nsp[b] = instance.isRandomNext ? 1 : 0;
  }
  if (pinMemory && torch::cuda::is_available()) {
    for (auto* t :
         {&batch.inputIds, &batch.segmentIds, &batch.attentionMask, &batch.maskedPositions,
          &batch.maskedLabels, &batch.maskedWeights, &batch.nextSentenceLabels}) {
      *t = t->pin_memory();
    }
  }
  return batch;
}

PretrainingBatch leftToRightBatch(const PretrainingBatch& masked) {
  PretrainingBatch out;
  out.segmentIds = masked.segmentIds;
  out.attentionMask = masked.attentionMask;
  out.nextSentenceLabels = masked.nextSentenceLabels;
  // The original sequence: each used slot's label back at its position (unused slots point at
  // position 0 with an ignored label, so they write back what is there).
  torch::Tensor ids = masked.inputIds.clone();
  if (masked.maskedPositions.numel() > 0) {
    const torch::Tensor used = masked.maskedLabels.ne(kIgnoreLabel);
    const torch::Tensor current = ids.gather(1, masked.maskedPositions);
    ids.scatter_(1, masked.maskedPositions, torch::where(used, masked.maskedLabels, current));
  }
  out.inputIds = ids;
  const int64_t batch = ids.size(0), length = ids.size(1);
  if (length < 2) {
    out.maskedPositions = torch::zeros({batch, 0}, torch::kLong);
    out.maskedLabels = torch::zeros({batch, 0}, torch::kLong);
    out.maskedWeights = torch::zeros({batch, 0}, torch::kFloat);
    return out;
  }
  // Position i predicts the token at i + 1 wherever that token is real (not padding).
  const torch::Tensor nextIsReal = masked.attentionMask.slice(1, 1).ne(0);
  out.maskedPositions =
      torch::arange(length - 1, torch::kLong).unsqueeze(0).expand({batch, length - 1}).contiguous();
  out.maskedLabels =
      torch::where(nextIsReal, ids.slice(1, 1), torch::full({}, kIgnoreLabel, torch::kLong));
  out.maskedWeights = nextIsReal.to(torch::kFloat);
  return out;
}

}  // namespace bertwb
