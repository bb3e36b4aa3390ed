#pragma once
// The Experiments stage: the paper's claims as one-click experiments. Pick a recipe (the
// built-ins, or the workspace's own: duplicate one and edit it in a form or as JSON), see its
// cells and an estimated time, Start / Pause / Stop, and resume later where it stopped (the
// runner keeps every finished cell). The queue shows each cell's state, the results table and
// the verdicts fill in as cells finish, the loss curves grow live, and the report (Markdown,
// CSV, the recipe, SVG and PNG figures) exports to a folder of its own. Experiments live in
// the workspace's experiments/NAME/ and reopen with their results after a restart. It adds no
// engine logic: the core's experiment runner runs in an ExperimentSession.
#include <QString>
#include <QWidget>
#include <vector>

#include "experiments/experiment_cells.h"
#include "experiments/experiment_recipe.h"
#include "experiments/experiment_results.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTextBrowser;

namespace bertwb::ui {

class ElidedLabel;
class ExperimentLibrary;
class ExperimentLossChart;
class ExperimentQueueView;
class ExperimentResultsView;
class ExperimentScoreChart;
class ExperimentSession;
class Workspace;

class ExperimentsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ExperimentsPanel(Workspace* workspace, QWidget* parent = nullptr);
  ~ExperimentsPanel() override;  // stops a running experiment and waits for it

  // --- for the main window ---
  bool isRunning() const;
  void requestStop();
  bool waitUntilStopped(int milliseconds);

  // --- the controls, callable from code (tests, menus) ---
  QStringList experimentNames() const;
  bool selectExperiment(const QString& name);  // false when there is none of that name
  QString currentExperiment() const { return current_; }
  ExperimentRecipe currentRecipe() const { return recipe_; }
  QString currentFolder() const;
  bool start();  // false when running or the experiment cannot start (the reason is shown)
  void setPaused(bool paused);
  bool isPaused() const;
  // Saves `recipe` as a workspace experiment and selects it; false (reason shown) when it
  // cannot (a built-in's name).
  bool addRecipe(const ExperimentRecipe& recipe);
  // Duplicate & edit…: a copy of the current recipe under a new name, in the editor.
  void duplicateCurrent();
  // Writes the report into a new folder inside `parent` (NAME-report, -2, ... never over an
  // existing one); returns that folder, or empty (reason shown).
  QString exportReport(const QString& parent);
  void setErrorDialogsEnabled(bool enabled) { errorDialogs_ = enabled; }

  QString statusText() const;
  QString estimateText() const;
  QString errorText() const;
  QTextBrowser* about() const { return about_; }
  ExperimentQueueView* queue() const { return queue_; }
  ExperimentResultsView* results() const { return results_; }
  ExperimentLossChart* lossChart() const { return lossChart_; }
  ExperimentScoreChart* scoreChart() const { return scoreChart_; }
  QTabWidget* tabs() const { return tabs_; }

 Q_SIGNALS:
  void runStateChanged(const QString& state);  // "experiment: cell 3 of 12", "idle", ...
  void runningChanged(bool running);
  // A finished cell's run, to be shown in the Pre-train (pretraining) or Fine-tune stage.
  void showRunRequested(const QString& runFolder, bool pretraining);

 private:
  void buildLayout();
  void refreshPicker();
  void loadCurrent();     // the current experiment's plan, its results and its figures
  void refreshResults();  // re-reads the finished cells (after each cell)
  void updateButtons();
  void updateEstimate();  // the time the unfinished cells need
  void showError(const QString& message);
  void editRecipe(const ExperimentRecipe& recipe, bool isNew);
  void onPlanned(int total, int done);
  void onCellStarted(int index);
  void onCellStepped(int index, qint64 step, qint64 totalSteps, double loss);
  void onCellFinished(int index, const CellResult& result, bool cached);
  void onFinished(int ran, int failed, bool cancelled);
  void onStopped();

  Workspace* workspace_;
  ExperimentLibrary* library_;
  ExperimentSession* session_;
  QString current_;
  ExperimentRecipe recipe_;
  std::vector<ExperimentCell> cells_;
  std::vector<double> estimates_;                      // seconds per cell, by estimateCellSeconds
  double measuredSeconds_ = 0, measuredEstimate_ = 0;  // cells run in this session
  int runningIndex_ = -1;
  double runningFraction_ = 0;
  bool errorDialogs_ = true;
  bool loading_ = false;

  QComboBox* picker_;
  QPushButton* duplicateButton_;
  QPushButton* editButton_;
  QPushButton* startButton_;
  QPushButton* pauseButton_;
  QPushButton* stopButton_;
  QPushButton* exportButton_;
  QTextBrowser* about_;  // what the recipe compares, what the paper found, its JSON
  QLabel* estimate_;
  QProgressBar* progress_;
  ElidedLabel* status_;
  QLabel* error_;
  ExperimentQueueView* queue_;
  QTabWidget* tabs_;
  ExperimentResultsView* results_;
  ExperimentLossChart* lossChart_;
  ExperimentScoreChart* scoreChart_;
};

}  // namespace bertwb::ui
