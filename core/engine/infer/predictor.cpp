#include "infer/predictor.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "infer/predictor_state.h"
#include "io/model_loading.h"
#include "io/tokenizer_fit.h"
#include "model/inference_weights.h"
#include "runtime/device.h"
#include "tasks/task_kind.h"
#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {
namespace {

constexpr const char* kPredictorPreTrainingArchitecture = "BertForPreTraining";
constexpr const char* kPredictorMaskedLmArchitecture = "BertForMaskedLM";
constexpr const char* kPredictorBareArchitecture = "BertModel";
// A key only the masked-LM head has: without it in the file, [MASK] predictions would come
// from a freshly initialised head, which is noise, not the model.
constexpr const char* kPredictorMlmHeadKey = "cls.predictions.transform.dense.weight";

// The first entry of config.json's "architectures", or "" when it names none.
std::string predictorArchitectureOf(const BertConfig& config, const std::string& folder) {
  const auto it = config.extra_fields.find("architectures");
  if (it == config.extra_fields.end()) return "";
  const auto names = parseJsonOrDiscarded(it->second);
  if (names.is_array() && !names.empty() && names[0].is_string())
    return names[0].get<std::string>();
  if (names.is_string()) return names.get<std::string>();
  throw Error(folder + "/config.json: \"architectures\" must be a list of class names, got " +
              it->second);
}

bool predictorContains(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

// ---- the shared helpers (predictor_state.h) ----

BertModel Predictor::State::body() const {
  if (taskModel) {
    switch (taskModel->kind) {
      case TaskKind::SequenceClassification:
        return taskModel->sequenceClassifier->bert;
      case TaskKind::TokenClassification:
        return taskModel->tokenClassifier->bert;
      case TaskKind::QuestionAnswering:
        return taskModel->questionAnswerer->bert;
      case TaskKind::MultipleChoice:
        return taskModel->choiceScorer->bert;
    }
  }
  if (!pretraining.is_empty()) return pretraining->bert;
  return bareModel;
}

void Predictor::State::requireCapability(bool available, const std::string& method,
                                         const std::string& what) const {
  if (available) return;
  throw Error("this checkpoint (" + folder + ") is a " + architecture + "; " + method + " needs " +
              what);
}

void requirePredictorText(const std::string& text, const std::string& method,
                          const std::string& field) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(method + ": the " + field + " is empty (type some text)");
}

BertInputs predictorInputsOf(const Encoding& encoding, const torch::Device& device) {
  return predictorPaddedInputs({&encoding.ids}, {&encoding.segmentIds}, /*padId=*/0, device);
}

BertInputs predictorPaddedInputs(const std::vector<const std::vector<int32_t>*>& ids,
                                 const std::vector<const std::vector<int32_t>*>& segmentIds,
                                 int32_t padId, const torch::Device& device) {
  const int64_t B = static_cast<int64_t>(ids.size());
  int64_t S = 0;
  for (const auto* row : ids) S = std::max<int64_t>(S, static_cast<int64_t>(row->size()));
  std::vector<int64_t> idValues(static_cast<size_t>(B * S), padId);
  std::vector<int64_t> segmentValues(static_cast<size_t>(B * S), 0),
      maskValues(static_cast<size_t>(B * S), 0);
  for (int64_t b = 0; b < B; ++b) {
    for (size_t s = 0; s < ids[b]->size(); ++s) {
      const size_t at = static_cast<size_t>(b * S) + s;
      idValues[at] = (*ids[b])[s];
      segmentValues[at] = (*segmentIds[b])[s];
      maskValues[at] = 1;
    }
  }
  auto toTensor = [&](const std::vector<int64_t>& values) {
    return torch::tensor(values, torch::kInt64).view({B, S}).to(device);  // (B, S)
  };
  return {toTensor(idValues), toTensor(segmentValues), toTensor(maskValues)};
}

std::vector<float> predictorFloats(const torch::Tensor& tensor) {
  const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  const float* data = values.data_ptr<float>();
  return std::vector<float>(data, data + values.numel());
}

// ---- loading ----

Predictor Predictor::load(const std::string& folder, const std::string& device,
                          const std::string& precision) {
  auto state = std::make_unique<State>();
  state->folder = folder;
  const CheckpointSummary summary = inspectCheckpoint(folder);
  state->config = summary.config;
  state->architecture = predictorArchitectureOf(summary.config, folder);
  if (state->architecture.empty())
    state->architecture = summary.hasPretrainingHeads ? kPredictorPreTrainingArchitecture
                                                      : kPredictorBareArchitecture;
  state->tokenizer = loadTokenizer(folder);
  // Before any work: every id the tokenizer gives must be the model's (predict would otherwise
  // stop at the first id past the embedding table and leave later inputs unanswered).
  checkTokenizerFitsModel(*state->tokenizer, summary.config, folder);
  state->device = selectDevice(device);
  state->precision = resolvePrecision(precisionRequestFromName(precision), state->device);

  if (const auto kind = taskKindFromArchitecture(state->architecture)) {
    TaskLoadResult loaded = loadForTask(folder, *kind);
    // The architecture promises a trained head; a head made up at load time would predict noise.
    if (!loaded.freshKeys.empty()) {
      throw Error(folder + ": config.json says " + state->architecture +
                  " but model.safetensors lacks its head (" + loaded.summary() +
                  "); fine-tune the model first");
    }
    state->labels = loaded.model.labels;
    state->capabilities.classify = *kind == TaskKind::SequenceClassification;
    state->capabilities.tag = *kind == TaskKind::TokenClassification;
    state->capabilities.answer = *kind == TaskKind::QuestionAnswering;
    state->taskModel = std::move(loaded.model);
    state->taskModel->module()->to(state->device);
    state->taskModel->module()->eval();
    if (state->precision.precision != Precision::Fp32)
      storeWeightsForInference(*state->taskModel->module(),
                               lowPrecisionDtype(state->precision.precision));
  } else if (state->architecture == kPredictorPreTrainingArchitecture ||
             state->architecture == kPredictorMaskedLmArchitecture || summary.hasPretrainingHeads) {
    LoadReport report;
    state->pretraining = loadPretrainingModel(folder, &report);
    state->capabilities.fillMask = !predictorContains(report.missingKeys, kPredictorMlmHeadKey);
    state->pretraining->to(state->device);
    state->pretraining->eval();
    if (state->precision.precision != Precision::Fp32)
      storeWeightsForInference(*state->pretraining, lowPrecisionDtype(state->precision.precision));
  } else {
    state->bareModel = loadBareModel(folder);
    state->bareModel->to(state->device);
    state->bareModel->eval();
    if (state->precision.precision != Precision::Fp32)
      storeWeightsForInference(*state->bareModel, lowPrecisionDtype(state->precision.precision));
  }
  return Predictor(std::move(state));
}

Predictor::Predictor(std::unique_ptr<State> state) : state_(std::move(state)) {}
Predictor::Predictor(Predictor&&) noexcept = default;
Predictor& Predictor::operator=(Predictor&&) noexcept = default;
Predictor::~Predictor() = default;

const PredictorCapabilities& Predictor::capabilities() const {
  return state_->capabilities;
}
const std::string& Predictor::precision() const {
  return state_->precision.reason;
}
const std::string& Predictor::architecture() const {
  return state_->architecture;
}
const std::string& Predictor::folder() const {
  return state_->folder;
}
const std::vector<std::string>& Predictor::labels() const {
  return state_->labels;
}

}  // namespace bertwb
