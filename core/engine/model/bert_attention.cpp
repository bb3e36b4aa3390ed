#include "model/bert_attention.h"

#include <torch/version.h>

#include <cmath>

#include "model/linear.h"

namespace bertwb {

BertSelfAttentionImpl::BertSelfAttentionImpl(const BertConfig& c)
    : numHeads_(c.num_attention_heads),
      headSize_(c.hidden_size / c.num_attention_heads),
      attentionDropout_(c.attention_probs_dropout_prob) {
  query = register_module("query", torch::nn::Linear(c.hidden_size, c.hidden_size));
  key = register_module("key", torch::nn::Linear(c.hidden_size, c.hidden_size));
  value = register_module("value", torch::nn::Linear(c.hidden_size, c.hidden_size));
  dropout = register_module("dropout", torch::nn::Dropout(c.attention_probs_dropout_prob));
}

AttentionResult BertSelfAttentionImpl::forward(const torch::Tensor& hidden,
                                               const torch::Tensor& additiveMask,
                                               bool returnProbabilities) {
  const int64_t B = hidden.size(0), S = hidden.size(1);
  auto splitHeads = [&](const torch::Tensor& x) {
    return x.view({B, S, numHeads_, headSize_}).transpose(1, 2);  // (B, S, H) → (B, A, S, d)
  };
  auto q = splitHeads(linearForward(query, hidden));
  auto k = splitHeads(linearForward(key, hidden));
  auto v = splitHeads(linearForward(value, hidden));

  AttentionResult result;
  torch::Tensor context;  // (B, A, S, d)
#if TORCH_VERSION_MAJOR >= 2
  if (!returnProbabilities) {
    // The fused kernel (flash / memory-efficient on CUDA) never materialises the S×S matrix.
    const double dropoutP = is_training() ? attentionDropout_ : 0.0;
    context = at::scaled_dot_product_attention(q, k, v, additiveMask.to(q.dtype()), dropoutP);
  }
#endif
  if (!context.defined()) {
    auto scores = torch::matmul(q, k.transpose(-1, -2)) /
                  std::sqrt(static_cast<double>(headSize_));  // (B, A, S, S)
    // The softmax runs in fp32 whatever the autocast precision (1.13's CPU autocast would
    // leave it in bf16): the weights the attention views show are fp32, and the product
    // with V below is lowered again by autocast.
    scores = scores.to(torch::kFloat32) + additiveMask;
    auto probabilities = torch::softmax(scores, /*dim=*/-1);
    if (returnProbabilities) result.probabilities = probabilities;
    context = torch::matmul(dropout(probabilities), v);
  }
  result.context =
      context.transpose(1, 2).reshape({B, S, numHeads_ * headSize_});  // (B, A, S, d) → (B, S, H)
  return result;
}

BertSelfOutputImpl::BertSelfOutputImpl(const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.hidden_size, c.hidden_size));
  LayerNorm = register_module(
      "LayerNorm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
  dropout = register_module("dropout", torch::nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertSelfOutputImpl::forward(const torch::Tensor& hidden,
                                          const torch::Tensor& residual) {
  // post-LN: Add & Norm in the residual stream's fp32, even when dense() ran in bf16 under
  // autocast (the explicit cast is a fast conversion; letting `+` promote the mixed pair
  // goes through a slow element-by-element path on the CPU).
  return LayerNorm(dropout(linearForward(dense, hidden)).to(residual.scalar_type()) + residual);
}

BertAttentionImpl::BertAttentionImpl(const BertConfig& c) {
  selfAttention = register_module("self", BertSelfAttention(c));
  output = register_module("output", BertSelfOutput(c));
}

AttentionResult BertAttentionImpl::forward(const torch::Tensor& hidden,
                                           const torch::Tensor& additiveMask,
                                           bool returnProbabilities) {
  AttentionResult result = selfAttention(hidden, additiveMask, returnProbabilities);
  result.context = output(result.context, hidden);
  return result;
}

}  // namespace bertwb
