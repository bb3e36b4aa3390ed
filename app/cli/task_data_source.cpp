#include "task_data_source.h"

#include <optional>

#include "util/error.h"

namespace bertwb::cli {

void addTaskColumnOptions(CLI::App* command, TaskColumns& columns) {
  command
      ->add_option("--text-a", columns.textA,
                   "TSV/CSV: the (first) text column, by header name or 0-based index")
      ->capture_default_str();
  command->add_option("--text-b", columns.textB,
                      "TSV/CSV: the second text column (default: 1 for pair and regress; 'none' "
                      "for a single text)");
  command->add_option("--label", columns.label, "TSV/CSV: the label column (default: the last)");
  command->add_option("--tag-column", columns.tagColumn,
                      "CoNLL: the tag's 0-based column (default: the last)");
  command->add_option("--label-names", columns.labelNames,
                      "TSV/CSV: names for the file's class labels, e.g. \"0=negative,1=positive\" "
                      "(shown and saved in the model's id2label)");
}

FinetuneTask parseFinetuneTask(const std::string& name) {
  const std::optional<FinetuneTask> task = finetuneTaskFromName(name);
  if (!task) throw Error("unknown --task '" + name + "'; choose one of " + finetuneTaskNameList());
  return *task;
}

}  // namespace bertwb::cli
