#pragma once
// The task-file options `finetune` and `evaluate` share (--text-a/--text-b/--label columns,
// --tag-column) and reading a task's file into the dataset its adapter needs.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "tasks/finetune_task.h"
#include "tasks/task_adapters.h"

namespace bertwb::cli {

struct TaskColumns {
  std::string textA = "0";  // a header name or a 0-based index
  std::string textB;        // "": column 1 for pair and regress, none for classify; "none": none
  std::string label;        // "": the last column
  int tagColumn = -1;       // CoNLL: the tag's 0-based column; -1: the last
};

void addTaskColumnOptions(CLI::App* command, TaskColumns& columns);

// The task by its CLI name; throws bertwb::Error listing the names when unknown.
FinetuneTask parseFinetuneTask(const std::string& name);

// Reads `path` as `task` reads it. `labelSet` fixes the classes (from the training file or
// the model); empty: taken from this file. Throws bertwb::Error naming the file and record.
TaskDataset readTaskFile(FinetuneTask task, const std::string& path, const TaskColumns& columns,
                         const std::vector<std::string>& labelSet = {});

// The class names a dataset defines (empty for QA, multiple choice and regression).
std::vector<std::string> datasetLabels(const TaskDataset& data);
// The same dataset (labels, kind) with no examples: the training side of an evaluation alone.
TaskDataset withoutExamples(const TaskDataset& data);
// Examples, sentences or questions in it.
size_t datasetSize(const TaskDataset& data);

}  // namespace bertwb::cli
