#include "finetune/finetune_preview_table.h"

#include <QHeaderView>
#include <algorithm>

#include "tasks/delimited_table.h"
#include "tasks/task_file.h"

namespace bertwb::ui {
namespace {

constexpr int kLongestCell = 60;  // characters shown; the tooltip has the whole cell
enum ColumnRole { kNoRole = 0, kTextARole, kTextBRole, kLabelRole };
const QColor kRoleColours[] = {QColor(Qt::white), QColor(222, 235, 247), QColor(229, 245, 224),
                               QColor(254, 230, 206)};
const QColor kRejectedRowColour(250, 200, 200);

QString shortened(const std::string& text) {
  QString cell = QString::fromStdString(text);
  if (cell.size() > kLongestCell) cell = cell.left(kLongestCell - 1) + QChar(0x2026);
  return cell;
}

}  // namespace

PreviewRows readPreviewRows(const QString& path, int maxRows, const TextReadOptions& options) {
  PreviewRows rows;
  rows.table = previewTextFile(path.toStdString(), maxRows, options);
  // previewTextFile keeps no line numbers: read the same records again for them (a quoted
  // field may span lines, and blank lines are skipped, so row + 1 is not the line).
  std::ifstream in = tasks::openTaskFile(path.toStdString());
  tasks::DelimitedTableReader reader(in, path.toStdString(), rows.table.delimiter,
                                     /*quoting=*/rows.table.delimiter != tasks::kTab);
  tasks::DelimitedRecord record;
  if (rows.table.hasHeader) reader.next(record);
  while (rows.lines.size() < rows.table.rows.size() && reader.next(record))
    rows.lines.push_back(record.line);
  return rows;
}

int previewColumnOf(const QString& value, const QStringList& header, int columns, int fallback) {
  if (value.isEmpty()) return fallback;
  if (value == QLatin1String("none")) return -1;
  bool number = false;
  const int index = value.toInt(&number);
  if (number) return index < columns ? index : -1;
  return static_cast<int>(header.indexOf(value));
}

FinetunePreviewTable::FinetunePreviewTable(QWidget* parent) : QTableWidget(parent) {
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  horizontalHeader()->setStretchLastSection(true);
  setMinimumHeight(120);
  setToolTip(
      tr("The first rows as the reader splits them, each with its line in the file; the colours "
         "show the columns' roles, red rows are rejected (see the list below)."));
}

void FinetunePreviewTable::clearRows() {
  clear();
  setRowCount(0);
  setColumnCount(0);
  lines_.clear();
  roleOfColumn_.clear();
  marked_.clear();
}

void FinetunePreviewTable::showRows(const PreviewRows& rows, int columnA, int columnB,
                                    int columnLabel) {
  clearRows();
  const TablePreview& table = rows.table;
  lines_ = rows.lines;
  setColumnCount(table.columns);
  setRowCount(static_cast<int>(table.rows.size()));
  QStringList titles;
  for (int c = 0; c < table.columns; ++c) {
    const int role = c == columnA       ? kTextARole
                     : c == columnB     ? kTextBRole
                     : c == columnLabel ? kLabelRole
                                        : kNoRole;
    roleOfColumn_.push_back(role);
    const QString roleName = role == kTextARole   ? tr("text A")
                             : role == kTextBRole ? tr("text B")
                             : role == kLabelRole ? tr("label")
                                                  : QString();
    const QString title = c < static_cast<int>(table.header.size())
                              ? QString::fromStdString(table.header[static_cast<size_t>(c)])
                              : QString::number(c);
    const bool sameName = title.compare(roleName, Qt::CaseInsensitive) == 0;
    titles << (roleName.isEmpty() || sameName ? title
                                              : QStringLiteral("%1\n[%2]").arg(title, roleName));
  }
  setHorizontalHeaderLabels(titles);
  QStringList lineTitles;
  for (int r = 0; r < rowCount(); ++r) {
    lineTitles << (r < static_cast<int>(lines_.size())
                       ? QString::number(lines_[static_cast<size_t>(r)])
                       : QString());
    const auto& row = table.rows[static_cast<size_t>(r)];
    for (int c = 0; c < table.columns; ++c) {
      const std::string text =
          c < static_cast<int>(row.size()) ? row[static_cast<size_t>(c)] : std::string();
      auto* item = new QTableWidgetItem(shortened(text));
      item->setToolTip(QString::fromStdString(text));
      item->setBackground(kRoleColours[roleOfColumn_[static_cast<size_t>(c)]]);
      setItem(r, c, item);
    }
  }
  setVerticalHeaderLabels(lineTitles);
  resizeColumnsToContents();
}

void FinetunePreviewTable::markProblemLines(const QSet<qint64>& lines) {
  marked_.clear();
  for (int r = 0; r < rowCount(); ++r) {
    const bool rejected = lines.contains(lineOfRow(r));
    if (rejected) marked_.insert(r);
    for (int c = 0; c < columnCount(); ++c) {
      if (QTableWidgetItem* cell = item(r, c))
        cell->setBackground(rejected ? kRejectedRowColour
                                     : kRoleColours[roleOfColumn_[static_cast<size_t>(c)]]);
    }
  }
}

qint64 FinetunePreviewTable::lineOfRow(int row) const {
  return row >= 0 && row < static_cast<int>(lines_.size()) ? lines_[static_cast<size_t>(row)] : -1;
}

int FinetunePreviewTable::markedRowCount() const {
  return static_cast<int>(marked_.size());
}

}  // namespace bertwb::ui
