#include "model/bert_heads.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/utils/rnn.h>
#include <cmath>
#include <nlohmann/json.hpp>

#include "data/ignored_label.h"
#include "model/initialization.h"
#include "model/linear.h"
#include "tasks/task_kind.h"
#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {
namespace {

// Hugging Face's config field for the classifier's own dropout (null = use hidden dropout).
constexpr const char* kClassifierDropoutField = "classifier_dropout";

void headsCheckLabelCount(int numLabels, const char* headName) {
  if (numLabels < 1) {
    throw Error(std::string(headName) + " needs at least 1 label (got " +
                std::to_string(numLabels) + ")");
  }
}

// (B, S) → (B·C, S) for multiple-choice inputs given as (B, C, S); undefined stays undefined.
torch::Tensor headsFlattenChoices(const torch::Tensor& t) {
  if (!t.defined()) return t;
  return t.reshape({-1, t.size(-1)});  // (B, C, S) → (B·C, S)
}

}  // namespace

double classifierDropoutProbability(const BertConfig& config) {
  auto it = config.extra_fields.find(kClassifierDropoutField);
  if (it != config.extra_fields.end()) {
    const auto value = parseJsonOrDiscarded(it->second);
    if (value.is_number()) return value.get<double>();
  }
  return config.hidden_dropout_prob;
}

// ---- sequence classification ----

BertForSequenceClassificationImpl::BertForSequenceClassificationImpl(const BertConfig& config,
                                                                     int numLabels)
    : numLabels_(numLabels) {
  headsCheckLabelCount(numLabels, "BertForSequenceClassification");
  bert = register_module("bert", BertModel(config, /*addPoolingLayer=*/true));
  dropout = register_module("dropout", torch::nn::Dropout(classifierDropoutProbability(config)));
  classifier = register_module("classifier", torch::nn::Linear(config.hidden_size, numLabels));
}

TaskHeadOutput BertForSequenceClassificationImpl::forward(const BertInputs& inputs,
                                                          const ForwardOptions& options) {
  TaskHeadOutput out;
  out.bert = bert(inputs, options);
  out.logits = linearForward(classifier, dropout(out.bert.pooledOutput));  // (B, H) → (B, K)
  return out;
}

torch::Tensor BertForSequenceClassificationImpl::loss(const torch::Tensor& logits,
                                                      const torch::Tensor& labels) const {
  if (numLabels_ == 1) {
    // Regression (STS-B): the single output is the predicted number.
    return torch::mse_loss(logits.squeeze(-1).to(torch::kFloat32),
                           labels.to(torch::kFloat32));  // (B, 1) → (B)
  }
  // Every loss here is taken in fp32, whatever precision the logits come in (bf16/fp16
  // autocast): the small probabilities a cross-entropy is made of do not survive bf16.
  return torch::nn::functional::cross_entropy(
      logits.to(torch::kFloat32), labels,
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreLabel));
}

// ---- token classification ----

BertForTokenClassificationImpl::BertForTokenClassificationImpl(const BertConfig& config,
                                                               int numLabels)
    : numLabels_(numLabels) {
  headsCheckLabelCount(numLabels, "BertForTokenClassification");
  bert = register_module("bert", BertModel(config, /*addPoolingLayer=*/false));
  dropout = register_module("dropout", torch::nn::Dropout(classifierDropoutProbability(config)));
  classifier = register_module("classifier", torch::nn::Linear(config.hidden_size, numLabels));
}

TaskHeadOutput BertForTokenClassificationImpl::forward(const BertInputs& inputs,
                                                       const ForwardOptions& options) {
  TaskHeadOutput out;
  if (features_ == FeatureCombination::Last && featureHead_ == FeatureHead::Linear) {
    out.bert = bert(inputs, options);
    out.logits =
        linearForward(classifier, dropout(out.bert.lastHiddenState));  // (B, S, H) → (B, S, K)
    return out;
  }
  ForwardOptions withLayers = options;
  withLayers.outputHiddenStates = true;
  out.bert = bert(inputs, withLayers);
  torch::Tensor features = combinedFeatures(out.bert.hiddenStates);
  if (featureHead_ == FeatureHead::BiLstm) features = biLstmOutputs(features, inputs.attentionMask);
  out.logits = linearForward(classifier, dropout(features));
  if (!options.outputHiddenStates) out.bert.hiddenStates.clear();
  return out;
}

namespace {

constexpr int64_t kFeatureLstmLayers = 2;  // paper §5.3

// How many hidden states "the last four" takes from `available` (embeddings + L layers).
size_t lastFourCount(size_t available) {
  return std::min<size_t>(4, available);
}

}  // namespace

void BertForTokenClassificationImpl::useFeatures(FeatureCombination combination, uint64_t seed,
                                                 FeatureHead head) {
  features_ = combination;
  featureHead_ = head;
  const BertConfig& config = bert->config();
  const auto states = static_cast<size_t>(config.num_hidden_layers) + 1;
  const int64_t width = combination == FeatureCombination::ConcatLastFour
                            ? static_cast<int64_t>(lastFourCount(states)) * config.hidden_size
                            : config.hidden_size;
  int64_t classifierWidth = width;
  if (head == FeatureHead::BiLstm) {
    const int64_t hidden = config.hidden_size;
    featureLstm =
        register_module("feature_lstm", torch::nn::LSTM(torch::nn::LSTMOptions(width, hidden)
                                                            .num_layers(kFeatureLstmLayers)
                                                            .bidirectional(true)
                                                            .batch_first(true)));
    // PyTorch's LSTM initialisation, from the run's seed rather than the global generator.
    at::Generator generator = at::detail::createCPUGenerator(seed + 1);
    const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
    torch::NoGradGuard noGrad;
    for (torch::Tensor& parameter : featureLstm->parameters())
      parameter.uniform_(-bound, bound, generator);
    classifierWidth = 2 * hidden;
  }
  classifier = replace_module("classifier", torch::nn::Linear(classifierWidth, numLabels_));
  initializeBertWeights(*classifier, config.initializer_range, seed);
  if (combination == FeatureCombination::WeightedSumAll) {
    featureWeights =
        register_parameter("feature_weights", torch::zeros({static_cast<int64_t>(states)}));
  }
}

torch::Tensor BertForTokenClassificationImpl::biLstmOutputs(const torch::Tensor& features,
                                                            const torch::Tensor& attentionMask) {
  const int64_t batch = features.size(0), length = features.size(1);
  const torch::Tensor lengths =
      attentionMask.defined()
          ? attentionMask.sum(1).clamp_min(1).to(torch::kCPU, torch::kInt64)
          : torch::full({batch}, length, torch::TensorOptions().dtype(torch::kInt64));
  // fp32 in: under autocast the LSTM then runs in whichever precision autocast gives it.
  const auto packed = torch::nn::utils::rnn::pack_padded_sequence(
      features.to(torch::kFloat), lengths, /*batch_first=*/true, /*enforce_sorted=*/false);
  const auto outputs = std::get<0>(featureLstm->forward_with_packed_input(packed));
  return std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(outputs, /*batch_first=*/true,
                                                                /*padding_value=*/0.0, length));
}

torch::Tensor BertForTokenClassificationImpl::combinedFeatures(
    const std::vector<torch::Tensor>& hiddenStates) const {
  const size_t count = hiddenStates.size();  // L + 1
  const size_t four = lastFourCount(count);
  switch (features_) {
    case FeatureCombination::Last:
      return hiddenStates.back();
    case FeatureCombination::Embeddings:
      return hiddenStates.front();
    case FeatureCombination::SecondToLast:
      return hiddenStates.at(count >= 2 ? count - 2 : 0);
    case FeatureCombination::SumLastFour: {
      torch::Tensor sum = hiddenStates.back();
      for (size_t i = count - four; i + 1 < count; ++i) sum = sum + hiddenStates[i];
      return sum;
    }
    case FeatureCombination::ConcatLastFour:
      return torch::cat(std::vector<torch::Tensor>(hiddenStates.end() - static_cast<long>(four),
                                                   hiddenStates.end()),
                        -1);  // (B, S, 4H)
    case FeatureCombination::WeightedSumAll: {
      const torch::Tensor weights = torch::softmax(featureWeights, 0);
      torch::Tensor sum = hiddenStates[0] * weights[0].to(hiddenStates[0].scalar_type());
      for (size_t i = 1; i < count; ++i)
        sum = sum + hiddenStates[i] * weights[static_cast<int64_t>(i)].to(sum.scalar_type());
      return sum;
    }
  }
  return hiddenStates.back();
}

torch::Tensor BertForTokenClassificationImpl::loss(const torch::Tensor& logits,
                                                   const torch::Tensor& labels) const {
  return torch::nn::functional::cross_entropy(
      logits.reshape({-1, logits.size(-1)}).to(torch::kFloat32),  // (B, S, K) → (B·S, K), fp32
      labels.reshape({-1}),                                       // (B, S) → (B·S)
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreLabel));
}

// ---- question answering ----

BertForQuestionAnsweringImpl::BertForQuestionAnsweringImpl(const BertConfig& config) {
  bert = register_module("bert", BertModel(config, /*addPoolingLayer=*/false));
  qa_outputs =
      register_module("qa_outputs", torch::nn::Linear(config.hidden_size, /*start and end=*/2));
}

TaskHeadOutput BertForQuestionAnsweringImpl::forward(const BertInputs& inputs,
                                                     const ForwardOptions& options) {
  TaskHeadOutput out;
  out.bert = bert(inputs, options);
  out.logits = linearForward(qa_outputs, out.bert.lastHiddenState);  // (B, S, H) → (B, S, 2)
  out.startLogits = out.logits.select(/*dim=*/-1, /*index=*/0).contiguous();  // (B, S)
  out.endLogits = out.logits.select(/*dim=*/-1, /*index=*/1).contiguous();    // (B, S)
  return out;
}

torch::Tensor BertForQuestionAnsweringImpl::loss(const torch::Tensor& startLogits,
                                                 const torch::Tensor& endLogits,
                                                 const torch::Tensor& startPositions,
                                                 const torch::Tensor& endPositions) const {
  // A position past the sequence (a window cut by a multi-GPU split, say) becomes S, which
  // cross-entropy is told to ignore: Hugging Face's rule.
  const int64_t ignored = startLogits.size(1);
  auto options = torch::nn::functional::CrossEntropyFuncOptions().ignore_index(ignored);
  auto start = torch::nn::functional::cross_entropy(startLogits.to(torch::kFloat32),
                                                    startPositions.clamp(0, ignored), options);
  auto end = torch::nn::functional::cross_entropy(endLogits.to(torch::kFloat32),
                                                  endPositions.clamp(0, ignored), options);
  return (start + end) / 2;
}

// ---- multiple choice ----

BertForMultipleChoiceImpl::BertForMultipleChoiceImpl(const BertConfig& config) {
  bert = register_module("bert", BertModel(config, /*addPoolingLayer=*/true));
  dropout = register_module("dropout", torch::nn::Dropout(classifierDropoutProbability(config)));
  classifier =
      register_module("classifier", torch::nn::Linear(config.hidden_size, /*one score=*/1));
}

TaskHeadOutput BertForMultipleChoiceImpl::forward(const BertInputs& inputs,
                                                  const ForwardOptions& options) {
  if (!inputs.inputIds.defined() || inputs.inputIds.dim() != 3) {
    throw Error("multiple-choice input_ids must be (batch, choices, sequence)");
  }
  const int64_t choices = inputs.inputIds.size(1);
  BertInputs flat{headsFlattenChoices(inputs.inputIds), headsFlattenChoices(inputs.tokenTypeIds),
                  headsFlattenChoices(inputs.attentionMask)};
  TaskHeadOutput out;
  out.bert = bert(flat, options);
  auto scores = linearForward(classifier, dropout(out.bert.pooledOutput));  // (B·C, H) → (B·C, 1)
  out.logits = scores.view({-1, choices});                                  // (B·C, 1) → (B, C)
  return out;
}

torch::Tensor BertForMultipleChoiceImpl::loss(const torch::Tensor& logits,
                                              const torch::Tensor& labels) const {
  return torch::nn::functional::cross_entropy(
      logits.to(torch::kFloat32), labels,
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreLabel));
}

}  // namespace bertwb
