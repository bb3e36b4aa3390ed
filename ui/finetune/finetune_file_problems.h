#pragma once
// Checks a fine-tuning task file the way the run will read it and lists what is wrong with
// it, line by line: the core readers stop at the first malformed record, so for TSV/CSV files
// each bad line is set aside (blanked, which keeps every other line's number) and the file
// read again, until it reads cleanly or a limit is reached. The Fine-tune stage shows the
// list under its preview table, so a user fixes every row in one pass. Torch-free.
#include <QString>
#include <string>
#include <vector>

#include "tasks/finetune_task.h"
#include "tasks/task_dataset_reader.h"

namespace bertwb::ui {

struct TaskFileProblem {
  qint64 line = 0;  // 1-based; 0 when the message names no line (a JSON path, a missing file)
  QString message;  // "train.tsv:12: 1 column(s), expected at least 2 (is the delimiter right?)"
};

struct TaskFileCheck {
  std::vector<TaskFileProblem> problems;  // empty: the file reads cleanly
  qint64 examples = 0;                    // examples read (after setting the bad lines aside)
  std::vector<std::string> labels;        // the class or tag set found (classification, tagging)
  bool truncated = false;                 // more problems than the limit
};

// The problems of `path` read as `task` reads it (`labelSet` fixes the classes, as for a dev
// file); at most `maxProblems` are listed.
TaskFileCheck checkTaskFile(FinetuneTask task, const QString& path, const TaskColumns& columns,
                            const std::vector<std::string>& labelSet = {}, int maxProblems = 20);

}  // namespace bertwb::ui
