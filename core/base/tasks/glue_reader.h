#pragma once
// GLUE-style sentence and sentence-pair task files (TSV or CSV) → TextDataset.
//
// Header rule (HeaderMode::Auto): the first row is a header when
//   1. any column is chosen by name (the names must then be in it), or
//   2. the second row's label is a number (a class such as "0"/"1", or a regression target)
//      and the first row's label cell is not, or
//   3. a fixed label set is given, the second row's label is in it and the first row's is not,
//      or
//   4. a chosen column's cell in the first row is a well-known column name ("sentence",
//      "sentence1", "label", "gold_label", "question", "premise", ...; any case).
// Otherwise the first row is data. Say Yes or No where a file defeats the rule.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tasks/task_data.h"

namespace bertwb {

// One column of a table: by its header name, by 0-based index, the last column, or none.
struct ColumnChoice {
  enum class Kind { None, Index, Name, Last };
  Kind kind = Kind::None;
  int index = -1;
  std::string name;

  static ColumnChoice none() { return {}; }
  static ColumnChoice at(int index) { return {Kind::Index, index, {}}; }
  static ColumnChoice named(std::string name) { return {Kind::Name, -1, std::move(name)}; }
  static ColumnChoice last() { return {Kind::Last, -1, {}}; }
  bool chosen() const { return kind != Kind::None; }
  std::string describe() const;  // "column 'label'", "column 2 (0-based)", "the last column"
};

enum class HeaderMode { Auto, Yes, No };

struct TextReadOptions {
  ColumnChoice columnA = ColumnChoice::at(0);
  ColumnChoice columnB = ColumnChoice::none();      // set for sentence-pair tasks
  ColumnChoice columnLabel = ColumnChoice::last();  // none() for an unlabelled test file
  bool regression = false;                          // labels are numbers (STS-B), not class names
  // Class names fixed from the training file (its TextDataset::labels): a dev or test label
  // outside them is an error. Empty: build the set from this file, sorted (numerically when
  // every label is an integer, so "0","1","2" and "2","10" map naturally).
  std::vector<std::string> labelSet;
  // Names for the file's labels ("0" → "negative"), applied as rows are read: the dataset's
  // labels, a fixed labelSet and every view then use the names. In this order, the classes'
  // order (a file label not named keeps its own text and comes after).
  std::vector<std::pair<std::string, std::string>> labelNames;
  char delimiter = 0;  // 0: by extension (".csv" → ',' with quoting; otherwise '\t')
  HeaderMode header = HeaderMode::Auto;
};

// Reads the whole file; throws bertwb::Error "path:line: what is wrong" for the first
// malformed row (too few columns, empty text, invalid UTF-8, unterminated quote, a label that
// is not a number in regression or not in the fixed label set).
TextDataset readTextDataset(const std::string& path, const TextReadOptions& options = {});

// "0=negative, 1=positive" → {{"0","negative"},{"1","positive"}}; "" → none. Throws
// bertwb::Error naming the entry that is not FILE_LABEL=NAME, or a label named twice.
std::vector<std::pair<std::string, std::string>> parseLabelNames(const std::string& text);

// The first rows of a file split into cells, for a column-mapping table.
struct TablePreview {
  char delimiter = 0;
  bool hasHeader = false;                      // by the rule above, with the options given
  std::vector<std::string> header;             // the first row when hasHeader, else empty
  std::vector<std::vector<std::string>> rows;  // up to maxRows data rows, header excluded
  int columns = 0;                             // the widest row seen (header included)
};

// Reads only as far as it needs; throws bertwb::Error for an unreadable file or a malformed
// record among those rows.
TablePreview previewTextFile(const std::string& path, int maxRows,
                             const TextReadOptions& options = {});

}  // namespace bertwb
