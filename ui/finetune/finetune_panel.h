#pragma once
// The Fine-tune stage: a task and its files (preview, column mapping, label set, malformed
// rows), a starting point (a workspace checkpoint, an imported Hugging Face folder or random
// weights) with the paper's hyper-parameters, Start / Stop, live loss and dev-metric charts
// (earlier runs overlayable), and the best evaluation's results (confusion matrix, per-label
// or per-type scores, EM/F1 with HasAns/NoAns). Each run goes to finetuned/NAME (never over an
// existing one) with metrics.jsonl, best/ (the best evaluation's model, with its tokenizer)
// and the final model. It adds no engine logic: the core training engine runs in a RunSession.
#include <QString>
#include <QWidget>

#include "finetune/finetune_settings.h"
#include "train/training_events.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace bertwb::ui {

class FinetuneCharts;
class FinetuneResults;
class MisclassifiedView;
class RunSession;
class FinetuneSettingsForm;
class FinetuneTaskImport;
struct RunInfo;
class Workspace;

class FinetunePanel : public QWidget {
  Q_OBJECT
 public:
  explicit FinetunePanel(Workspace* workspace, QWidget* parent = nullptr);
  ~FinetunePanel() override;  // stops a running run and waits for it

  // --- for the main window ---
  bool isRunning() const;
  // The warning shown after a run whose best dev accuracy does not beat the majority class;
  // empty when none is shown.
  QString baselineWarning() const;
  void requestStop();                       // stops after the current step; returns at once
  bool waitUntilStopped(int milliseconds);  // processes events; false on timeout

  // --- the buttons, callable from code (tests, menus) ---
  bool start();  // false when a run is going or the settings are unusable (the reason is shown)
  FinetuneSettings settings() const;
  void setSettings(const FinetuneSettings& settings);
  void setErrorDialogsEnabled(bool enabled) { errorDialogs_ = enabled; }

  QString currentRunFolder() const { return runFolder_; }
  // Shows a finished or stopped run of this workspace as it ended: its curves, its best
  // scores (the confusion matrix rebuilt from its dev predictions) and its mistakes. The last
  // run shown or trained is shown again when the panel opens (after a restart). False while a
  // run trains, or when `runFolder` holds no metrics.
  bool showRun(const QString& runFolder);
  QString errorText() const;
  QString statusText() const;
  int evaluationCount() const { return evaluations_; }
  FinetuneTaskImport* taskImport() const { return import_; }
  FinetuneSettingsForm* settingsForm() const { return form_; }
  FinetuneCharts* charts() const { return charts_; }
  FinetuneResults* results() const { return results_; }
  // The best model's mistakes on the dev set (after a run), beside the scores.
  MisclassifiedView* misclassified() const { return misclassified_; }
  QTabWidget* resultTabs() const { return resultTabs_; }

 Q_SIGNALS:
  // "idle", "preparing: …", "running step 12/40", "stopping", "finished at step 40",
  // "stopped at step 12", "failed".
  void runStateChanged(const QString& state);
  void modelSaved(
      const QString& folder);  // best/ after a better evaluation; the run folder at the end
  void runFinished();          // finished, stopped or failed: the panel is idle again
  void evaluated(qint64 step);

 protected:
  // The workspace may have new checkpoints (a pre-training run just ended): list them afresh.
  void showEvent(QShowEvent* event) override;

 private:
  void buildLayout();
  void saveSettings();
  void onTaskChanged();
  // "Defaults for this model": the recipe for the model the run starts from (run_recipes.h).
  void useModelDefaults();
  void warnWhenNoBetterThanBaseline(const EvaluationRecord& evaluation);
  BertConfig startModelConfig() const;
  void setState(const QString& state, bool running);
  void showError(const QString& message);
  QString newRunFolder(const FinetuneSettings& settings) const;
  void onStarted(const RunInfo& info);
  void onStep(const StepMetrics& step);
  void onEvaluation(const EvaluationEvent& evaluation);
  void onFinished(const RunOutcome& outcome);
  void onStopped();
  void rememberLastRun();  // the run shown again after a restart

  Workspace* workspace_;
  RunSession* session_;
  QString precision_;  // the running run's, as the engine reports it
  FinetuneTaskImport* import_;
  FinetuneSettingsForm* form_;
  FinetuneCharts* charts_;
  FinetuneResults* results_;
  MisclassifiedView* misclassified_;
  QTabWidget* resultTabs_;
  QPushButton* startButton_;
  QPushButton* stopButton_;
  QProgressBar* progress_;
  QLabel* statusLabel_;
  QLabel* errorLabel_;
  QLabel* baselineWarning_;  // a finished run no better than the majority class
  QString runFolder_;
  QString endState_;
  int evaluations_ = 0;
  bool running_ = false;
  bool errorDialogs_ = true;
};

}  // namespace bertwb::ui
