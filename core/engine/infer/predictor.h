#pragma once
// The playground's engine: one checkpoint folder, loaded once, asked one text at a time.
// config.json's "architectures" decides what it can do: a sequence classifier classifies, a
// token classifier tags, a QA model answers, a pre-trained (or masked-LM) model fills
// [MASK]s, and every one of them shows its attentions and embeds text. Results are plain
// structs without tensors, and <torch/torch.h> stays out of this header (pimpl), so the Qt
// GUI includes it cheaply and hands results across threads by value.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tasks/qa_decoding.h"
#include "tasks/tag_decoding.h"

namespace bertwb {

// 5: Hugging Face's fill-mask pipeline top_k and a handy n-best length for answers.
constexpr int kDefaultPredictorTopK = 5;

struct PredictorCapabilities {
  bool classify = false;  // BertForSequenceClassification
  bool tag = false;       // BertForTokenClassification
  bool answer = false;    // BertForQuestionAnswering
  bool fillMask = false;  // BertForPreTraining / BertForMaskedLM (the MLM head)
  // attentions and embed work with every checkpoint.
};

struct LabelProbability {
  std::string label;
  int64_t id = 0;
  double probability = 0;
  double logit = 0;
};

struct ClassificationResult {
  std::vector<LabelProbability> labels;  // label order (id 0, 1, ...); empty for regression
  std::vector<LabelProbability> ranked;  // the same, most probable first
  int64_t bestId = -1;                   // argmax
  std::string bestLabel;
  bool regression = false;  // one output: `value` is the prediction
  double value = 0;
  int truncatedPieces = 0;  // pieces cut to fit the model's position table
};

struct TagResult {
  std::vector<std::string> words;  // the text split on whitespace
  TagPrediction prediction;        // per-word labels and entities (code point offsets)
  std::string text;                // the text the offsets point into
};

struct AnswerOptions {
  int nBest = kDefaultPredictorTopK;  // spans kept in AnswerResult::prediction.nBest
  int maxAnswerLength = kDefaultQaMaxAnswerLength;
  // "No answer" allowed (SQuAD v2). Unset: config.json's "version_2_with_negative" (the
  // run_squad.py flag a fine-tuning run records), else false.
  std::optional<bool> allowNoAnswer;
  double nullScoreDiffThreshold = kDefaultQaNullScoreDiffThreshold;
};

struct AnswerResult {
  QaPrediction prediction;  // best span, n-best (score = start + end logit), null decision
  int windows = 0;          // context windows the model read
  bool allowNoAnswer = false;
};

struct TokenCandidate {
  std::string token;
  int32_t id = 0;
  double probability = 0;
};

struct MaskFill {
  int position = 0;                        // sequence position of the [MASK] (0 = [CLS])
  std::vector<TokenCandidate> candidates;  // top k, most probable first
};

struct FillMaskResult {
  std::vector<std::string> pieces;  // [CLS] ... [SEP]
  std::vector<MaskFill> masks;      // one per [MASK], left to right
};

struct AttentionMaps {
  std::vector<std::string> pieces;  // the S row/column labels, [CLS] ... [SEP]
  int layers = 0, heads = 0, length = 0;
  // (L, A, S, S) row-major: weights[((l·A + h)·S + i)·S + j] = how much piece i attends to j.
  std::vector<float> weights;
  const float* matrix(int layer, int head) const {
    return weights.data() + (static_cast<size_t>(layer) * heads + head) * length * length;
  }
};

enum class EmbeddingPooling { Cls, Mean };

struct EmbedOptions {
  // feature_extraction.h's layer specs: "-1", "-2,-1", "sum4", "concat4", "0" (embeddings).
  std::string layers = "-1";
  EmbeddingPooling pooling = EmbeddingPooling::Cls;  // the sentence vector: [CLS] or the mean
};

struct EmbeddingResult {
  std::vector<std::string> pieces;  // the word pieces, without [CLS]/[SEP]
  int64_t dimension = 0;
  std::vector<float> pieceVectors;    // (pieces, dimension) row-major
  std::vector<float> sentenceVector;  // (dimension)
};

class Predictor {
 public:
  // Reads config.json, the weights and the tokenizer of `folder`; `device`: "cpu", "cuda",
  // "cuda:N" or "auto"; `precision`: the inference policy, "auto", "fp32" (the exact path)
  // or "bf16"/"fp16" (runtime/precision.h). Results are fp32 whatever the precision. Throws
  // bertwb::Error naming the folder when something is missing, or the precision cannot run.
  static Predictor load(const std::string& folder, const std::string& device = "cpu",
                        const std::string& precision = "fp32");

  Predictor(Predictor&&) noexcept;
  Predictor& operator=(Predictor&&) noexcept;
  ~Predictor();

  const PredictorCapabilities& capabilities() const;
  const std::string& architecture() const;
  // The precision in use and why: "bf16 (auto: this CPU has AVX512-BF16)".
  const std::string& precision() const;  // "BertForTokenClassification", "BertModel", ...
  const std::string& folder() const;
  const std::vector<std::string>& labels() const;  // id2label; empty without a classifier

  ClassificationResult classify(const std::string& text,
                                const std::optional<std::string>& textB = std::nullopt) const;
  TagResult tag(const std::string& text, TagAggregation aggregation = TagAggregation::First) const;
  AnswerResult answer(const std::string& question, const std::string& context,
                      const AnswerOptions& options = {}) const;
  FillMaskResult fillMask(const std::string& text, int topK = kDefaultPredictorTopK) const;
  AttentionMaps attentions(const std::string& text,
                           const std::optional<std::string>& textB = std::nullopt) const;
  EmbeddingResult embed(const std::string& text,
                        const std::optional<std::string>& textB = std::nullopt,
                        const EmbedOptions& options = {}) const;

  struct State;  // the models, tokenizer and device (predictor_state.h)

 private:
  explicit Predictor(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace bertwb
