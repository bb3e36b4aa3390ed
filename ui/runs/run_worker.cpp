#include "runs/run_worker.h"

#include <exception>

#include "util/error.h"  // Cancelled

namespace bertwb::ui {
namespace {

// The engine's callbacks run on the worker thread; emitting a signal of an object whose
// receivers live on the GUI thread queues a copy of the value there.
class SignalForwarder final : public RunContext, public TrainingEvents {
 public:
  SignalForwarder(RunWorker* worker, const CancelFlag* cancel, const PauseFlag* pause)
      : worker_(worker), cancel_(cancel), pause_(pause) {}

  // RunContext
  void preparing(const QString& message) override { Q_EMIT worker_->preparing(message); }
  void describe(const RunInfo& info) override { info_ = info; }
  TrainingEvents& events() override { return *this; }
  const CancelFlag* cancel() const override { return cancel_; }
  const PauseFlag* pause() const override { return pause_; }

  // TrainingEvents
  void onStarted(const RunStart& start) override {
    RunInfo info = info_;
    info.step = start.step;
    info.totalSteps = start.totalSteps;
    info.device = QString::fromStdString(start.device);
    info.precision = QString::fromStdString(start.precision);
    info.precisionReason = QString::fromStdString(start.precisionReason);
    Q_EMIT worker_->started(info);
  }
  void onStep(const StepMetrics& metrics) override { Q_EMIT worker_->stepped(metrics); }
  void onProbe(const ProbeResult& probe) override { Q_EMIT worker_->probed(probe); }
  void onEvaluation(const EvaluationEvent& evaluation) override {
    Q_EMIT worker_->evaluated(evaluation);
  }
  void onCheckpoint(const std::string& folder, int64_t step) override {
    Q_EMIT worker_->checkpointSaved(QString::fromStdString(folder), step);
  }
  void onModelSaved(const std::string& folder) override {
    Q_EMIT worker_->modelSaved(QString::fromStdString(folder));
  }
  void onFinished(const RunOutcome& outcome) override {
    if (outcome.end == RunEnd::Failed) {
      Q_EMIT worker_->failed(QString::fromStdString(outcome.message));
    } else {
      Q_EMIT worker_->finished(outcome);
    }
  }

 private:
  RunWorker* worker_;
  const CancelFlag* cancel_;
  const PauseFlag* pause_;
  RunInfo info_;
};

}  // namespace

void registerRunMetaTypes() {
  qRegisterMetaType<bertwb::StepMetrics>();
  qRegisterMetaType<bertwb::ProbeResult>();
  qRegisterMetaType<bertwb::EvaluationEvent>();
  qRegisterMetaType<bertwb::RunOutcome>();
  qRegisterMetaType<bertwb::ui::RunInfo>();
}

RunWorker::RunWorker(std::unique_ptr<RunJob> job, std::shared_ptr<CancelFlag> cancel,
                     std::shared_ptr<PauseFlag> pause)
    : job_(std::move(job)), cancel_(std::move(cancel)), pause_(std::move(pause)) {}

RunWorker::~RunWorker() = default;

void RunWorker::run() {
  SignalForwarder context(this, cancel_.get(), pause_.get());
  try {
    job_->execute(context);  // the engine ends with onFinished → finished or failed
  } catch (const Cancelled&) {
    RunOutcome outcome;
    outcome.end = RunEnd::Cancelled;
    outcome.message = "stopped before training began";
    Q_EMIT finished(outcome);
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  }
  Q_EMIT done();
}

}  // namespace bertwb::ui
