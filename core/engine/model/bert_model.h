#pragma once
// BertModel: embeddings → encoder → pooler, the bare model every task head sits on.
// Shape legend: B batch, S sequence, H hidden, A heads, d = H/A head size, V vocabulary,
// L layers, P masked positions per sequence.
#include <torch/torch.h>

#include <vector>

#include "model/bert_config.h"
#include "model/bert_embeddings.h"
#include "model/bert_encoder.h"

namespace bertwb {

struct BertInputs {
  torch::Tensor inputIds;       // (B, S) int64
  torch::Tensor tokenTypeIds;   // (B, S) int64; undefined → all segment A (0)
  torch::Tensor attentionMask;  // (B, S), 1 = real token, 0 = padding; undefined → all 1
};

struct ForwardOptions {
  bool outputAttentions = false;
  bool outputHiddenStates = false;
  // Left-to-right attention (each position sees only itself and earlier ones): the paper's
  // "LTR" ablation (§5.1) uses the same encoder with this mask.
  bool causal = false;
};

struct BertModelOutput {
  torch::Tensor lastHiddenState;            // (B, S, H)
  torch::Tensor pooledOutput;               // (B, H): tanh(W·h_[CLS] + b)
  std::vector<torch::Tensor> hiddenStates;  // L+1 × (B, S, H) when asked for
  std::vector<torch::Tensor> attentions;    // L × (B, A, S, S) when asked for
};

// The pooler: first token's hidden state through dense + tanh (paper's C vector).
class BertPoolerImpl : public torch::nn::Module {
 public:
  explicit BertPoolerImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& hidden);  // (B, S, H) → (B, H)

  torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(BertPooler);

class BertModelImpl : public torch::nn::Module {
 public:
  // `addPoolingLayer` false: no pooler (and no bert.pooler.* keys), as Hugging Face builds the
  // token-classification and question-answering models (add_pooling_layer=False); the
  // output's pooledOutput is then undefined.
  explicit BertModelImpl(const BertConfig& config, bool addPoolingLayer = true);
  BertModelOutput forward(const BertInputs& inputs, const ForwardOptions& options = {});

  const BertConfig& config() const { return config_; }

  BertEmbeddings embeddings{nullptr};
  BertEncoder encoder{nullptr};
  BertPooler pooler{nullptr};  // null without a pooling layer

 private:
  BertConfig config_;
};
TORCH_MODULE(BertModel);

// (B, S) 0/1 mask → (B, 1, 1, S) additive mask (0 where allowed, the dtype's lowest value
// where not), combined with a causal (1, 1, S, S) mask when asked. Softmax then gives
// exactly 0 to masked columns.
torch::Tensor makeAdditiveAttentionMask(const torch::Tensor& attentionMask, bool causal,
                                        torch::ScalarType dtype);

// Checks user-supplied inputs against the config (shapes agree, ids inside the tables,
// sequence not longer than the position table). Throws bertwb::Error naming the field.
void checkModelInputs(const BertConfig& config, const BertInputs& inputs);

}  // namespace bertwb
