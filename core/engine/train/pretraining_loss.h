#pragma once
// The pre-training objective (paper §3.1, A.2): cross-entropy of the original ids at the
// masked positions only, plus cross-entropy of IsNext/NotNext on the pooled [CLS]; the
// total is their sum.
#include <torch/torch.h>

#include "data/collator.h"
#include "model/bert_pretraining.h"

namespace bertwb {

struct PretrainingLoss {
  torch::Tensor total;  // scalar, what backward() runs on
  torch::Tensor mlm;    // scalar: summed MLM cross-entropy ÷ the normaliser
  torch::Tensor nsp;    // scalar, zero when NSP is off
  // For metrics (plain numbers, read after the step):
  double mlmLossSum = 0;  // summed over this batch's predictions
  int64_t mlmCorrect = 0, mlmCount = 0;
  double nspLossSum = 0;
  int64_t nspCorrect = 0, nspCount = 0;
};

struct LossNormalisers {
  // Dividing sums by the prediction and sequence counts of the whole accumulated batch
  // (not of each micro-batch) makes K micro-batches of B/K give exactly the gradient of one
  // batch of B.
  double predictions = 1;
  double sequences = 1;
};

// `output.predictionLogits` must be (B, P, V) at batch.maskedPositions (the gathered form).
PretrainingLoss pretrainingLoss(const PreTrainingOutput& output, const PretrainingBatch& batch,
                                bool withNsp, const LossNormalisers& normalisers);

}  // namespace bertwb
