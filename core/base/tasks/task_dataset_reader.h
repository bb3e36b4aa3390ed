#pragma once
// Reading a fine-tuning task's file into the dataset its adapter needs, with the column
// choices a user makes for TSV/CSV (by header name or index) and CoNLL (the tag column).
// Shared by the CLI's `finetune` / `evaluate` and the GUI's Fine-tune stage. Torch-free.
#include <cstddef>
#include <string>
#include <vector>

#include "tasks/finetune_task.h"
#include "tasks/glue_reader.h"
#include "tasks/task_data.h"

namespace bertwb {

// The columns of a task file as a user names them.
struct TaskColumns {
  std::string textA = "0";  // a header name or a 0-based index
  std::string textB;        // "": column 1 for pair and regress, none for classify; "none": none
  std::string label;        // "": the last column
  int tagColumn = -1;       // CoNLL: the tag's 0-based column; -1: the last
  std::string labelNames;   // "0=negative, 1=positive": names for a file's class labels
};

// "2" → column 2; "label" → the column named so; "none" → no column; "" → `fallback`.
ColumnChoice taskColumnChoice(const std::string& text, ColumnChoice fallback);

// The TSV/CSV read options `task` uses with `columns` (classify, pair and regress).
TextReadOptions textReadOptionsFor(FinetuneTask task, const TaskColumns& columns);

// More classes than any task has: a label column that holds text, or a hostile file.
constexpr size_t kMostTaskLabels = 100000;

// Reads `path` as `task` reads it. `labelSet` fixes the classes (from the training file or
// the model); empty: taken from this file, which must then give a classifier something to
// learn: at least two classes, at most kMostTaskLabels. Throws bertwb::Error naming the
// file and record.
TaskDataset readTaskDataset(FinetuneTask task, const std::string& path, const TaskColumns& columns,
                            const std::vector<std::string>& labelSet = {});

// The class names a dataset defines (empty for QA, multiple choice and regression).
std::vector<std::string> datasetLabels(const TaskDataset& data);
// The same dataset (labels, kind) with no examples: the training side of an evaluation alone.
TaskDataset withoutExamples(const TaskDataset& data);
// Examples, sentences or questions in it.
size_t datasetSize(const TaskDataset& data);
// Keeps the first `count` examples (sentences, questions); the labels stay as they were.
void truncateDataset(TaskDataset& data, size_t count);

}  // namespace bertwb
