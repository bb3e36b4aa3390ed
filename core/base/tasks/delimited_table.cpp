#include "tasks/delimited_table.h"

#include <algorithm>
#include <cctype>

#include "tasks/task_file.h"
#include "util/error.h"

namespace bertwb::tasks {
namespace {

constexpr char kQuote = '"';

bool endsWithCsvExtension(const std::string& path) {
  static const std::string kCsvExtension = ".csv";
  if (path.size() < kCsvExtension.size()) return false;
  std::string extension = path.substr(path.size() - kCsvExtension.size());
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == kCsvExtension;
}

std::vector<std::string> splitPlain(const std::string& line, char delimiter) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (;;) {
    const size_t end = line.find(delimiter, start);
    cells.push_back(line.substr(start, end - start));
    if (end == std::string::npos) return cells;
    start = end + 1;
  }
}

}  // namespace

char delimiterForPath(const std::string& path) {
  return endsWithCsvExtension(path) ? kComma : kTab;
}

DelimitedTableReader::DelimitedTableReader(std::istream& in, std::string path, char delimiter,
                                           bool quoting)
    : in_(in), path_(std::move(path)), delimiter_(delimiter), quoting_(quoting) {}

bool DelimitedTableReader::readLine(std::string& line) {
  if (!readTaskLine(in_, line, path_, linesRead_ + 1)) return false;
  ++linesRead_;
  if (linesRead_ == 1) stripByteOrderMark(line);
  stripCarriageReturn(line);
  checkUtf8(line, path_, linesRead_);
  return true;
}

bool DelimitedTableReader::next(DelimitedRecord& record) {
  std::string line;
  do {
    if (!readLine(line)) return false;
  } while (trimmed(line).empty());  // blank lines (a trailing one, say) hold no record
  record.line = linesRead_;
  record.cells.clear();
  if (quoting_ && line.find(kQuote) != std::string::npos) {
    splitQuoted(std::move(line), record);
  } else {
    record.cells = splitPlain(line, delimiter_);
  }
  return true;
}

// A small state machine over the record's characters; a quoted field that reaches the end of
// a line continues on the next one, with the line break kept in the field.
void DelimitedTableReader::splitQuoted(std::string line, DelimitedRecord& record) {
  std::string cell;
  bool inQuotes = false;
  bool afterClosingQuote = false;
  size_t position = 0;
  for (;;) {
    if (position == line.size()) {
      if (!inQuotes) break;
      std::string continuation;
      if (!readLine(continuation)) {
        throw Error(locationOf(path_, record.line) +
                    ": a quoted field is never closed (a '\"' is missing; write a quote "
                    "inside a quoted field as '\"\"')");
      }
      cell += '\n';
      line = std::move(continuation);
      position = 0;
      continue;
    }
    const char c = line[position++];
    if (inQuotes) {
      if (c != kQuote) {
        cell += c;
      } else if (position < line.size() && line[position] == kQuote) {
        cell += kQuote;  // "" inside a quoted field is one quote
        ++position;
      } else {
        inQuotes = false;
        afterClosingQuote = true;
      }
    } else if (c == delimiter_) {
      record.cells.push_back(std::move(cell));
      cell.clear();
      afterClosingQuote = false;
    } else if (afterClosingQuote) {
      throw Error(locationOf(path_, linesRead_) + ": text after the closing quote of field " +
                  std::to_string(record.cells.size() + 1) + " (quote the whole field)");
    } else if (c == kQuote && cell.empty()) {
      inQuotes = true;
    } else {
      cell += c;  // a quote inside an unquoted field is kept as it is, as Python's csv does
    }
  }
  record.cells.push_back(std::move(cell));
}

}  // namespace bertwb::tasks
