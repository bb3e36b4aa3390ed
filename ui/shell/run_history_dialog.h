#pragma once
// View ▸ Run History: the workspace's pre-training and fine-tuning runs in one table (state,
// steps, training time, last loss, score, precision, device), the settings of the selected
// run below it, and with two runs selected the settings they differ in, side by side.
// "Show" opens a run in its stage (its curves and results, as it ended).
#include <QDialog>

#include "runs/run_history.h"

class QCheckBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace bertwb::ui {

class RunHistoryDialog : public QDialog {
  Q_OBJECT
 public:
  RunHistoryDialog(QString runsFolder, QString finetunedFolder, QWidget* parent = nullptr);

  void refresh();  // reads the folders again
  const QVector<RunRecord>& runs() const { return runs_; }
  // Selects rows by run folder (tests; the table does it by click).
  void selectRuns(const QStringList& folders);
  QTableWidget* runTable() const { return table_; }
  QTableWidget* settingsTable() const { return settings_; }
  QString settingsTitle() const;

 Q_SIGNALS:
  void showRunRequested(const QString& folder, RunRecord::Kind kind);

 private:
  void showSelection();
  QVector<int> selectedRuns() const;

  QString runsFolder_, finetunedFolder_;
  QVector<RunRecord> runs_;
  QTableWidget* table_;
  QLabel* settingsTitle_;
  QCheckBox* onlyDifferences_;
  QTableWidget* settings_;
  QPushButton* showButton_;
};

}  // namespace bertwb::ui
