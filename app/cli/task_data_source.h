#pragma once
// The task-file options `finetune` and `evaluate` share (--text-a/--text-b/--label columns,
// --tag-column) and the task by its CLI name. Reading the files is the core's
// (tasks/task_dataset_reader.h), which the GUI shares.
#include <CLI/CLI.hpp>
#include <string>

#include "tasks/finetune_task.h"
#include "tasks/task_dataset_reader.h"

namespace bertwb::cli {

void addTaskColumnOptions(CLI::App* command, TaskColumns& columns);

// The task by its CLI name; throws bertwb::Error listing the names when unknown.
FinetuneTask parseFinetuneTask(const std::string& name);

}  // namespace bertwb::cli
