// The fine-tuned heads: classify a text (or pair), tag its words, answer a question.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "infer/predictor.h"
#include "infer/predictor_state.h"
#include "tasks/classification_features.h"
#include "tasks/qa_features.h"
#include "tasks/token_features.h"
#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {
namespace {

// The question may fill at most half of a QA window, so the context always has room even
// when the model's position table is shorter than run_squad.py's 384.
constexpr int kPredictorQaQueryShareDivisor = 2;
// Windows of one context run through the model this many at a time (bounded memory).
constexpr size_t kPredictorQaWindowsPerBatch = 16;
// The config.json field a SQuAD v2.0 fine-tuning run records (run_squad.py's flag name).
constexpr const char* kPredictorQaVersionTwoField = "version_2_with_negative";

bool predictorConfigFlag(const BertConfig& config, const char* field) {
  const auto it = config.extra_fields.find(field);
  if (it == config.extra_fields.end()) return false;
  const auto value = parseJsonOrDiscarded(it->second);
  return value.is_boolean() && value.get<bool>();
}

}  // namespace

ClassificationResult Predictor::classify(const std::string& text,
                                         const std::optional<std::string>& textB) const {
  State& s = *state_;  // non-const: forward() is not a const method
  s.requireCapability(s.capabilities.classify, "classify",
                      "a sequence-classification model (BertForSequenceClassification)");
  requirePredictorText(text, "classify", "text");
  TextExample example;
  example.textA = text;
  if (textB) {
    requirePredictorText(*textB, "classify", "second text (text_b)");
    example.textB = *textB;
  }
  const ClassificationFeature feature =
      featurizeText(example, *s.tokenizer, {s.maxSequenceLength()});

  torch::NoGradGuard noGrad;
  const AutocastScope autocast(s.device, s.precision.precision);  // the inference precision policy
  const TaskHeadOutput output =
      s.taskModel->sequenceClassifier->forward(predictorInputsOf(feature.encoding, s.device));
  const std::vector<float> logits = predictorFloats(output.logits[0]);  // (K)

  ClassificationResult result;
  result.truncatedPieces = feature.encoding.truncatedA + feature.encoding.truncatedB;
  if (logits.size() == 1) {  // one output: a regression head predicts the number itself
    result.regression = true;
    result.value = logits[0];
    return result;
  }
  const std::vector<float> probabilities =
      predictorFloats(torch::softmax(output.logits[0].to(torch::kFloat32), -1));
  for (size_t k = 0; k < logits.size(); ++k) {
    const std::string name = k < s.labels.size() ? s.labels[k] : "LABEL_" + std::to_string(k);
    result.labels.push_back({name, static_cast<int64_t>(k), probabilities[k], logits[k]});
  }
  result.ranked = result.labels;
  std::stable_sort(result.ranked.begin(), result.ranked.end(),
                   [](const LabelProbability& a, const LabelProbability& b) {
                     return a.probability > b.probability;
                   });
  result.bestId = result.ranked.front().id;
  result.bestLabel = result.ranked.front().label;
  return result;
}

TagResult Predictor::tag(const std::string& text, TagAggregation aggregation) const {
  State& s = *state_;  // non-const: forward() is not a const method
  s.requireCapability(s.capabilities.tag, "tag",
                      "a token-classification model (BertForTokenClassification)");
  requirePredictorText(text, "tag", "text");
  const WordSpans words = splitWords(text);
  const TokenFeature feature = featurizeWords(words, {}, *s.tokenizer, {s.maxSequenceLength()});

  torch::NoGradGuard noGrad;
  const AutocastScope autocast(s.device, s.precision.precision);  // the inference precision policy
  const TaskHeadOutput output =
      s.taskModel->tokenClassifier->forward(predictorInputsOf(feature.encoding, s.device));
  const std::vector<float> logits = predictorFloats(output.logits[0]);  // (S, K) row-major

  TagResult result;
  result.words = words.words;
  result.text = feature.text;
  TagDecodingOptions options;
  options.aggregation = aggregation;
  result.prediction = decodeTags(feature, logits, s.labels, options);
  return result;
}

AnswerResult Predictor::answer(const std::string& question, const std::string& context,
                               const AnswerOptions& options) const {
  State& s = *state_;  // non-const: forward() is not a const method
  s.requireCapability(s.capabilities.answer, "answer",
                      "a question-answering model (BertForQuestionAnswering)");
  requirePredictorText(question, "answer", "question");
  requirePredictorText(context, "answer", "context");
  if (options.nBest < 1)
    throw Error("answer: n-best must be at least 1 (got " + std::to_string(options.nBest) + ")");

  QaExample example;
  example.question = question;
  example.context = context;
  example.source = "answer";
  QaFeatureOptions featureOptions;
  featureOptions.maxSeqLength = std::min(kDefaultQaMaxSeqLength, s.maxSequenceLength());
  featureOptions.maxQueryLength = std::min(
      kDefaultQaMaxQueryLength, featureOptions.maxSeqLength / kPredictorQaQueryShareDivisor);
  const std::vector<QaFeature> features =
      featurizeQaExample(example, 0, *s.tokenizer, featureOptions);

  // Windows in batches of a fixed size: a long context costs a few forward passes, not one
  // per window, and memory stays that of one batch however long the context is (all windows
  // of a 440 KB context in one batch needed 3.3 GB at Tiny).
  torch::NoGradGuard noGrad;
  const AutocastScope autocast(s.device, s.precision.precision);  // the inference precision policy
  std::vector<QaWindowLogits> logits;
  logits.reserve(features.size());
  for (size_t first = 0; first < features.size(); first += kPredictorQaWindowsPerBatch) {
    const size_t last = std::min(features.size(), first + kPredictorQaWindowsPerBatch);
    std::vector<const std::vector<int32_t>*> ids, segments;
    for (size_t w = first; w < last; ++w) {
      ids.push_back(&features[w].ids);
      segments.push_back(&features[w].segmentIds);
    }
    const BertInputs inputs =
        predictorPaddedInputs(ids, segments, s.tokenizer->specialTokenIds().pad, s.device);
    const TaskHeadOutput output = s.taskModel->questionAnswerer->forward(inputs);
    const torch::Tensor starts = output.startLogits.to(torch::kCPU, torch::kFloat32);  // (B, S)
    const torch::Tensor ends = output.endLogits.to(torch::kCPU, torch::kFloat32);      // (B, S)
    for (int64_t w = 0; w < static_cast<int64_t>(last - first); ++w)
      logits.push_back({predictorFloats(starts[w]), predictorFloats(ends[w])});
  }

  AnswerResult result;
  result.windows = static_cast<int>(features.size());
  result.allowNoAnswer =
      options.allowNoAnswer.value_or(predictorConfigFlag(s.config, kPredictorQaVersionTwoField));
  QaDecodingOptions decoding;
  decoding.nBestSize =
      std::max(options.nBest, kDefaultQaNBestSize);  // search wide, show the first nBest
  decoding.maxAnswerLength = options.maxAnswerLength;
  decoding.versionTwo = result.allowNoAnswer;
  decoding.nullScoreDiffThreshold = options.nullScoreDiffThreshold;
  result.prediction = decodeQaAnswer(example, features, logits, decoding);
  if (result.prediction.nBest.size() > static_cast<size_t>(options.nBest))
    result.prediction.nBest.resize(static_cast<size_t>(options.nBest));
  return result;
}

}  // namespace bertwb
