#pragma once
// The GUI-thread side of a running experiment: owns the worker thread and the stop and pause
// flags, and carries the runner's events to the GUI as queued signals with small values (a
// cell's index in the plan, its step, its finished record). One experiment at a time; the
// destructor stops a running one and waits (the cell in flight leaves no result and runs
// again next time).
#include <QMetaType>
#include <QObject>
#include <QString>
#include <memory>

#include "experiments/experiment_job.h"
#include "experiments/experiment_results.h"

class QThread;

namespace bertwb::ui {

class ExperimentSession : public QObject {
  Q_OBJECT
 public:
  explicit ExperimentSession(QObject* parent = nullptr);
  ~ExperimentSession() override;

  // False (and nothing started) while an experiment runs.
  bool start(const ExperimentJob& job);
  bool isRunning() const { return thread_ != nullptr; }
  bool isPaused() const { return pause_ && pause_->isPaused(); }
  void setPaused(bool paused);
  void requestStop();  // the cell in flight stops after its current step
  bool waitUntilStopped(int milliseconds);

 Q_SIGNALS:
  void preparing(const QString& message);
  // The plan is known; `done` of its cells were finished before (found by their keys).
  void planned(int total, int done);
  void cellStarted(int index);
  void cellStepped(int index, qint64 step, qint64 totalSteps, double loss);
  void cellFinished(int index, const bertwb::CellResult& result, bool cached);
  void finished(int ran, int failed, bool cancelled);
  void failed(const QString& message);
  void stopped();  // the worker thread is gone; a new experiment may start

 private:
  QThread* thread_ = nullptr;
  std::shared_ptr<CancelFlag> cancel_;
  std::shared_ptr<PauseFlag> pause_;
};

}  // namespace bertwb::ui

Q_DECLARE_METATYPE(bertwb::CellResult)
