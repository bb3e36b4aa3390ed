#include "model/bert_embeddings.h"

namespace bertwb {

BertEmbeddingsImpl::BertEmbeddingsImpl(const BertConfig& c) {
  word_embeddings = register_module("word_embeddings", torch::nn::Embedding(c.vocab_size, c.hidden_size));
  position_embeddings =
      register_module("position_embeddings", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
  token_type_embeddings =
      register_module("token_type_embeddings", torch::nn::Embedding(c.type_vocab_size, c.hidden_size));
  LayerNorm = register_module(
      "LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
  dropout = register_module("dropout", torch::nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& inputIds, const torch::Tensor& tokenTypeIds) {
  const int64_t sequenceLength = inputIds.size(1);
  auto positionIds = torch::arange(sequenceLength, inputIds.options()).unsqueeze(0);  // (1, S)
  auto embeddings = word_embeddings(inputIds) + token_type_embeddings(tokenTypeIds) +
                    position_embeddings(positionIds);  // (B, S, H)
  return dropout(LayerNorm(embeddings));
}

}  // namespace bertwb
