#pragma once
// One run on a worker thread: executes a RunJob and forwards the training engine's events as
// queued signals carrying small value structs. Stop and pause are atomic flags the engine
// polls between steps, so the GUI sets them without a round trip.
#include <QObject>
#include <QString>
#include <memory>

#include "runs/run_job.h"

namespace bertwb::ui {

class RunWorker : public QObject {
  Q_OBJECT
 public:
  RunWorker(std::unique_ptr<RunJob> job, std::shared_ptr<CancelFlag> cancel,
            std::shared_ptr<PauseFlag> pause);
  ~RunWorker() override;

 public Q_SLOTS:
  // Blocks the worker's thread until the run ends; it needs no events meanwhile (stop and
  // pause are atomics), so a blocked event loop costs nothing.
  void run();

 Q_SIGNALS:
  void preparing(const QString& message);
  void started(const bertwb::ui::RunInfo& info);
  void stepped(const bertwb::StepMetrics& metrics);
  void probed(const bertwb::ProbeResult& probe);
  void evaluated(const bertwb::EvaluationEvent& evaluation);
  void checkpointSaved(const QString& folder, qint64 step);
  void modelSaved(const QString& folder);  // OUT/best after a better evaluation, OUT at the end
  void finished(const bertwb::RunOutcome& outcome);  // Finished or Cancelled
  void failed(const QString& message);
  void done();  // always the last signal

 private:
  std::unique_ptr<RunJob> job_;
  std::shared_ptr<CancelFlag> cancel_;
  std::shared_ptr<PauseFlag> pause_;
};

}  // namespace bertwb::ui
