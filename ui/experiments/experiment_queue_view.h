#pragma once
// The experiment's cells in the order they run, each with its state (waiting, training with
// its step, done, done before, failed with why, stopped), its score and its time. A finished
// cell opens its run in the Pre-train or Fine-tune stage (double-click, or Enter).
#include <QStringList>
#include <QTableWidget>
#include <vector>

#include "experiments/experiment_cells.h"
#include "experiments/experiment_results.h"

namespace bertwb::ui {

class ExperimentQueueView : public QTableWidget {
  Q_OBJECT
 public:
  enum class CellState { Waiting, Running, Done, Cached, Failed, Stopped };

  explicit ExperimentQueueView(QWidget* parent = nullptr);

  // The plan of `recipe`; cells already finished in `folder` show as done before.
  void setPlan(const ExperimentRecipe& recipe, const std::vector<ExperimentCell>& cells,
               const QString& folder);
  void setRunning(int index);
  void setStep(int index, qint64 step, qint64 totalSteps);
  void setResult(int index, const CellResult& result, bool cached);
  // The cell in flight when the experiment stopped: it runs again next time.
  void setStopped(int index);

  CellState state(int index) const;
  const std::vector<ExperimentCell>& cells() const { return cells_; }
  int count(CellState state) const;
  QString stateText(int index) const;
  // The finished cell's run folder, or empty.
  QString runFolder(int index) const;

 Q_SIGNALS:
  // A finished cell's run, to be shown in its stage (pre-training or fine-tuning).
  void openRunRequested(const QString& runFolder, bool pretraining);

 private:
  void setState(int index, CellState state, const QString& text);
  void openRow(int row);

  ExperimentRecipe recipe_;
  std::vector<ExperimentCell> cells_;
  std::vector<CellState> states_;
  QStringList runFolders_;
};

}  // namespace bertwb::ui
