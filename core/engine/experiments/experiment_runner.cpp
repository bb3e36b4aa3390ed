#include "experiments/experiment_runner.h"

#include <filesystem>
#include <map>

#include "experiments/experiment_cell_runs.h"
#include "io/manifests.h"
#include "io/output_folder.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/folder_lock.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

// Forwards one cell's training steps to the experiment's listener.
class CellStepForwarder final : public TrainingEvents {
 public:
  CellStepForwarder(ExperimentEvents* events, const ExperimentCell& cell)
      : events_(events), cell_(cell) {}
  void onStep(const StepMetrics& metrics) override {
    if (events_) events_->onCellStep(cell_, metrics);
  }

 private:
  ExperimentEvents* events_;
  const ExperimentCell& cell_;
};

// The report after every cell, so an interrupted experiment still has one.
ExperimentResults refreshReport(const ExperimentRecipe& recipe, const std::string& folder) {
  ExperimentResults results = summarizeExperiment(recipe, folder);
  writeExperimentReport(recipe, folder, results);
  return results;
}

}  // namespace

ExperimentOutcome runExperiment(const ExperimentRecipe& recipe, const ExperimentRunOptions& options,
                                ExperimentEvents* events, const CancelFlag* cancel,
                                const PauseFlag* pause) {
  if (options.folder.empty()) throw Error("no folder given for the experiment");
  claimOutputFolder(options.folder, OutputKind::Experiment, {/*resume=*/true, false});
  std::error_code ec;
  fs::create_directories(options.folder, ec);
  if (ec) throw Error("cannot create '" + options.folder + "': " + ec.message());
  const std::shared_ptr<FolderLock> lock =
      FolderLock::acquire(options.folder, "bert-workbench experiment");
  writeFileAtomically((fs::path(options.folder) / kExperimentManifest).string(),
                      experimentRecipeToJson(recipe).dump(2) + "\n");

  CellRunContext context;
  context.experimentFolder = options.folder;
  context.device = options.device;
  context.precision = options.precision;
  context.cancel = cancel;
  context.pause = pause;
  context.data = prepareDemoPretraining((fs::path(options.folder) / "data").string(),
                                        recipe.dataSeed, nullptr, cancel, /*replace=*/true);

  const std::vector<ExperimentCell> cells = planExperimentCells(recipe);
  ExperimentOutcome outcome;
  outcome.total = static_cast<int>(cells.size());
  std::map<std::string, CellResult> finished;
  // Only finished cells are kept; a failed one runs again (its cause may be fixed by now).
  for (const ExperimentCell& cell : cells) {
    auto result = readCellResult(options.folder, cell.key);
    if (result && result->finished) finished[cell.key] = *result;
  }
  if (events) events->onPlanned(cells, static_cast<int>(finished.size()));

  for (size_t i = 0; i < cells.size(); ++i) {
    const ExperimentCell& cell = cells[i];
    const auto found = finished.find(cell.key);
    if (found != finished.end()) {
      ++outcome.cached;
      if (events) events->onCellFinished(cell, found->second, /*cached=*/true);
      continue;
    }
    if (cancel && cancel->isRequested()) {
      outcome.cancelled = true;
      break;
    }
    if (events) events->onCellStarted(cell, static_cast<int>(i), outcome.total);
    CellStepForwarder forwarder(events, cell);
    context.events = &forwarder;
    CellResult result;
    try {
      if (cell.kind == CellKind::Pretraining) {
        result = runPretrainingCell(cell, context);
      } else {
        const auto pretraining = finished.find(cell.pretrainingKey);
        result = runFinetuningCell(
            cell, pretraining == finished.end() ? nullptr : &pretraining->second, context);
      }
    } catch (const Cancelled&) {
      outcome.cancelled = true;  // no result: the cell runs again next time
      break;
    } catch (const Error& e) {
      result = failedCell(cell, e.what());
    }
    writeCellResult(options.folder, result);
    finished[cell.key] = result;
    ++outcome.ran;
    if (!result.finished) ++outcome.failed;
    if (events) events->onCellFinished(cell, result, /*cached=*/false);
    refreshReport(recipe, options.folder);
  }
  outcome.results = refreshReport(recipe, options.folder);
  return outcome;
}

}  // namespace bertwb
