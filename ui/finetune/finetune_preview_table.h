#pragma once
// The first rows of a TSV/CSV task file as the reader splits them: each row headed by its
// line in the file (so "train.tsv:12" in the problem list points at a visible row), each
// column tinted by its role (text A, text B, label), and rows the check rejected in red.
#include <QSet>
#include <QString>
#include <QTableWidget>
#include <cstdint>
#include <vector>

#include "tasks/glue_reader.h"

namespace bertwb::ui {

struct PreviewRows {
  TablePreview table;
  std::vector<int64_t> lines;  // the 1-based file line of each row in table.rows
};

// Reads the first `maxRows` data rows of `path`; throws bertwb::Error for an unreadable file
// or a malformed record among them.
PreviewRows readPreviewRows(const QString& path, int maxRows, const TextReadOptions& options);

// The 0-based column a mapping value stands for in a table with `header` and `columns`:
// "" → `fallback`, "none" → -1, "2" → 2, "label" → its index in the header (-1 if absent).
int previewColumnOf(const QString& value, const QStringList& header, int columns, int fallback);

class FinetunePreviewTable : public QTableWidget {
  Q_OBJECT
 public:
  explicit FinetunePreviewTable(QWidget* parent = nullptr);

  void clearRows();
  // -1 where a role has no column.
  void showRows(const PreviewRows& rows, int columnA, int columnB, int columnLabel);
  // Rows on these lines turn red (the rest keep their role colours).
  void markProblemLines(const QSet<qint64>& lines);
  qint64 lineOfRow(int row) const;
  int markedRowCount() const;

 private:
  std::vector<int64_t> lines_;
  std::vector<int> roleOfColumn_;  // per column: 0 none, 1 text A, 2 text B, 3 label
  QSet<int> marked_;
};

}  // namespace bertwb::ui
