#pragma once
// Instances → padded tensors for the model. Padding is never predicted: padded prediction
// slots carry label -100 (cross-entropy's ignore index) and weight 0.
#include <torch/torch.h>

#include <vector>

#include "data/ignored_label.h"
#include "data/pretraining_instance.h"

namespace bertwb {

struct PretrainingBatch {
  torch::Tensor inputIds;            // (B, S) int64, padded with [PAD]
  torch::Tensor segmentIds;          // (B, S) int64
  torch::Tensor attentionMask;       // (B, S) int64, 1 = real token
  torch::Tensor maskedPositions;     // (B, P) int64, 0 in unused slots
  torch::Tensor maskedLabels;        // (B, P) int64, original ids; kIgnoreLabel in unused slots
  torch::Tensor maskedWeights;       // (B, P) float, 1 for real predictions
  torch::Tensor nextSentenceLabels;  // (B) int64: 0 = IsNext, 1 = NotNext
};

// Pads to `sequenceLength` (0: the longest instance) and `maxPredictions` slots (0: the
// most masked positions of any instance). `pinMemory` for fast copies to CUDA.
PretrainingBatch collatePretraining(const std::vector<PretrainingInstance>& instances,
                                    int32_t padId, int sequenceLength = 0, int maxPredictions = 0,
                                    bool pinMemory = false);

// The same sequences for a left-to-right language model (the paper's "LTR" ablation, §5.1):
// the masked positions get their original tokens back, and every position whose next token
// is real predicts it (position i the id at i+1), so the masked-LM machinery (gathered
// positions, labels, weights) computes next-token cross-entropy. Used with a causal
// attention mask, so position i never sees the token it predicts.
PretrainingBatch leftToRightBatch(const PretrainingBatch& masked);

}  // namespace bertwb
