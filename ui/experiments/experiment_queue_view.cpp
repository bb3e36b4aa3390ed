#include "experiments/experiment_queue_view.h"

#include <QHeaderView>
#include <algorithm>

#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

enum QueueColumn { kCellColumn, kStateColumn, kScoreColumn, kTimeColumn, kColumnCount };

QColor stateTint(ExperimentQueueView::CellState state) {
  switch (state) {
    case ExperimentQueueView::CellState::Running:
      return QColor(0xfff3c4);
    case ExperimentQueueView::CellState::Done:
      return QColor(0xdff3e4);
    case ExperimentQueueView::CellState::Cached:
      return QColor(0xeef6f0);
    case ExperimentQueueView::CellState::Failed:
      return QColor(0xfbdada);
    case ExperimentQueueView::CellState::Stopped:
      return QColor(0xeeeeee);
    case ExperimentQueueView::CellState::Waiting:
      break;
  }
  return QColor();
}

// "84.3 accuracy" for a fine-tuning cell, "loss 4.12" for a pre-training one.
QString scoreText(const ExperimentRecipe& recipe, const ExperimentCell& cell,
                  const CellResult& result) {
  if (!result.finished) return QString();
  if (cell.kind == CellKind::Pretraining)
    return result.finalLoss ? QObject::tr("loss %1").arg(*result.finalLoss, 0, 'f', 2) : QString();
  if (!result.best) return QString();
  const ExperimentTask& task = recipe.tasks.at(cell.task.value_or(0));
  return QStringLiteral("%1 %2")
      .arg(metricPoints(task.task, *result.best), 0, 'f', 1)
      .arg(fromStd(task.metric));
}

}  // namespace

ExperimentQueueView::ExperimentQueueView(QWidget* parent) : QTableWidget(parent) {
  setColumnCount(kColumnCount);
  setHorizontalHeaderLabels({tr("Cell"), tr("State"), tr("Best dev score"), tr("Time")});
  horizontalHeader()->setSectionResizeMode(kCellColumn, QHeaderView::Stretch);
  for (int c = kStateColumn; c < kColumnCount; ++c)
    horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  verticalHeader()->setVisible(false);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setToolTip(
      tr("Double-click a finished cell to open its run in the Pre-train or Fine-tune stage"));
  connect(this, &QTableWidget::cellDoubleClicked, this, [this](int row, int) { openRow(row); });
  connect(this, &QTableWidget::cellActivated, this, [this](int row, int) { openRow(row); });
}

void ExperimentQueueView::setPlan(const ExperimentRecipe& recipe,
                                  const std::vector<ExperimentCell>& cells, const QString& folder) {
  recipe_ = recipe;
  cells_ = cells;
  states_.assign(cells.size(), CellState::Waiting);
  runFolders_ = QStringList();
  for (size_t i = 0; i < cells.size(); ++i) runFolders_ << QString();
  setRowCount(static_cast<int>(cells.size()));
  for (int row = 0; row < rowCount(); ++row) {
    setItem(row, kCellColumn, new QTableWidgetItem(fromStd(describeCell(recipe, cells_[row]))));
    for (int c = kStateColumn; c < kColumnCount; ++c) setItem(row, c, new QTableWidgetItem);
    setState(row, CellState::Waiting, tr("waiting"));
    if (folder.isEmpty()) continue;
    const auto result = readCellResult(localPath(folder), cells_[row].key);
    if (result) setResult(row, *result, /*cached=*/true);
  }
}

void ExperimentQueueView::setState(int index, CellState state, const QString& text) {
  if (index < 0 || index >= rowCount()) return;
  states_[index] = state;
  item(index, kStateColumn)->setText(text);
  const QColor tint = stateTint(state);
  for (int c = 0; c < kColumnCount; ++c)
    item(index, c)->setBackground(tint.isValid() ? QBrush(tint) : QBrush());
}

void ExperimentQueueView::setRunning(int index) {
  setState(index, CellState::Running, tr("training…"));
  if (index >= 0 && index < rowCount()) scrollToItem(item(index, kCellColumn));
}

void ExperimentQueueView::setStep(int index, qint64 step, qint64 totalSteps) {
  if (index < 0 || index >= rowCount()) return;
  const int percent = totalSteps > 0 ? static_cast<int>(100 * step / totalSteps) : 0;
  setState(index, CellState::Running,
           tr("training · step %1/%2 (%3%)").arg(step).arg(totalSteps).arg(percent));
}

void ExperimentQueueView::setResult(int index, const CellResult& result, bool cached) {
  if (index < 0 || index >= rowCount()) return;
  if (!result.finished) {
    setState(index, CellState::Failed, tr("failed"));
    item(index, kStateColumn)->setToolTip(fromStd(result.message));
    item(index, kScoreColumn)->setText(fromStd(result.message));
    item(index, kScoreColumn)->setToolTip(fromStd(result.message));
  } else {
    setState(index, cached ? CellState::Cached : CellState::Done,
             cached ? tr("done before") : tr("done"));
    item(index, kScoreColumn)->setText(scoreText(recipe_, cells_[index], result));
  }
  item(index, kTimeColumn)->setText(tr("%1 s").arg(result.seconds, 0, 'f', 1));
  runFolders_[index] = fromStd(result.runFolder);
}

void ExperimentQueueView::setStopped(int index) {
  setState(index, CellState::Stopped, tr("stopped (runs again on resume)"));
}

ExperimentQueueView::CellState ExperimentQueueView::state(int index) const {
  return index >= 0 && index < static_cast<int>(states_.size()) ? states_[index]
                                                                : CellState::Waiting;
}

int ExperimentQueueView::count(CellState state) const {
  return static_cast<int>(std::count(states_.begin(), states_.end(), state));
}

QString ExperimentQueueView::stateText(int index) const {
  return index >= 0 && index < rowCount() ? item(index, kStateColumn)->text() : QString();
}

QString ExperimentQueueView::runFolder(int index) const {
  return index >= 0 && index < runFolders_.size() ? runFolders_[index] : QString();
}

void ExperimentQueueView::openRow(int row) {
  const QString folder = runFolder(row);
  if (folder.isEmpty() || state(row) == CellState::Failed) return;
  Q_EMIT openRunRequested(folder, cells_[row].kind == CellKind::Pretraining);
}

}  // namespace bertwb::ui
