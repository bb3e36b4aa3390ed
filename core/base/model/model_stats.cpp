#include "model/model_stats.h"

namespace bertwb {
namespace {

constexpr int64_t kFloatBytes = 4;

int64_t linear(int64_t in, int64_t out) {
  return in * out + out;
}
int64_t layerNorm(int64_t width) {
  return 2 * width;
}

}  // namespace

ParameterBreakdown countParameters(const BertConfig& c) {
  const int64_t H = c.hidden_size, I = c.intermediate_size, V = c.vocab_size;
  ParameterBreakdown counts;
  counts.embeddings = (V + c.max_position_embeddings + c.type_vocab_size) * H + layerNorm(H);
  counts.perLayer = 4 * linear(H, H) + layerNorm(H)  // Q, K, V, attention output + norm
                    + linear(H, I) + linear(I, H) + layerNorm(H);  // feed-forward + norm
  counts.encoder = c.num_hidden_layers * counts.perLayer;
  counts.pooler = linear(H, H);
  counts.mlmHead = linear(H, H) + layerNorm(H) + V;  // decoder weight shared with embeddings
  counts.nspHead = linear(H, 2);
  return counts;
}

MemoryEstimate estimateTrainingMemory(const BertConfig& c, int batchSize, int sequenceLength) {
  const int64_t params = countParameters(c).withPretrainingHeads();
  MemoryEstimate m;
  m.weightBytes = params * kFloatBytes;
  m.gradientBytes = params * kFloatBytes;
  m.optimizerBytes = 2 * params * kFloatBytes;
  // Activations saved for backward per layer and token: about 16 H-wide tensors (inputs of
  // the 6 matmuls, norms, dropout masks, the I = 4H wide GELU input/output) plus the
  // A×S attention scores and probabilities (and their dropout mask): an estimate, good to
  // a rough factor, which is what a sizing wizard needs.
  const int64_t B = batchSize, S = sequenceLength, H = c.hidden_size, A = c.num_attention_heads;
  const int64_t perLayer = B * S * (16 * H + 3 * A * S);
  const int64_t embeddings = B * S * 4 * H;
  // The MLM head adds only its masked positions (about 15% of the tokens): counted as one
  // H-wide tensor per token, small next to the encoder.
  m.activationBytes = (c.num_hidden_layers * perLayer + embeddings + B * S * H) * kFloatBytes;
  return m;
}

FlopEstimate estimateFlops(const BertConfig& c, int sequenceLength, double mlmFraction) {
  const double L = c.num_hidden_layers, H = c.hidden_size, S = sequenceLength, V = c.vocab_size;
  FlopEstimate f;
  f.trainingPerToken = 72.0 * L * H * H + 12.0 * L * S * H + 6.0 * H * (H + V) * mlmFraction;
  f.forwardPerToken = f.trainingPerToken / 3.0;
  return f;
}

}  // namespace bertwb
