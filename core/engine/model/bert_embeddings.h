#pragma once
// Input representation (paper §3, Figure 2): each token's vector is the sum of its word
// piece, its position and its segment (token type) embedding, then LayerNorm and dropout.
#include <torch/torch.h>

#include "model/bert_config.h"

namespace bertwb {

class BertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit BertEmbeddingsImpl(const BertConfig& config);

  // inputIds, tokenTypeIds: (B, S) int64 → (B, S, H)
  torch::Tensor forward(const torch::Tensor& inputIds, const torch::Tensor& tokenTypeIds);

  torch::nn::Embedding word_embeddings{nullptr};
  torch::nn::Embedding position_embeddings{nullptr};
  torch::nn::Embedding token_type_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};  // capitalised: it is the checkpoint key
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BertEmbeddings);

}  // namespace bertwb
