#include "io/task_model_io.h"

#include <nlohmann/json.hpp>

#include "model/initialization.h"
#include "tasks/task_dataset_reader.h"
#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {
namespace {

// Hugging Face's default label count when a config names none (PretrainedConfig num_labels=2).
constexpr int kTaskIoDefaultLabelCount = 2;
// The outputs of the two fixed-size heads.
constexpr int kTaskIoQaOutputs = 2;      // start and end
constexpr int kTaskIoChoiceOutputs = 1;  // one score per choice

const char* const kTaskIoLabelFields[] = {"id2label", "label2id", "num_labels", "problem_type"};

std::string taskIoJoin(const std::vector<std::string>& keys) {
  std::string text;
  for (const auto& k : keys) text += (text.empty() ? "" : ", ") + k;
  return text;
}

std::string taskIoShapeText(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t d : shape) text += (text.empty() ? "" : ", ") + std::to_string(d);
  return "[" + text + "]";
}

// The label count of `config` when the caller gives none.
int taskIoLabelCountFromConfig(const BertConfig& config) {
  const auto labels = taskLabelsFromConfig(config);
  if (!labels.empty()) return static_cast<int>(labels.size());
  auto it = config.extra_fields.find("num_labels");
  if (it != config.extra_fields.end()) {
    const auto value = parseJsonOrDiscarded(it->second);
    if (value.is_number_integer() && value.get<int64_t>() > 0 && value.get<int64_t>() <= INT32_MAX)
      return static_cast<int>(value.get<int64_t>());
  }
  return kTaskIoDefaultLabelCount;
}

}  // namespace

std::shared_ptr<torch::nn::Module> TaskModel::module() const {
  switch (kind) {
    case TaskKind::SequenceClassification:
      return sequenceClassifier.ptr();
    case TaskKind::TokenClassification:
      return tokenClassifier.ptr();
    case TaskKind::QuestionAnswering:
      return questionAnswerer.ptr();
    case TaskKind::MultipleChoice:
      return choiceScorer.ptr();
  }
  return nullptr;
}

int TaskModel::outputCount() const {
  switch (kind) {
    case TaskKind::SequenceClassification:
      return sequenceClassifier->numLabels();
    case TaskKind::TokenClassification:
      return tokenClassifier->numLabels();
    case TaskKind::QuestionAnswering:
      return kTaskIoQaOutputs;
    case TaskKind::MultipleChoice:
      return kTaskIoChoiceOutputs;
  }
  return 0;
}

std::vector<std::string> defaultLabelNames(int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back("LABEL_" + std::to_string(i));
  return names;
}

void setTaskLabels(BertConfig& config, TaskKind kind, const std::vector<std::string>& labels) {
  for (const char* field : kTaskIoLabelFields) config.extra_fields.erase(field);
  if (labels.empty()) return;
  nlohmann::json id2label = nlohmann::json::object(), label2id = nlohmann::json::object();
  for (size_t i = 0; i < labels.size(); ++i) {
    // JSON object keys are strings: Hugging Face writes {"0": "O", ...} and converts back.
    id2label[std::to_string(i)] = labels[i];
    label2id[labels[i]] = static_cast<int>(i);
  }
  config.extra_fields["id2label"] = id2label.dump();
  config.extra_fields["label2id"] = label2id.dump();
  config.extra_fields["num_labels"] = std::to_string(labels.size());
  if (kind == TaskKind::SequenceClassification) {
    config.extra_fields["problem_type"] =
        nlohmann::json(labels.size() == 1 ? "regression" : "single_label_classification").dump();
  }
}

std::vector<std::string> taskLabelsFromConfig(const BertConfig& config) {
  auto it = config.extra_fields.find("id2label");
  if (it == config.extra_fields.end()) return {};
  const auto object = parseJsonOrDiscarded(it->second);
  if (!object.is_object()) return {};
  std::vector<std::string> labels(object.size());
  for (const auto& [key, value] : object.items()) {
    size_t id = 0;
    try {
      id = std::stoul(key);
    } catch (const std::exception&) {
      throw Error("config.json: id2label key \"" + key + "\" is not a class number");
    }
    if (id >= labels.size() || !value.is_string()) {
      throw Error("config.json: id2label must map 0.." + std::to_string(labels.size() - 1) +
                  " to label names (found \"" + key + "\": " + value.dump() + ")");
    }
    labels[id] = value.get<std::string>();
  }
  return labels;
}

TaskModel makeTaskModel(const BertConfig& config, TaskKind kind,
                        const std::vector<std::string>& labels) {
  TaskModel model;
  model.kind = kind;
  model.config = config;
  const bool classifier =
      kind == TaskKind::SequenceClassification || kind == TaskKind::TokenClassification;
  model.labels = classifier ? labels : std::vector<std::string>();
  if (classifier && model.labels.empty())
    model.labels = defaultLabelNames(kTaskIoDefaultLabelCount);
  if (model.labels.size() > kMostTaskLabels)
    throw Error(std::to_string(model.labels.size()) + " labels, more than any task has (at most " +
                std::to_string(kMostTaskLabels) + "): check config.json's id2label");
  setTaskLabels(model.config, kind, model.labels);
  const int K = static_cast<int>(model.labels.size());
  switch (kind) {
    case TaskKind::SequenceClassification:
      model.sequenceClassifier = BertForSequenceClassification(config, K);
      break;
    case TaskKind::TokenClassification:
      model.tokenClassifier = BertForTokenClassification(config, K);
      break;
    case TaskKind::QuestionAnswering:
      model.questionAnswerer = BertForQuestionAnswering(config);
      break;
    case TaskKind::MultipleChoice:
      model.choiceScorer = BertForMultipleChoice(config);
      break;
  }
  return model;
}

std::string TaskLoadResult::summary() const {
  std::string text;
  if (!freshKeys.empty()) text += "initialised " + taskIoJoin(freshKeys) + " from scratch";
  if (!unusedKeys.empty())
    text += std::string(text.empty() ? "" : "; ") + "not used: " + taskIoJoin(unusedKeys);
  return text.empty() ? "every weight came from the checkpoint" : text;
}

TaskLoadResult loadForTask(const std::string& folder, TaskKind kind, int numLabels,
                           const std::vector<std::string>& labels, uint64_t seed) {
  CheckpointSummary summary = inspectCheckpoint(folder);
  std::vector<std::string> classes = labels;
  const bool classifier =
      kind == TaskKind::SequenceClassification || kind == TaskKind::TokenClassification;
  if (classifier && classes.empty()) {
    const int count = numLabels > 0 ? numLabels : taskIoLabelCountFromConfig(summary.config);
    const auto named = taskLabelsFromConfig(summary.config);
    classes = static_cast<int>(named.size()) == count ? named : defaultLabelNames(count);
  }
  if (classifier && numLabels > 0 && static_cast<int>(classes.size()) != numLabels) {
    throw Error("loading for a task: " + std::to_string(classes.size()) +
                " label names given for " + std::to_string(numLabels) + " labels");
  }

  TaskLoadResult result;
  result.model = makeTaskModel(summary.config, kind, classes);
  auto module = result.model.module();
  // A classifier fine-tuned for another label set cannot be reused: say so in words instead
  // of the loader's generic shape error.
  const SafetensorsReader file(weightsPath(folder));
  auto parameters = module->named_parameters(/*recurse=*/true);
  for (const auto& entry : file.entries()) {
    const torch::Tensor* target = parameters.find(entry.name);
    if (target && entry.name.rfind("bert.", 0) != 0 && target->sizes().vec() != entry.shape) {
      throw Error(file.path() + ": \"" + entry.name + "\" has shape " +
                  taskIoShapeText(entry.shape) + " but a " + architectureName(kind) + " with " +
                  std::to_string(result.model.outputCount()) + " outputs needs " +
                  taskIoShapeText(target->sizes().vec()) +
                  " (the checkpoint was fine-tuned for another label set: start from its "
                  "pre-trained checkpoint)");
    }
  }
  // Initialise everything first so that whatever the file lacks (the new head) starts as
  // the original BERT initialises it: normal(0, initializer_range), bias 0.
  initializeBertWeights(*module, summary.config.initializer_range, seed);
  result.report = loadWeights(*module, file);
  result.freshKeys = result.report.missingKeys;
  result.unusedKeys = result.report.unexpectedKeys;
  module->eval();
  return result;
}

void saveTaskModel(const std::string& folder, const TaskModel& model, const Tokenizer* tokenizer,
                   std::optional<torch::ScalarType> storeAs) {
  BertConfig config = model.config;
  setTaskLabels(config, model.kind, model.labels);
  saveCheckpoint(folder, config, *model.module(), architectureName(model.kind), storeAs, tokenizer);
}

}  // namespace bertwb
