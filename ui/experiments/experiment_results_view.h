#pragma once
// The experiment's findings as they fill in: mean ± sd over seeds per variant and task with
// the paper's number beside it, and below the table one line per claim with its verdict
// (supported, contradicted, not distinguishable at this scale, or waiting for cells).
#include <QWidget>

#include "experiments/experiment_results.h"

class QLabel;
class QTableWidget;

namespace bertwb::ui {

class ExperimentResultsView : public QWidget {
  Q_OBJECT
 public:
  explicit ExperimentResultsView(QWidget* parent = nullptr);
  void setResults(const ExperimentResults& results);
  QTableWidget* table() const { return table_; }
  QString verdictText() const;  // plain text, one claim a line

 private:
  QTableWidget* table_;
  QLabel* verdicts_;
};

}  // namespace bertwb::ui
