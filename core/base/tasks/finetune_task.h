#pragma once
// The fine-tuning tasks as the CLI and the GUI name them, and the head each one trains.
// Torch-free: naming a task builds no model.
#include <optional>
#include <string>

#include "tasks/task_kind.h"

namespace bertwb {

enum class FinetuneTask {
  Classify,  // one text → a class (SST-2, CoLA)
  Pair,      // a text pair → a class (MNLI, MRPC, QQP)
  Regress,   // a text pair (or text) → a number (STS-B)
  Tag,       // a tag per word (CoNLL-2003 NER)
  Qa,        // an answer span in a context (SQuAD v1.1 / v2.0)
  Choice,    // the right one of N endings (SWAG)
};

inline const char* finetuneTaskName(FinetuneTask task) {
  switch (task) {
    case FinetuneTask::Classify:
      return "classify";
    case FinetuneTask::Pair:
      return "pair";
    case FinetuneTask::Regress:
      return "regress";
    case FinetuneTask::Tag:
      return "tag";
    case FinetuneTask::Qa:
      return "qa";
    case FinetuneTask::Choice:
      return "choice";
  }
  return "classify";
}

constexpr FinetuneTask kAllFinetuneTasks[] = {FinetuneTask::Classify, FinetuneTask::Pair,
                                              FinetuneTask::Regress,  FinetuneTask::Tag,
                                              FinetuneTask::Qa,       FinetuneTask::Choice};

inline std::optional<FinetuneTask> finetuneTaskFromName(const std::string& name) {
  for (FinetuneTask task : kAllFinetuneTasks)
    if (name == finetuneTaskName(task)) return task;
  return std::nullopt;
}

// "classify, pair, regress, tag, qa, choice": for messages.
inline std::string finetuneTaskNameList() {
  std::string names;
  for (FinetuneTask task : kAllFinetuneTasks)
    names += (names.empty() ? "" : ", ") + std::string(finetuneTaskName(task));
  return names;
}

inline TaskKind taskKindOf(FinetuneTask task) {
  switch (task) {
    case FinetuneTask::Tag:
      return TaskKind::TokenClassification;
    case FinetuneTask::Qa:
      return TaskKind::QuestionAnswering;
    case FinetuneTask::Choice:
      return TaskKind::MultipleChoice;
    default:
      return TaskKind::SequenceClassification;
  }
}

}  // namespace bertwb
