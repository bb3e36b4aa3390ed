#include "tasks/task_dataset_reader.h"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "tasks/choice_reader.h"
#include "tasks/conll_reader.h"
#include "tasks/squad_reader.h"
#include "util/error.h"

namespace bertwb {

ColumnChoice taskColumnChoice(const std::string& text, ColumnChoice fallback) {
  if (text.empty()) return fallback;
  if (text == "none") return ColumnChoice::none();
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return ColumnChoice::at(std::stoi(text));
  return ColumnChoice::named(text);
}

TextReadOptions textReadOptionsFor(FinetuneTask task, const TaskColumns& columns) {
  TextReadOptions read;
  read.columnA = taskColumnChoice(columns.textA, ColumnChoice::at(0));
  read.columnB = taskColumnChoice(
      columns.textB, task == FinetuneTask::Classify ? ColumnChoice::none() : ColumnChoice::at(1));
  read.columnLabel = taskColumnChoice(columns.label, ColumnChoice::last());
  read.regression = task == FinetuneTask::Regress;
  if (!read.regression) read.labelNames = parseLabelNames(columns.labelNames);
  return read;
}

namespace {

// A file with millions of classes would allocate a classifier to match.
void requireFewLabels(const std::string& path, const std::vector<std::string>& labels) {
  if (labels.size() > kMostTaskLabels) {
    throw Error(path + ": " + std::to_string(labels.size()) + " different labels, more than " +
                "any task has (at most " + std::to_string(kMostTaskLabels) +
                "): is the label column right?");
  }
}

// A training file with one class became a one-output model, which the head reads as
// regression: exit 0 and a model that had learned nothing.
void requireTwoClasses(const std::string& path, const std::vector<std::string>& labels) {
  if (labels.size() == 1) {
    throw Error(path + ": every example has the label \"" + labels.front() +
                "\": a classifier needs at least two classes (is the label column right? for "
                "numbers to predict, choose the regression task)");
  }
}

}  // namespace

TaskDataset readTaskDataset(FinetuneTask task, const std::string& path, const TaskColumns& columns,
                            const std::vector<std::string>& labelSet) {
  switch (task) {
    case FinetuneTask::Classify:
    case FinetuneTask::Pair:
    case FinetuneTask::Regress: {
      TextReadOptions read = textReadOptionsFor(task, columns);
      if (read.columnB.kind == ColumnChoice::Kind::Index &&
          read.columnLabel.kind == ColumnChoice::Kind::Last) {
        // A two-column file would otherwise read its label as the second text.
        const int columnsInFile = previewTextFile(path, 1, read).columns;
        if (read.columnB.index >= columnsInFile - 1)
          throw Error(path + ": task '" + finetuneTaskName(task) +
                      "' reads two texts and a label, but the file has " +
                      std::to_string(columnsInFile) +
                      " columns; choose the text and label columns");
      }
      if (!read.regression) read.labelSet = labelSet;
      TextDataset data = readTextDataset(path, read);
      if (labelSet.empty()) {
        requireFewLabels(path, data.labels);
        requireTwoClasses(path, data.labels);
      }
      return data;
    }
    case FinetuneTask::Tag: {
      TaggedReadOptions read;
      read.tagColumn = columns.tagColumn;
      read.labelSet = labelSet;
      TaggedDataset data = readTaggedDataset(path, read);
      if (labelSet.empty()) requireFewLabels(path, data.labels);
      return data;
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
  truncateDataset(empty, 0);
  return empty;
}

size_t datasetSize(const TaskDataset& data) {
  if (const auto* text = std::get_if<TextDataset>(&data)) return text->examples.size();
  if (const auto* tagged = std::get_if<TaggedDataset>(&data)) return tagged->sentences.size();
  if (const auto* qa = std::get_if<QaDataset>(&data)) return qa->examples.size();
  return std::get<ChoiceDataset>(data).examples.size();
}

void truncateDataset(TaskDataset& data, size_t count) {
  std::visit(
      [count](auto& dataset) {
        using Dataset = std::decay_t<decltype(dataset)>;
        if constexpr (std::is_same_v<Dataset, TaggedDataset>) {
          if (dataset.sentences.size() > count) dataset.sentences.resize(count);
        } else {
          if (dataset.examples.size() > count) dataset.examples.resize(count);
        }
      },
      data);
}

}  // namespace bertwb
