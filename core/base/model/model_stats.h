#pragma once
// Exact parameter counts, memory and FLOP estimates computed from the config alone (no
// tensors), so the wizard can show them live while the user edits the sizes.
// Shape legend: L layers, H hidden, I intermediate, V vocabulary, P positions, T token
// types, S sequence length, B batch.
#include <cstdint>

#include "model/bert_config.h"

namespace bertwb {

struct ParameterBreakdown {
  int64_t embeddings = 0;  // word + position + token type tables and their LayerNorm
  int64_t encoder = 0;     // L Transformer blocks
  int64_t pooler = 0;      // dense H×H + tanh on [CLS]
  int64_t mlmHead = 0;     // transform dense + LayerNorm + output bias (decoder weight is tied)
  int64_t nspHead = 0;     // 2×H linear on the pooled output
  int64_t perLayer = 0;

  int64_t bertModel() const { return embeddings + encoder + pooler; }
  int64_t withPretrainingHeads() const { return bertModel() + mlmHead + nspHead; }
};

ParameterBreakdown countParameters(const BertConfig& config);

struct MemoryEstimate {
  int64_t weightBytes = 0;      // fp32 weights
  int64_t gradientBytes = 0;    // fp32 gradients
  int64_t optimizerBytes = 0;   // Adam's two moments
  int64_t activationBytes = 0;  // activations kept for backward at batch B, length S
  int64_t trainingBytes() const {
    return weightBytes + gradientBytes + optimizerBytes + activationBytes;
  }
};

// Memory to pre-train with Adam at batch × sequence (fp32 everywhere).
MemoryEstimate estimateTrainingMemory(const BertConfig& config, int batchSize, int sequenceLength);

struct FlopEstimate {
  double forwardPerToken = 0;   // one forward pass, per token
  double trainingPerToken = 0;  // forward + backward (3× forward)
};

// FLOPs per token at sequence length S, where `mlmFraction` of the positions go through the
// vocabulary projection (0.15 with masked-position gathering, 1.0 without):
// training ≈ 72·L·H² + 12·L·S·H + 6·H·(H+V)·m (the forward is a third of that).
FlopEstimate estimateFlops(const BertConfig& config, int sequenceLength, double mlmFraction);

}  // namespace bertwb
