#include "tasks/glue_reader.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "tasks/delimited_table.h"
#include "tasks/task_file.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb {
namespace {

using tasks::DelimitedRecord;
using tasks::locationOf;
using tasks::quotedForMessage;

// Column names of the GLUE data files and of Hugging Face datasets (header rule 4).
const std::set<std::string> kWellKnownColumnNames = {
    "sentence", "sentence1",  "sentence2", "text",      "text_a",     "text_b",
    "question", "question1",  "question2", "premise",   "hypothesis", "label",
    "labels",   "gold_label", "score",     "class",     "target",     "index",
    "idx",      "id",         "quality",   "#1 string", "#2 string"};

constexpr int kNoColumn = -1;

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool isNumber(const std::string& cell) {
  double value = 0;
  return tasks::parseNumber(tasks::trimmed(cell), value);
}

// The cell a choice points at in one row, or nullptr when the row has no such cell (or the
// choice is by name, which only a header resolves).
const std::string* cellOf(const DelimitedRecord& row, const ColumnChoice& choice) {
  if (row.cells.empty()) return nullptr;
  if (choice.kind == ColumnChoice::Kind::Last) return &row.cells.back();
  if (choice.kind == ColumnChoice::Kind::Index && choice.index >= 0 &&
      static_cast<size_t>(choice.index) < row.cells.size()) {
    return &row.cells[static_cast<size_t>(choice.index)];
  }
  return nullptr;
}

bool firstRowIsHeader(const DelimitedRecord& first, const DelimitedRecord* second,
                      const TextReadOptions& options) {
  const ColumnChoice* chosen[] = {&options.columnA, &options.columnB, &options.columnLabel};
  for (const ColumnChoice* choice : chosen) {
    if (choice->kind == ColumnChoice::Kind::Name) return true;  // rule 1
  }
  const std::string* firstLabel = cellOf(first, options.columnLabel);
  const std::string* secondLabel = second ? cellOf(*second, options.columnLabel) : nullptr;
  if (firstLabel && secondLabel) {
    if (isNumber(*secondLabel) && !isNumber(*firstLabel)) return true;  // rule 2
    const auto& set = options.labelSet;
    const auto inSet = [&](const std::string& label) {
      return std::find(set.begin(), set.end(), tasks::trimmed(label)) != set.end();
    };
    if (!set.empty() && inSet(*secondLabel) && !inSet(*firstLabel)) return true;  // rule 3
  }
  for (const ColumnChoice* choice : chosen) {
    const std::string* cell = cellOf(first, *choice);
    if (cell && kWellKnownColumnNames.count(lowered(tasks::trimmed(*cell)))) return true;  // 4
  }
  return false;
}

bool hasHeader(const DelimitedRecord& first, const DelimitedRecord* second,
               const TextReadOptions& options) {
  switch (options.header) {
    case HeaderMode::Yes:
      return true;
    case HeaderMode::No:
      return false;
    case HeaderMode::Auto:
      break;
  }
  return firstRowIsHeader(first, second, options);
}

// The 0-based index a choice stands for in this file.
int resolveColumn(const ColumnChoice& choice, const DelimitedRecord& first, bool header,
                  const std::string& path) {
  switch (choice.kind) {
    case ColumnChoice::Kind::None:
      return kNoColumn;
    case ColumnChoice::Kind::Index:
      if (choice.index < 0)
        throw Error("column index " + std::to_string(choice.index) +
                    " is negative (columns count from 0)");
      return choice.index;
    case ColumnChoice::Kind::Last:
      return static_cast<int>(first.cells.size()) - 1;
    case ColumnChoice::Kind::Name:
      break;
  }
  if (!header) {
    throw Error(path + ": " + choice.describe() +
                " is chosen by name, but the file is read without a header");
  }
  for (size_t i = 0; i < first.cells.size(); ++i) {
    if (tasks::trimmed(first.cells[i]) == choice.name) return static_cast<int>(i);
  }
  throw Error(locationOf(path, first.line) + ": no column named " + quotedForMessage(choice.name) +
              " in the header (it has: " + joinForMessage(first.cells) + ")");
}

struct ResolvedColumns {
  int textA = kNoColumn;
  int textB = kNoColumn;
  int label = kNoColumn;
  int required() const { return std::max({textA, textB, label}) + 1; }
};

bool allIntegers(const std::set<std::string>& labels) {
  return std::all_of(labels.begin(), labels.end(), [](const std::string& label) {
    int64_t value = 0;
    return tasks::parseInteger(label, value);
  });
}

// Sorted so a file's own labels map the same way whatever order its rows come in; integer
// labels numerically so "2" < "10".
std::vector<std::string> sortedLabels(const std::set<std::string>& labels) {
  std::vector<std::string> sorted(labels.begin(), labels.end());
  if (allIntegers(labels)) {
    std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
      int64_t left = 0, right = 0;
      tasks::parseInteger(a, left);
      tasks::parseInteger(b, right);
      return left < right;
    });
  }
  return sorted;
}

class TextRowReader {
 public:
  TextRowReader(const std::string& path, const TextReadOptions& options,
                const ResolvedColumns& columns)
      : path_(path), options_(options), columns_(columns) {}

  TextExample exampleOf(const DelimitedRecord& row) const {
    const std::string where = locationOf(path_, row.line);
    if (static_cast<int>(row.cells.size()) < columns_.required()) {
      throw Error(where + ": " + std::to_string(row.cells.size()) +
                  " column(s), expected at least " + std::to_string(columns_.required()) +
                  " (is the delimiter right?)");
    }
    TextExample example;
    example.source = where;
    example.textA = textCell(row, columns_.textA, "text_a", where);
    if (columns_.textB != kNoColumn) example.textB = textCell(row, columns_.textB, "text_b", where);
    if (columns_.label != kNoColumn) example.label = labelCell(row, where);
    return example;
  }

 private:
  static std::string textCell(const DelimitedRecord& row, int column, const char* role,
                              const std::string& where) {
    const std::string& text = row.cells[static_cast<size_t>(column)];
    if (tasks::trimmed(text).empty()) {
      throw Error(where + ": " + role + " (column " + std::to_string(column) + ") is empty");
    }
    return text;
  }

  std::string labelCell(const DelimitedRecord& row, const std::string& where) const {
    std::string label = tasks::trimmed(row.cells[static_cast<size_t>(columns_.label)]);
    for (const auto& [fileLabel, name] : options_.labelNames)
      if (label == fileLabel) {
        label = name;
        break;
      }
    const std::string column = "(column " + std::to_string(columns_.label) + ")";
    if (label.empty()) throw Error(where + ": the label " + column + " is empty");
    if (options_.regression) {
      double value = 0;
      if (!tasks::parseNumber(label, value)) {
        throw Error(where + ": label " + quotedForMessage(label) + " " + column +
                    " is not a number (the task is a regression)");
      }
    } else if (!options_.labelSet.empty() &&
               std::find(options_.labelSet.begin(), options_.labelSet.end(), label) ==
                   options_.labelSet.end()) {
      throw Error(where + ": label " + quotedForMessage(label) +
                  " is not one of the training labels (" + joinForMessage(options_.labelSet) + ")");
    }
    return label;
  }

  const std::string& path_;
  const TextReadOptions& options_;
  ResolvedColumns columns_;
};

char delimiterOf(const std::string& path, const TextReadOptions& options) {
  return options.delimiter != 0 ? options.delimiter : tasks::delimiterForPath(path);
}

}  // namespace

std::string ColumnChoice::describe() const {
  switch (kind) {
    case Kind::None:
      return "no column";
    case Kind::Index:
      return "column " + std::to_string(index) + " (0-based)";
    case Kind::Name:
      return "column '" + name + "'";
    case Kind::Last:
      return "the last column";
  }
  return {};
}

TextDataset readTextDataset(const std::string& path, const TextReadOptions& options) {
  std::ifstream in = tasks::openTaskFile(path);
  const char delimiter = delimiterOf(path, options);
  tasks::DelimitedTableReader reader(in, path, delimiter, /*quoting=*/delimiter != tasks::kTab);

  TextDataset dataset;
  dataset.pair = options.columnB.chosen();
  dataset.regression = options.regression;
  DelimitedRecord first, second;
  if (!reader.next(first)) throw Error(path + ": the file holds no rows");
  const bool secondExists = reader.next(second);
  const bool header = hasHeader(first, secondExists ? &second : nullptr, options);
  ResolvedColumns columns;
  columns.textA = resolveColumn(options.columnA, first, header, path);
  columns.textB = resolveColumn(options.columnB, first, header, path);
  columns.label = resolveColumn(options.columnLabel, first, header, path);
  if (columns.textA == kNoColumn) throw Error(path + ": no column is chosen for text_a");

  const TextRowReader rows(path, options, columns);
  if (!header) dataset.examples.push_back(rows.exampleOf(first));
  if (secondExists) {
    dataset.examples.push_back(rows.exampleOf(second));
    DelimitedRecord row;
    while (reader.next(row)) dataset.examples.push_back(rows.exampleOf(row));
  }
  if (dataset.examples.empty()) throw Error(path + ": the file has a header but no rows");

  if (!options.regression && columns.label != kNoColumn) {
    if (!options.labelSet.empty()) {
      dataset.labels = options.labelSet;
    } else {
      std::set<std::string> seen;
      for (const TextExample& example : dataset.examples) seen.insert(example.label);
      dataset.labels = sortedLabels(seen);
      // Named labels keep the order they were named in (0, 1, … as the file numbers them).
      const auto rank = [&options](const std::string& label) {
        for (size_t i = 0; i < options.labelNames.size(); ++i)
          if (options.labelNames[i].second == label) return i;
        return options.labelNames.size();
      };
      std::stable_sort(
          dataset.labels.begin(), dataset.labels.end(),
          [&rank](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    }
  }
  return dataset;
}

std::vector<std::pair<std::string, std::string>> parseLabelNames(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> names;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string entry = tasks::trimmed(text.substr(start, comma - start));
    start = comma + 1;
    if (entry.empty()) continue;
    const size_t equals = entry.find('=');
    const std::string label =
        equals == std::string::npos ? std::string() : tasks::trimmed(entry.substr(0, equals));
    const std::string name =
        equals == std::string::npos ? std::string() : tasks::trimmed(entry.substr(equals + 1));
    if (label.empty() || name.empty())
      throw Error("label names: " + quotedForMessage(entry) +
                  " is not FILE_LABEL=NAME (e.g. 0=negative, 1=positive)");
    for (const auto& [known, knownName] : names)
      if (known == label || knownName == name)
        throw Error("label names: " + quotedForMessage(entry) + " repeats " +
                    quotedForMessage(known == label ? label : name));
    names.emplace_back(label, name);
  }
  return names;
}

TablePreview previewTextFile(const std::string& path, int maxRows, const TextReadOptions& options) {
  std::ifstream in = tasks::openTaskFile(path);
  TablePreview preview;
  preview.delimiter = delimiterOf(path, options);
  tasks::DelimitedTableReader reader(in, path, preview.delimiter,
                                     /*quoting=*/preview.delimiter != tasks::kTab);
  std::vector<DelimitedRecord> records;
  DelimitedRecord record;
  // One more than asked for: the header, when there is one, is not a data row.
  while (static_cast<int>(records.size()) < maxRows + 1 && reader.next(record)) {
    records.push_back(record);
  }
  if (records.empty()) return preview;
  preview.hasHeader = hasHeader(records[0], records.size() > 1 ? &records[1] : nullptr, options);
  size_t firstData = 0;
  if (preview.hasHeader) {
    preview.header = records[0].cells;
    firstData = 1;
  }
  for (size_t i = 0; i < records.size(); ++i) {
    preview.columns = std::max(preview.columns, static_cast<int>(records[i].cells.size()));
    if (i >= firstData && static_cast<int>(preview.rows.size()) < maxRows) {
      preview.rows.push_back(records[i].cells);
    }
  }
  return preview;
}

}  // namespace bertwb
