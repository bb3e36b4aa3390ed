#pragma once
// The GUI-thread side of any training run (pre-training or fine-tuning): owns the worker
// thread and the stop and pause flags, re-emits the worker's signals on the GUI thread, and
// cleans up when the run ends. Shutdown follows the Qt worker pattern: set the flag, let the
// run return, quit, wait.
#include <QObject>
#include <QString>
#include <memory>

#include "runs/run_job.h"

class QThread;

namespace bertwb::ui {

class RunSession : public QObject {
  Q_OBJECT
 public:
  explicit RunSession(QObject* parent = nullptr);
  ~RunSession() override;  // stops a run still going and waits for it (it may save a checkpoint)

  // Starts `job` on a new worker thread; false (and the job dropped) when a run is going.
  bool start(std::unique_ptr<RunJob> job);
  bool isRunning() const { return thread_ != nullptr; }
  bool isPaused() const { return pause_ && pause_->isPaused(); }
  // The worker is waiting in its pause: the step in flight at pause() has landed.
  bool isHoldingPause() const { return pause_ && pause_->isHolding(); }
  void setPaused(bool paused);
  // Asks the run to stop after the current step; returns at once.
  void requestStop();
  // Processes events until the run has ended; false on timeout.
  bool waitUntilStopped(int milliseconds);

 Q_SIGNALS:
  void preparing(const QString& message);
  void started(const bertwb::ui::RunInfo& info);
  void stepped(const bertwb::StepMetrics& metrics);
  void probed(const bertwb::ProbeResult& probe);
  void evaluated(const bertwb::EvaluationEvent& evaluation);
  void checkpointSaved(const QString& folder, qint64 step);
  void modelSaved(const QString& folder);
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
