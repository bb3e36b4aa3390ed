#pragma once
// Pre-training heads (paper §3.1): masked LM through a transform and a vocabulary
// projection whose weight is the word-embedding table (tied), and next-sentence prediction
// from the pooled [CLS] vector. Hugging Face key names: cls.predictions.*, cls.seq_relationship.*
#include <torch/torch.h>

#include "model/activations.h"
#include "model/bert_model.h"

namespace bertwb {

// dense H×H → activation → LayerNorm, applied before the vocabulary projection.
class BertPredictionHeadTransformImpl : public torch::nn::Module {
 public:
  explicit BertPredictionHeadTransformImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& hidden);

  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};

 private:
  Activation activation_;
};
TORCH_MODULE(BertPredictionHeadTransform);

class BertLMPredictionHeadImpl : public torch::nn::Module {
 public:
  explicit BertLMPredictionHeadImpl(const BertConfig& config);
  // hidden: (..., H); decoderWeight: the word embeddings (V, H) → logits (..., V)
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& decoderWeight);

  BertPredictionHeadTransform transform{nullptr};
  torch::Tensor bias;  // (V): the decoder's own bias, key cls.predictions.bias
};
TORCH_MODULE(BertLMPredictionHead);

// The "cls" module: predictions (MLM) + seq_relationship (NSP).
class BertPreTrainingHeadsImpl : public torch::nn::Module {
 public:
  explicit BertPreTrainingHeadsImpl(const BertConfig& config);

  BertLMPredictionHead predictions{nullptr};
  torch::nn::Linear seq_relationship{nullptr};  // H → 2: 0 = IsNext, 1 = NotNext
};
TORCH_MODULE(BertPreTrainingHeads);

struct PreTrainingOutput {
  BertModelOutput bert;
  // (B, S, V) for every position, or (B, P, V) at the gathered masked positions.
  torch::Tensor predictionLogits;
  torch::Tensor seqRelationshipLogits;  // (B, 2)
};

class BertForPreTrainingImpl : public torch::nn::Module {
 public:
  explicit BertForPreTrainingImpl(const BertConfig& config);

  // With `maskedPositions` (B, P) int64 the vocabulary projection runs only at those
  // positions, as the original implementation's gather_indexes: with 15% masking that
  // skips ~85% of the output layer's work. Undefined → logits at every position.
  PreTrainingOutput forward(const BertInputs& inputs, const torch::Tensor& maskedPositions = {},
                            const ForwardOptions& options = {});

  const BertConfig& config() const { return bert->config(); }

  BertModel bert{nullptr};
  BertPreTrainingHeads cls{nullptr};
};
TORCH_MODULE(BertForPreTraining);

// (B, S, H) gathered at (B, P) positions → (B, P, H).
torch::Tensor gatherPositions(const torch::Tensor& sequence, const torch::Tensor& positions);

}  // namespace bertwb
