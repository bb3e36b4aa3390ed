#pragma once
// Multi-head self-attention (Vaswani et al. 2017) as BERT uses it, with Hugging Face's
// module tree: attention.self.{query,key,value} and attention.output.{dense,LayerNorm}.
#include <torch/torch.h>

#include "model/bert_config.h"

namespace bertwb {

struct AttentionResult {
  torch::Tensor context;        // (B, S, H)
  torch::Tensor probabilities;  // (B, A, S, S) when asked for, else undefined
};

class BertSelfAttentionImpl : public torch::nn::Module {
 public:
  explicit BertSelfAttentionImpl(const BertConfig& config);

  // hidden: (B, S, H); additiveMask: broadcastable to (B, A, S, S), 0 where attention is
  // allowed and a very negative number where it is not.
  AttentionResult forward(const torch::Tensor& hidden, const torch::Tensor& additiveMask,
                          bool returnProbabilities);

  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};
  torch::nn::Dropout dropout{nullptr};

 private:
  int64_t numHeads_;
  int64_t headSize_;
  double attentionDropout_;
};
TORCH_MODULE(BertSelfAttention);

// Projection back to H, dropout, residual and post-LayerNorm (the same shape as BertOutput).
class BertSelfOutputImpl : public torch::nn::Module {
 public:
  explicit BertSelfOutputImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& residual);

  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BertSelfOutput);

class BertAttentionImpl : public torch::nn::Module {
 public:
  explicit BertAttentionImpl(const BertConfig& config);
  AttentionResult forward(const torch::Tensor& hidden, const torch::Tensor& additiveMask,
                          bool returnProbabilities);

  // Registered as "self" (Hugging Face's key: attention.self.query, ...). The member is named
  // for what it is; the key, not the member name, is what checkpoints and parity depend on.
  BertSelfAttention selfAttention{nullptr};
  BertSelfOutput output{nullptr};
};
TORCH_MODULE(BertAttention);

}  // namespace bertwb
