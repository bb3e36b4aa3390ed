#pragma once
// Fine-tuning heads (paper §4, Figure 4): one small layer on top of BertModel per task
// family, with Hugging Face's module and key names (bert.…, classifier.*, qa_outputs.*) so
// that checkpoints move between this workbench and `transformers` both ways.
// Shape legend: B batch, S sequence, H hidden, K labels, C choices.
#include <torch/torch.h>

#include "model/bert_model.h"

namespace bertwb {

// Logits plus the encoder's outputs (attentions and hidden states when ForwardOptions asks).
struct TaskHeadOutput {
  BertModelOutput bert;
  // Sequence classification (B, K); token classification (B, S, K); multiple choice (B, C);
  // question answering (B, S, 2), also split into startLogits and endLogits (B, S).
  torch::Tensor logits;
  torch::Tensor startLogits, endLogits;
};

// The dropout before the classifier: config.json's "classifier_dropout" when it sets one
// (Hugging Face's field), else hidden_dropout_prob.
double classifierDropoutProbability(const BertConfig& config);

// Pooled [CLS] → dropout → classifier (K × H). K = 1 is regression (MSE loss).
class BertForSequenceClassificationImpl : public torch::nn::Module {
 public:
  BertForSequenceClassificationImpl(const BertConfig& config, int numLabels);
  TaskHeadOutput forward(const BertInputs& inputs, const ForwardOptions& options = {});
  // logits (B, K); labels (B) int64 class ids (-100 ignored), or (B) floats when K = 1.
  torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) const;

  int numLabels() const { return numLabels_; }

  BertModel bert{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier{nullptr};

 private:
  int numLabels_;
};
TORCH_MODULE(BertForSequenceClassification);

// The hidden layers a feature-based tagger reads (paper §5.3, Table 7). "Four" means the last
// four of embeddings + L layers, or all of them when a model has fewer.
enum class FeatureCombination {
  Last,            // the final layer: the fine-tuning head's input
  Embeddings,      // the embedding output, before any layer
  SecondToLast,    // layer L−1
  SumLastFour,     // their sum
  ConcatLastFour,  // their concatenation (the classifier reads 4H)
  WeightedSumAll,  // a learned softmax-weighted sum of all L+1 (ELMo's scalar mix)
};

// What reads the features of a feature-based tagger: a linear layer per token, or the paper's
// two-layer bidirectional LSTM (§5.3: "a randomly initialized two-layer 768-dimensional
// BiLSTM before the classification layer"; here H-dimensional per direction) and then the
// linear layer over its 2H outputs.
enum class FeatureHead { Linear, BiLstm };

// Every token's hidden state → dropout → classifier (K × H). No pooler, as Hugging Face.
class BertForTokenClassificationImpl : public torch::nn::Module {
 public:
  BertForTokenClassificationImpl(const BertConfig& config, int numLabels);
  TaskHeadOutput forward(const BertInputs& inputs, const ForwardOptions& options = {});
  // Feature-based use: the classifier reads `combination` instead of the last layer. Builds
  // a fresh classifier of the right width (BERT's initialisation with `seed`) and, for the
  // weighted sum, one weight per layer ("feature_weights", outside bert.*, so a frozen
  // encoder still trains it). With FeatureHead::BiLstm a two-layer BiLSTM ("feature_lstm",
  // PyTorch's uniform ±1/√hidden initialisation drawn from `seed`) reads the features first,
  // over each sequence's real tokens only. For experiments; such a model is not saved in HF's
  // layout.
  void useFeatures(FeatureCombination combination, uint64_t seed,
                   FeatureHead head = FeatureHead::Linear);
  FeatureCombination features() const { return features_; }
  FeatureHead featureHead() const { return featureHead_; }
  // logits (B, S, K); labels (B, S) with -100 on pieces that carry no label (continuation
  // pieces, [CLS], [SEP], padding): those positions add nothing to the loss.
  torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) const;

  int numLabels() const { return numLabels_; }

  BertModel bert{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier{nullptr};
  torch::Tensor featureWeights;          // (L+1) logits of the weighted sum; undefined otherwise
  torch::nn::LSTM featureLstm{nullptr};  // FeatureHead::BiLstm only

 private:
  // The BiLSTM over `features` (B, S, W), each sequence packed to its real length (the
  // attention mask's 1s) so padding never enters the backward direction: (B, S, 2H).
  torch::Tensor biLstmOutputs(const torch::Tensor& features, const torch::Tensor& attentionMask);
  // The layers `features_` combines, from the encoder's L+1 hidden states.
  torch::Tensor combinedFeatures(const std::vector<torch::Tensor>& hiddenStates) const;
  int numLabels_;
  FeatureCombination features_ = FeatureCombination::Last;
  FeatureHead featureHead_ = FeatureHead::Linear;
};
TORCH_MODULE(BertForTokenClassification);

// Every token's hidden state → qa_outputs (2 × H) → start and end logits. No pooler, and no
// dropout before qa_outputs (neither the original nor Hugging Face has one).
class BertForQuestionAnsweringImpl : public torch::nn::Module {
 public:
  explicit BertForQuestionAnsweringImpl(const BertConfig& config);
  TaskHeadOutput forward(const BertInputs& inputs, const ForwardOptions& options = {});
  // Mean of the start and end cross-entropies; positions (B) int64. Positions outside the
  // sequence are clamped to S and ignored, as Hugging Face does.
  torch::Tensor loss(const torch::Tensor& startLogits, const torch::Tensor& endLogits,
                     const torch::Tensor& startPositions, const torch::Tensor& endPositions) const;

  BertModel bert{nullptr};
  torch::nn::Linear qa_outputs{nullptr};
};
TORCH_MODULE(BertForQuestionAnswering);

// Inputs (B, C, S) are scored as B·C sequences: pooled → dropout → classifier (1 × H) →
// one score per choice → (B, C) logits, a softmax over the choices.
class BertForMultipleChoiceImpl : public torch::nn::Module {
 public:
  explicit BertForMultipleChoiceImpl(const BertConfig& config);
  TaskHeadOutput forward(const BertInputs& inputs, const ForwardOptions& options = {});
  // logits (B, C); labels (B) int64, the index of the right choice.
  torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) const;

  BertModel bert{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier{nullptr};
};
TORCH_MODULE(BertForMultipleChoice);

}  // namespace bertwb
