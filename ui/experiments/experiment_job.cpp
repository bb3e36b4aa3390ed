#include "experiments/experiment_job.h"

#include <QCoreApplication>
#include <map>

#include "experiments/experiment_runner.h"
#include "experiments/experiment_session.h"
#include "runtime/device.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

// The runner's events as the session's signals, cells named by their place in the plan.
class SessionEvents final : public ExperimentEvents {
 public:
  explicit SessionEvents(ExperimentSession& session) : session_(session) {}

  void onPlanned(const std::vector<ExperimentCell>& cells, int done) override {
    for (size_t i = 0; i < cells.size(); ++i) indexOfKey_[cells[i].key] = static_cast<int>(i);
    Q_EMIT session_.planned(static_cast<int>(cells.size()), done);
  }
  void onCellStarted(const ExperimentCell& cell, int, int) override {
    Q_EMIT session_.cellStarted(indexOf(cell));
  }
  void onCellStep(const ExperimentCell& cell, const StepMetrics& metrics) override {
    const double loss = cell.kind == CellKind::Pretraining ? metrics.mlmLoss : metrics.loss;
    Q_EMIT session_.cellStepped(indexOf(cell), metrics.step, metrics.totalSteps, loss);
  }
  void onCellFinished(const ExperimentCell& cell, const CellResult& result, bool cached) override {
    Q_EMIT session_.cellFinished(indexOf(cell), result, cached);
  }

 private:
  int indexOf(const ExperimentCell& cell) const {
    const auto found = indexOfKey_.find(cell.key);
    return found == indexOfKey_.end() ? -1 : found->second;
  }
  ExperimentSession& session_;
  std::map<std::string, int> indexOfKey_;
};

}  // namespace

void runExperimentJob(const ExperimentJob& job, ExperimentSession& session,
                      const CancelFlag& cancel, const PauseFlag& pause) {
  Q_EMIT session.preparing(QCoreApplication::translate(
      "ExperimentSession", "Writing the demo world and its vocabulary…"));
  ExperimentRunOptions options;
  options.folder = localPath(job.folder);
  options.device = selectDevice("auto");
  options.precision = job.precision.toStdString();
  SessionEvents events(session);
  const ExperimentOutcome outcome = runExperiment(job.recipe, options, &events, &cancel, &pause);
  Q_EMIT session.finished(outcome.ran, outcome.failed, outcome.cancelled);
}

}  // namespace bertwb::ui
