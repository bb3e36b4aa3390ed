#pragma once
// One Transformer block (attention → feed-forward, each with residual + post-LayerNorm)
// and the stack of L of them.
#include <torch/torch.h>

#include <vector>

#include "model/activations.h"
#include "model/bert_attention.h"
#include "model/bert_config.h"

namespace bertwb {

class BertIntermediateImpl : public torch::nn::Module {
 public:
  explicit BertIntermediateImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& hidden);  // (B, S, H) → (B, S, I)

  torch::nn::Linear dense{nullptr};

 private:
  Activation activation_;
};
TORCH_MODULE(BertIntermediate);

// Named BertOutput in Hugging Face: the feed-forward's down projection + Add & Norm.
class BertFeedForwardOutputImpl : public torch::nn::Module {
 public:
  explicit BertFeedForwardOutputImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& intermediate,
                        const torch::Tensor& residual);  // → (B, S, H)

  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BertFeedForwardOutput);

class BertLayerImpl : public torch::nn::Module {
 public:
  explicit BertLayerImpl(const BertConfig& config);
  AttentionResult forward(const torch::Tensor& hidden, const torch::Tensor& additiveMask,
                          bool returnProbabilities);

  BertAttention attention{nullptr};
  BertIntermediate intermediate{nullptr};
  BertFeedForwardOutput output{nullptr};
};
TORCH_MODULE(BertLayer);

struct EncoderResult {
  torch::Tensor lastHiddenState;            // (B, S, H)
  std::vector<torch::Tensor> hiddenStates;  // L+1 × (B, S, H): embeddings, then each layer
  std::vector<torch::Tensor> attentions;    // L × (B, A, S, S)
};

class BertEncoderImpl : public torch::nn::Module {
 public:
  explicit BertEncoderImpl(const BertConfig& config);
  EncoderResult forward(const torch::Tensor& embeddings, const torch::Tensor& additiveMask,
                        bool returnAttentions, bool returnHiddenStates);

  torch::nn::ModuleList layer{nullptr};  // "layer.N" as in the checkpoints
  std::vector<BertLayer> layers;         // typed views of the same modules
};
TORCH_MODULE(BertEncoder);

}  // namespace bertwb
