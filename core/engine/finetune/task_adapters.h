#pragma once
// One TaskAdapter for any fine-tuning task: the factory behind `finetune` and `evaluate`.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <variant>

#include "finetune/task_adapter.h"
#include "io/task_model_io.h"
#include "tasks/classification_metrics.h"
#include "tasks/finetune_task.h"
#include "tasks/qa_decoding.h"
#include "tasks/qa_features.h"
#include "tasks/tag_decoding.h"
#include "tasks/task_data.h"    // TaskDataset
#include "train/run_recipes.h"  // defaultMaxSeqLength

namespace bertwb {

struct TaskAdapterOptions {
  int maxSeqLength = 0;  // 0: the task's default (128; QA 384)
  // Question answering (run_squad.py's settings).
  int docStride = kDefaultQaDocStride;
  int maxQueryLength = kDefaultQaMaxQueryLength;
  int nBestSize = kDefaultQaNBestSize;
  int maxAnswerLength = kDefaultQaMaxAnswerLength;
  double nullScoreDiffThreshold = kDefaultQaNullScoreDiffThreshold;
  // Tagging: how a word's pieces decide its tag at evaluation.
  TagAggregation tagAggregation = TagAggregation::First;
  // Classification: the score that picks the best checkpoint.
  ClassificationMainMetric mainMetric = ClassificationMainMetric::Accuracy;
};

// `task` by its CLI name (classify | pair | regress | tag | qa | choice); `model` from
// loadForTask with the task's head and the training set's labels; `train` may be empty (an
// evaluation only). Throws bertwb::Error for an unknown task, data of the wrong kind, labels
// that differ from the model's, or a max_seq_length beyond the model's positions.
std::unique_ptr<TaskAdapter> makeTaskAdapter(const std::string& task, TaskModel model,
                                             const Tokenizer& tokenizer, const TaskDataset& train,
                                             const TaskDataset& dev,
                                             const TaskAdapterOptions& options = {});

}  // namespace bertwb
