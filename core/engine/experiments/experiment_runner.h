#pragma once
// Runs an experiment's cells one after another through the training engine, in the
// experiment's folder:
//   recipe.json            the recipe as run (the folder's manifest)
//   data/                  the demo world and its vocabulary (experiment_recipe.h's dataSeed)
//   cells/KEY/run/         a cell's training run (metrics.jsonl, the model)
//   cells/KEY/result.json  written last: a cell with it is done and never runs again
//   results.csv, report.md the summary, rewritten after every cell
// A failed cell is recorded (with why) and the others still run; it runs again next time, as
// does a cancelled one, which leaves no result.
#include <functional>
#include <string>
#include <vector>

#include <torch/types.h>

#include "experiments/experiment_cells.h"
#include "experiments/experiment_results.h"
#include "train/training_events.h"
#include "util/progress.h"

namespace bertwb {

struct ExperimentRunOptions {
  std::string folder;
  torch::Device device = torch::kCPU;
  std::string precision;  // "" keeps each recipe's own (auto by default); fp32 | bf16 | fp16
};

class ExperimentEvents {
 public:
  virtual ~ExperimentEvents() = default;
  // `done` of the cells are finished already (found by their keys).
  virtual void onPlanned(const std::vector<ExperimentCell>& /*cells*/, int /*done*/) {}
  virtual void onCellStarted(const ExperimentCell& /*cell*/, int /*index*/, int /*total*/) {}
  virtual void onCellStep(const ExperimentCell& /*cell*/, const StepMetrics& /*metrics*/) {}
  virtual void onCellFinished(const ExperimentCell& /*cell*/, const CellResult& /*result*/,
                              bool /*cached*/) {}
};

struct ExperimentOutcome {
  int total = 0, ran = 0, cached = 0, failed = 0;
  bool cancelled = false;
  ExperimentResults results;
};

// Claims options.folder (new, empty, or this kind of experiment folder; anything else is
// refused, naming what it holds), writes recipe.json and runs every unfinished cell.
ExperimentOutcome runExperiment(const ExperimentRecipe& recipe, const ExperimentRunOptions& options,
                                ExperimentEvents* events = nullptr,
                                const CancelFlag* cancel = nullptr,
                                const PauseFlag* pause = nullptr);

}  // namespace bertwb
