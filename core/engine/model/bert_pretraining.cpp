#include "model/bert_pretraining.h"

#include "model/linear.h"

namespace bertwb {

BertPredictionHeadTransformImpl::BertPredictionHeadTransformImpl(const BertConfig& c)
    : activation_(activationFromName(c.hidden_act)) {
  dense = register_module("dense", torch::nn::Linear(c.hidden_size, c.hidden_size));
  LayerNorm = register_module(
      "LayerNorm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
}

torch::Tensor BertPredictionHeadTransformImpl::forward(const torch::Tensor& hidden) {
  // Under bf16 autocast dense() gives bf16, and LayerNorm must see fp32: it normalises in
  // the input's precision, and LibTorch 1.13's CPU layer_norm rejects bf16 input with fp32
  // weights outright. (In the encoder the residual sum is fp32 already.)
  return LayerNorm(applyActivation(activation_, linearForward(dense, hidden)).to(torch::kFloat32));
}

BertLMPredictionHeadImpl::BertLMPredictionHeadImpl(const BertConfig& c) {
  transform = register_module("transform", BertPredictionHeadTransform(c));
  bias = register_parameter("bias", torch::zeros({c.vocab_size}));
}

torch::Tensor BertLMPredictionHeadImpl::forward(const torch::Tensor& hidden,
                                                const torch::Tensor& decoderWeight) {
  return linearForward(transform(hidden), decoderWeight, bias);
}

BertPreTrainingHeadsImpl::BertPreTrainingHeadsImpl(const BertConfig& c) {
  predictions = register_module("predictions", BertLMPredictionHead(c));
  seq_relationship = register_module("seq_relationship", torch::nn::Linear(c.hidden_size, 2));
}

BertForPreTrainingImpl::BertForPreTrainingImpl(const BertConfig& config) {
  bert = register_module("bert", BertModel(config));
  cls = register_module("cls", BertPreTrainingHeads(config));
}

torch::Tensor gatherPositions(const torch::Tensor& sequence, const torch::Tensor& positions) {
  const int64_t H = sequence.size(2);
  auto index =
      positions.unsqueeze(-1).expand({positions.size(0), positions.size(1), H});  // (B, P, H)
  return sequence.gather(/*dim=*/1, index);
}

PreTrainingOutput BertForPreTrainingImpl::forward(const BertInputs& inputs,
                                                  const torch::Tensor& maskedPositions,
                                                  const ForwardOptions& options) {
  PreTrainingOutput out;
  out.bert = bert(inputs, options);
  torch::Tensor sequence = out.bert.lastHiddenState;  // (B, S, H)
  if (maskedPositions.defined())
    sequence = gatherPositions(sequence, maskedPositions);  // (B, P, H)
  // Tied decoder: the word-embedding table is the output projection, as in the original
  // BERT; read it at call time so that loading or moving the model keeps the tie.
  out.predictionLogits = cls->predictions(sequence, bert->embeddings->word_embeddings->weight);
  out.seqRelationshipLogits = linearForward(cls->seq_relationship, out.bert.pooledOutput);
  return out;
}

}  // namespace bertwb
