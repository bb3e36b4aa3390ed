#include "model/bert_encoder.h"

#include "model/linear.h"

namespace bertwb {

BertIntermediateImpl::BertIntermediateImpl(const BertConfig& c)
    : activation_(activationFromName(c.hidden_act)) {
  dense = register_module("dense", torch::nn::Linear(c.hidden_size, c.intermediate_size));
}

torch::Tensor BertIntermediateImpl::forward(const torch::Tensor& hidden) {
  return applyActivation(activation_, linearForward(dense, hidden));
}

BertFeedForwardOutputImpl::BertFeedForwardOutputImpl(const BertConfig& c) {
  dense = register_module("dense", torch::nn::Linear(c.intermediate_size, c.hidden_size));
  LayerNorm = register_module(
      "LayerNorm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
  dropout = register_module("dropout", torch::nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertFeedForwardOutputImpl::forward(const torch::Tensor& intermediate,
                                                 const torch::Tensor& residual) {
  // The same Add & Norm as BertSelfOutput, in the residual stream's fp32.
  return LayerNorm(dropout(linearForward(dense, intermediate)).to(residual.scalar_type()) +
                   residual);
}

BertLayerImpl::BertLayerImpl(const BertConfig& c) {
  attention = register_module("attention", BertAttention(c));
  intermediate = register_module("intermediate", BertIntermediate(c));
  output = register_module("output", BertFeedForwardOutput(c));
}

AttentionResult BertLayerImpl::forward(const torch::Tensor& hidden,
                                       const torch::Tensor& additiveMask,
                                       bool returnProbabilities) {
  AttentionResult result = attention(hidden, additiveMask, returnProbabilities);
  result.context = output(intermediate(result.context), result.context);
  return result;
}

BertEncoderImpl::BertEncoderImpl(const BertConfig& c) {
  layer = register_module("layer", torch::nn::ModuleList());
  for (int i = 0; i < c.num_hidden_layers; ++i) {
    layers.emplace_back(c);
    layer->push_back(layers.back());
  }
}

EncoderResult BertEncoderImpl::forward(const torch::Tensor& embeddings,
                                       const torch::Tensor& additiveMask, bool returnAttentions,
                                       bool returnHiddenStates) {
  EncoderResult result;
  torch::Tensor hidden = embeddings;
  if (returnHiddenStates) result.hiddenStates.push_back(hidden);
  for (auto& block : layers) {
    AttentionResult out = block(hidden, additiveMask, returnAttentions);
    hidden = out.context;
    if (returnAttentions) result.attentions.push_back(out.probabilities);
    if (returnHiddenStates) result.hiddenStates.push_back(hidden);
  }
  result.lastHiddenState = hidden;
  return result;
}

}  // namespace bertwb
