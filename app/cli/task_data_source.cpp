#include "task_data_source.h"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "tasks/choice_reader.h"
#include "tasks/conll_reader.h"
#include "tasks/glue_reader.h"
#include "tasks/squad_reader.h"
#include "util/error.h"

namespace bertwb::cli {
namespace {

// "2" → column 2; "label" → the column named so; "none" → no column; "" → `fallback`.
ColumnChoice taskColumnChoice(const std::string& text, ColumnChoice fallback) {
  if (text.empty()) return fallback;
  if (text == "none") return ColumnChoice::none();
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return ColumnChoice::at(std::stoi(text));
  return ColumnChoice::named(text);
}

}  // namespace

void addTaskColumnOptions(CLI::App* command, TaskColumns& columns) {
  command->add_option("--text-a", columns.textA, "TSV/CSV: the (first) text column, by header name or 0-based index")
      ->capture_default_str();
  command->add_option("--text-b", columns.textB,
                      "TSV/CSV: the second text column (default: 1 for pair and regress; 'none' for a single text)");
  command->add_option("--label", columns.label, "TSV/CSV: the label column (default: the last)");
  command->add_option("--tag-column", columns.tagColumn, "CoNLL: the tag's 0-based column (default: the last)");
}

FinetuneTask parseFinetuneTask(const std::string& name) {
  const std::optional<FinetuneTask> task = finetuneTaskFromName(name);
  if (!task) throw Error("unknown --task '" + name + "'; choose one of " + finetuneTaskNameList());
  return *task;
}

TaskDataset readTaskFile(FinetuneTask task, const std::string& path, const TaskColumns& columns,
                         const std::vector<std::string>& labelSet) {
  switch (task) {
    case FinetuneTask::Classify:
    case FinetuneTask::Pair:
    case FinetuneTask::Regress: {
      TextReadOptions read;
      read.columnA = taskColumnChoice(columns.textA, ColumnChoice::at(0));
      read.columnB = taskColumnChoice(columns.textB, task == FinetuneTask::Classify ? ColumnChoice::none()
                                                                                      : ColumnChoice::at(1));
      read.columnLabel = taskColumnChoice(columns.label, ColumnChoice::last());
      read.regression = task == FinetuneTask::Regress;
      if (read.columnB.kind == ColumnChoice::Kind::Index && read.columnLabel.kind == ColumnChoice::Kind::Last) {
        // A two-column file would otherwise read its label as the second text.
        const int columnsInFile = previewTextFile(path, 1, read).columns;
        if (read.columnB.index >= columnsInFile - 1)
          throw Error(path + ": task '" + finetuneTaskName(task) + "' reads two texts and a label, but the file has " +
                      std::to_string(columnsInFile) + " columns; choose them with --text-a, --text-b and --label");
      }
      if (!read.regression) read.labelSet = labelSet;
      return readTextDataset(path, read);
    }
    case FinetuneTask::Tag: {
      TaggedReadOptions read;
      read.tagColumn = columns.tagColumn;
      read.labelSet = labelSet;
      return readTaggedDataset(path, read);
    }
    case FinetuneTask::Qa:
      return readQaDataset(path);
    case FinetuneTask::Choice:
      return readChoiceDataset(path);
  }
  throw Error("unknown task");
}

std::vector<std::string> datasetLabels(const TaskDataset& data) {
  if (const auto* text = std::get_if<TextDataset>(&data)) return text->labels;
  if (const auto* tagged = std::get_if<TaggedDataset>(&data)) return tagged->labels;
  return {};
}

TaskDataset withoutExamples(const TaskDataset& data) {
  TaskDataset empty = data;
  std::visit(
      [](auto& dataset) {
        using Dataset = std::decay_t<decltype(dataset)>;
        if constexpr (std::is_same_v<Dataset, TaggedDataset>) {
          dataset.sentences.clear();
        } else {
          dataset.examples.clear();
        }
      },
      empty);
  return empty;
}

size_t datasetSize(const TaskDataset& data) {
  if (const auto* text = std::get_if<TextDataset>(&data)) return text->examples.size();
  if (const auto* tagged = std::get_if<TaggedDataset>(&data)) return tagged->sentences.size();
  if (const auto* qa = std::get_if<QaDataset>(&data)) return qa->examples.size();
  return std::get<ChoiceDataset>(data).examples.size();
}

}  // namespace bertwb::cli
