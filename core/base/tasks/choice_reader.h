#pragma once
// Multiple-choice task files (SWAG-style TSV/CSV with a header) → ChoiceDataset: a context
// column, N ending columns and a label column holding the 0-based index of the right ending.
#include <string>
#include <vector>

#include "tasks/task_data.h"

namespace bertwb {

struct ChoiceReadOptions {
  std::string contextColumn = "context";
  // Header names of the endings, in order. Empty: every column whose name starts with
  // "ending" or "choice" (any case), in the file's order.
  std::vector<std::string> endingColumns;
  std::string labelColumn = "label";  // empty: an unlabelled file (labels stay -1)
  char delimiter = 0;                 // 0: by extension (".csv" → ',' with quoting; else '\t')
};

// Throws bertwb::Error "path:line: what is wrong" for a missing column in the header, fewer
// than two endings, a short row, an empty context or ending, invalid UTF-8, an unterminated
// quote, or a label that is not an ending index.
ChoiceDataset readChoiceDataset(const std::string& path, const ChoiceReadOptions& options = {});

}  // namespace bertwb
