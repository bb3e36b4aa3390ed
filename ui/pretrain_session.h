#pragma once
// The GUI-thread side of a pre-training run: owns the worker thread and the stop and pause
// flags, re-emits the worker's signals on the GUI thread, and cleans up when the run ends.
// Shutdown follows the Qt worker pattern: set the flag, let the run return, quit, wait.
#include <QObject>
#include <QString>
#include <memory>

#include "pretrain_worker.h"

class QThread;

namespace bertwb::ui {

class PretrainSession : public QObject {
  Q_OBJECT
 public:
  explicit PretrainSession(QObject* parent = nullptr);
  ~PretrainSession() override;  // stops a run still going and waits for it (it saves a checkpoint)

  // Starts `job` on a new worker thread; false when a run is already going.
  bool start(const PretrainJob& job);
  bool isRunning() const { return thread_ != nullptr; }
  bool isPaused() const { return pause_ && pause_->isPaused(); }
  void setPaused(bool paused);
  // Asks the run to stop after the current step (it saves a checkpoint); returns at once.
  void requestStop();
  // Processes events until the run has ended; false on timeout.
  bool waitUntilStopped(int milliseconds);

 Q_SIGNALS:
  void preparing(const QString& message);
  void started(qint64 step, qint64 totalSteps);
  void stepped(const bertwb::StepMetrics& metrics);
  void probed(const bertwb::ProbeResult& probe);
  void checkpointSaved(const QString& folder, qint64 step);
  void finished(const bertwb::RunOutcome& outcome);
  void failed(const QString& message);
  void stopped();  // the worker thread is gone; a new run may start

 private:
  void onWorkerDone();

  QThread* thread_ = nullptr;
  std::shared_ptr<CancelFlag> cancel_;
  std::shared_ptr<PauseFlag> pause_;
};

}  // namespace bertwb::ui
