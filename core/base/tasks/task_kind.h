#pragma once
// The fine-tuning task families and the Hugging Face architecture name each one saves as
// (config.json "architectures"), so that `transformers` picks the same head class.
// Torch-free: the CLI and the GUI name tasks without building a model.
#include <cstdint>
#include <optional>
#include <string>

namespace bertwb {

enum class TaskKind {
  SequenceClassification,  // a label (or a number) per text or text pair, from the pooled [CLS]
  TokenClassification,     // a tag per word (NER), from every token's hidden state
  QuestionAnswering,       // an answer span in a context: start and end logits per token
  MultipleChoice,          // the right one of C candidate continuations
};

inline const char* architectureName(TaskKind kind) {
  switch (kind) {
    case TaskKind::SequenceClassification:
      return "BertForSequenceClassification";
    case TaskKind::TokenClassification:
      return "BertForTokenClassification";
    case TaskKind::QuestionAnswering:
      return "BertForQuestionAnswering";
    case TaskKind::MultipleChoice:
      return "BertForMultipleChoice";
  }
  return "BertModel";
}

inline std::optional<TaskKind> taskKindFromArchitecture(const std::string& name) {
  for (TaskKind kind : {TaskKind::SequenceClassification, TaskKind::TokenClassification,
                        TaskKind::QuestionAnswering, TaskKind::MultipleChoice}) {
    if (name == architectureName(kind)) return kind;
  }
  return std::nullopt;
}

// Hugging Face builds the token-classification and QA models without the pooler
// (add_pooling_layer=False): their checkpoints have no bert.pooler.* keys.
inline bool taskUsesPooler(TaskKind kind) {
  return kind == TaskKind::SequenceClassification || kind == TaskKind::MultipleChoice;
}

}  // namespace bertwb
