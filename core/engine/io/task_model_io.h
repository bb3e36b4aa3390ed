#pragma once
// Task models in and out of checkpoint folders. Loading starts from any BERT checkpoint —
// pre-trained (BertForPreTraining or a bare BertModel) or already fine-tuned — copies every
// key the head model shares with the file, initialises the rest (the new head: normal
// 0.02, bias 0) and reports both sides, so the CLI can say "initialised classifier.weight,
// classifier.bias from scratch". Saving writes the Hugging Face layout with config.json's
// architectures, id2label / label2id and num_labels, which `transformers` reads back.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/checkpoint.h"
#include "io/model_loading.h"
#include "model/bert_heads.h"
#include "tasks/task_kind.h"

namespace bertwb {

// One head model of any task family; exactly the holder matching `kind` is set.
struct TaskModel {
  TaskKind kind = TaskKind::SequenceClassification;
  BertConfig config;                // carries the label fields (see setTaskLabels)
  std::vector<std::string> labels;  // class id → name; empty for QA and multiple choice
  BertForSequenceClassification sequenceClassifier{nullptr};
  BertForTokenClassification tokenClassifier{nullptr};
  BertForQuestionAnswering questionAnswerer{nullptr};
  BertForMultipleChoice choiceScorer{nullptr};

  // The set holder as a plain module (parameters, train/eval, to(device), saving).
  std::shared_ptr<torch::nn::Module> module() const;
  // Outputs of the classifier: K for the classifiers, 2 for QA, 1 for multiple choice.
  int outputCount() const;
};

// A freshly built (not yet initialised) head model. `labels` name the classes of the two
// classifiers (their count is K; one entry for regression); ignored by QA and multiple choice.
TaskModel makeTaskModel(const BertConfig& config, TaskKind kind,
                        const std::vector<std::string>& labels = {});

// Hugging Face's placeholder names for unnamed classes: LABEL_0, LABEL_1, ...
std::vector<std::string> defaultLabelNames(int count);

// Writes id2label, label2id and num_labels (and problem_type for sequence classification:
// "regression" when there is one label) into config.extra_fields.
void setTaskLabels(BertConfig& config, TaskKind kind, const std::vector<std::string>& labels);
// The labels config.json names (id2label in id order); empty when it names none.
std::vector<std::string> taskLabelsFromConfig(const BertConfig& config);

struct TaskLoadResult {
  TaskModel model;
  LoadReport report;
  std::vector<std::string>
      freshKeys;  // initialised from scratch (the head, for a pre-trained start)
  std::vector<std::string> unusedKeys;  // in the file, not in this model (cls.predictions.*, ...)
  // "initialised classifier.weight, classifier.bias from scratch; not used: cls.predictions.bias,
  // ..."
  std::string summary() const;
};

// Loads `folder` into a `kind` head model. `numLabels` ≤ 0 takes the count from the
// checkpoint's id2label (num_labels, else 2: Hugging Face's default); QA always has 2
// outputs and multiple choice 1. `labels`, when given, name the classes and fix their count.
// A fine-tuned classifier whose label count differs from the one asked for is an error
// naming both shapes. Returns the model in eval mode.
TaskLoadResult loadForTask(const std::string& folder, TaskKind kind, int numLabels = 0,
                           const std::vector<std::string>& labels = {},
                           uint64_t seed = kDefaultHeadSeed);

// Saves in the Hugging Face layout (config.json with architectures and the label fields,
// model.safetensors, and the tokenizer's files when given), atomically as saveCheckpoint.
void saveTaskModel(const std::string& folder, const TaskModel& model,
                   const Tokenizer* tokenizer = nullptr,
                   std::optional<torch::ScalarType> storeAs = std::nullopt);

}  // namespace bertwb
