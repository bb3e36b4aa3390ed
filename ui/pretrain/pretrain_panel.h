#pragma once
// The Pre-train stage: hyper-parameters, Start / Pause / Resume / Stop, progress with ETA and
// tokens per second, live loss / accuracy / learning-rate charts, probe predictions that
// change as the model learns, and the run's checkpoints. It adds no engine logic: it builds a
// PretrainJob from the workspace and runs it in a RunSession (a worker thread).
#include <QString>
#include <QStringList>
#include <QWidget>

#include "pretrain/pretrain_settings.h"
#include "train/training_events.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace bertwb::ui {

class CheckpointList;
class ElidedLabel;
class RunSession;
class PretrainSettingsForm;
class ProbeView;
class TrainingCharts;
class Workspace;

class PretrainPanel : public QWidget {
  Q_OBJECT
 public:
  explicit PretrainPanel(Workspace* workspace, QWidget* parent = nullptr);
  ~PretrainPanel() override;  // stops a running run and waits for its checkpoint

  // --- for the main window ---
  bool isRunning() const;
  // Stop after the current step and save a checkpoint; returns at once.
  void requestStop();
  // Processes events until the run has ended; false on timeout.
  bool waitUntilStopped(int milliseconds);

  // --- the buttons, callable from code (tests, menus) ---
  bool start();  // false when a run is going or the settings are unusable
  void pause();
  bool resume();  // un-pauses a paused run, or continues a stopped run from its newest checkpoint
  bool canResumeStoppedRun() const;
  // Shows a run of this workspace as it ended (its curves, checkpoints and state); the last
  // run is shown again when the panel opens. False while a run trains or without metrics.
  bool showRun(const QString& runFolder);

  PretrainSettings settings() const;
  void setSettings(const PretrainSettings& settings);
  // Errors open a dialog unless switched off (tests); the message shows in the panel either way.
  void setErrorDialogsEnabled(bool enabled) { errorDialogs_ = enabled; }
  QString dataSummaryText() const;  // the instance settings line, as plain text

  QString currentRunFolder() const { return runFolder_; }
  qint64 currentStep() const { return step_; }
  // Paused and the run has come to rest (its step in flight has landed and been reported).
  bool isPauseHolding() const;
  QStringList checkpointNames() const;
  QString errorText() const;
  TrainingCharts* charts() const { return charts_; }
  ProbeView* probes() const { return probeView_; }

 Q_SIGNALS:
  // "idle", "preparing: …", "running step 120/1000", "paused at step 120/1000", "stopping",
  // "finished at step 1000", "stopped at step 120", "failed".
  void runStateChanged(const QString& state);
  void progressed(qint64 step, qint64 totalSteps);
  void probesUpdated(qint64 step);
  void checkpointListed(const QString& folder);
  void runEnded(const QString& outcome);  // "finished" | "stopped" | "failed"
  // The run's thread started (true) or has ended, every report delivered (false).
  void runningChanged(bool running);
  // "Change…" beside the instance settings: the Masking & NSP tab edits them.
  void dataSettingsRequested();
  void failed(const QString& message);

 private:
  enum class State { Idle, Preparing, Running, Paused, Stopping };
  void buildLayout();
  bool launch(const PretrainSettings& settings, const QString& runFolder, bool resume);
  QString newRunFolder(const QString& name) const;
  void saveSettings();
  void restoreDefaults();
  void followWorkspaceRecipe();  // the Masking & NSP tab changed the shared recipe
  void showDataSummary();
  // "running step 12/1000 · bf16 (auto: this CPU has AVX512-BF16)" for the status bar.
  QString runningDescription() const;
  void setState(State state, const QString& description);
  void updateButtons();
  void refreshCheckpoints();
  void onStep(const StepMetrics& metrics);
  void onFinished(const RunOutcome& outcome);
  void onFailed(const QString& message);
  void onStopped();

  Workspace* workspace_;
  RunSession* session_;
  QString precision_;      // the running run's, as the engine reports it, with the reason
  QString precisionName_;  // "bf16", for the step line
  PretrainSettingsForm* form_;
  ProbeView* probeView_;
  TrainingCharts* charts_;
  QPushButton* startButton_;
  QPushButton* pauseButton_;
  QPushButton* resumeButton_;
  QPushButton* stopButton_;
  QPushButton* defaultsButton_;
  QProgressBar* progress_;
  ElidedLabel* statusLabel_;
  QLabel* dataSummary_;
  bool savingSettings_ = false;
  QLabel* errorLabel_;
  CheckpointList* checkpointList_;

  State state_ = State::Idle;
  PretrainSettings runSettings_;  // the settings of the current (or last) run
  QString runFolder_;
  qint64 step_ = 0, totalSteps_ = 0;
  bool lastRunResumable_ = false;  // it stopped with a checkpoint before its last step
  bool errorDialogs_ = true;
};

}  // namespace bertwb::ui
