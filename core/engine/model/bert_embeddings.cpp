#include "model/bert_embeddings.h"

namespace bertwb {

BertEmbeddingsImpl::BertEmbeddingsImpl(const BertConfig& c) {
  word_embeddings =
      register_module("word_embeddings", torch::nn::Embedding(c.vocab_size, c.hidden_size));
  position_embeddings = register_module(
      "position_embeddings", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
  token_type_embeddings = register_module("token_type_embeddings",
                                          torch::nn::Embedding(c.type_vocab_size, c.hidden_size));
  LayerNorm = register_module(
      "LayerNorm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
  dropout = register_module("dropout", torch::nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& inputIds,
                                          const torch::Tensor& tokenTypeIds) {
  const int64_t sequenceLength = inputIds.size(1);
  auto positionIds = torch::arange(sequenceLength, inputIds.options()).unsqueeze(0);  // (1, S)
  // Summed and normalised in fp32 even when the tables are stored in bf16 for inference
  // (storeWeightsForInference); for fp32 tables the casts do nothing.
  auto embeddings = word_embeddings(inputIds).to(torch::kFloat32) +
                    token_type_embeddings(tokenTypeIds).to(torch::kFloat32) +
                    position_embeddings(positionIds).to(torch::kFloat32);  // (B, S, H)
  return dropout(LayerNorm(embeddings));
}

}  // namespace bertwb
