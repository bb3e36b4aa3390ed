#include "tasks/choice_reader.h"

#include <algorithm>
#include <cctype>

#include "tasks/delimited_table.h"
#include "tasks/task_file.h"
#include "util/error.h"

namespace bertwb {
namespace {

using tasks::DelimitedRecord;
using tasks::locationOf;
using tasks::quotedForMessage;

// A choice needs something to choose between.
constexpr size_t kMinimumEndings = 2;
const std::string kEndingPrefixes[] = {"ending", "choice"};

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct ChoiceColumns {
  size_t context = 0;
  std::vector<size_t> endings;
  int label = -1;  // -1: unlabelled
  size_t required() const {
    size_t widest = std::max(context, *std::max_element(endings.begin(), endings.end()));
    if (label >= 0) widest = std::max(widest, static_cast<size_t>(label));
    return widest + 1;
  }
};

class HeaderColumns {
 public:
  HeaderColumns(const DelimitedRecord& header, const std::string& path)
      : header_(header), path_(path) {}

  size_t find(const std::string& name) const {
    for (size_t i = 0; i < header_.cells.size(); ++i) {
      if (tasks::trimmed(header_.cells[i]) == name) return i;
    }
    std::string names;
    for (const std::string& cell : header_.cells) names += (names.empty() ? "" : ", ") + cell;
    throw Error(locationOf(path_, header_.line) + ": no column named " + quotedForMessage(name) +
                " in the header (it has: " + names + ")");
  }

  std::vector<size_t> endingsByPrefix() const {
    std::vector<size_t> endings;
    for (size_t i = 0; i < header_.cells.size(); ++i) {
      const std::string name = lowered(tasks::trimmed(header_.cells[i]));
      for (const std::string& prefix : kEndingPrefixes) {
        if (name.compare(0, prefix.size(), prefix) == 0) {
          endings.push_back(i);
          break;
        }
      }
    }
    return endings;
  }

 private:
  const DelimitedRecord& header_;
  const std::string& path_;
};

ChoiceColumns resolveColumns(const DelimitedRecord& header, const ChoiceReadOptions& options,
                             const std::string& path) {
  const HeaderColumns columns(header, path);
  ChoiceColumns resolved;
  resolved.context = columns.find(options.contextColumn);
  if (options.endingColumns.empty()) {
    resolved.endings = columns.endingsByPrefix();
  } else {
    for (const std::string& name : options.endingColumns)
      resolved.endings.push_back(columns.find(name));
  }
  if (resolved.endings.size() < kMinimumEndings) {
    throw Error(locationOf(path, header.line) + ": " + std::to_string(resolved.endings.size()) +
                " ending column(s); a multiple-choice file needs at least " +
                std::to_string(kMinimumEndings) + " (name them ending0, ending1, ...)");
  }
  if (!options.labelColumn.empty())
    resolved.label = static_cast<int>(columns.find(options.labelColumn));
  return resolved;
}

std::string nonEmptyCell(const DelimitedRecord& row, size_t column, const std::string& role,
                         const std::string& where) {
  const std::string& text = row.cells[column];
  if (tasks::trimmed(text).empty()) {
    throw Error(where + ": " + role + " (column " + std::to_string(column) + ") is empty");
  }
  return text;
}

ChoiceExample exampleOf(const DelimitedRecord& row, const ChoiceColumns& columns,
                        const std::string& path) {
  const std::string where = locationOf(path, row.line);
  if (row.cells.size() < columns.required()) {
    throw Error(where + ": " + std::to_string(row.cells.size()) + " column(s), expected at least " +
                std::to_string(columns.required()) + " (is the delimiter right?)");
  }
  ChoiceExample example;
  example.source = where;
  example.context = nonEmptyCell(row, columns.context, "the context", where);
  for (size_t e = 0; e < columns.endings.size(); ++e) {
    example.endings.push_back(
        nonEmptyCell(row, columns.endings[e], "ending " + std::to_string(e), where));
  }
  if (columns.label >= 0) {
    const std::string label = tasks::trimmed(row.cells[static_cast<size_t>(columns.label)]);
    int64_t index = 0;
    if (!tasks::parseInteger(label, index) || index < 0 ||
        index >= static_cast<int64_t>(columns.endings.size())) {
      throw Error(where + ": label " + quotedForMessage(label) + " is not an ending index (0 to " +
                  std::to_string(columns.endings.size() - 1) + ")");
    }
    example.label = static_cast<int>(index);
  }
  return example;
}

}  // namespace

ChoiceDataset readChoiceDataset(const std::string& path, const ChoiceReadOptions& options) {
  std::ifstream in = tasks::openTaskFile(path);
  const char delimiter = options.delimiter != 0 ? options.delimiter : tasks::delimiterForPath(path);
  tasks::DelimitedTableReader reader(in, path, delimiter, /*quoting=*/delimiter != tasks::kTab);
  DelimitedRecord header;
  if (!reader.next(header)) throw Error(path + ": the file holds no rows");
  const ChoiceColumns columns = resolveColumns(header, options, path);

  ChoiceDataset dataset;
  dataset.choices = static_cast<int>(columns.endings.size());
  DelimitedRecord row;
  while (reader.next(row)) dataset.examples.push_back(exampleOf(row, columns, path));
  if (dataset.examples.empty()) throw Error(path + ": the file has a header but no rows");
  return dataset;
}

}  // namespace bertwb
