#pragma once
// One cell of an experiment as a training run: the pre-training of a variant, or the
// fine-tuning of a variant on one task. Used by the experiment runner.
#include <string>

#include <torch/types.h>

#include "experiments/experiment_cells.h"
#include "experiments/experiment_results.h"
#include "model/bert_config.h"
#include "train/demo_setup.h"
#include "train/training_events.h"
#include "util/progress.h"

namespace bertwb {

struct CellRunContext {
  std::string experimentFolder;
  DemoPretrainingSetup data;  // the demo world and its vocabulary
  torch::Device device = torch::kCPU;
  std::string precision;  // "" : the recipe's
  TrainingEvents* events = nullptr;
  const CancelFlag* cancel = nullptr;
  const PauseFlag* pause = nullptr;  // held between steps while the user pauses
};

// The record of a cell that failed, with the reason.
CellResult failedCell(const ExperimentCell& cell, const std::string& why);

// Runs the cell into cells/KEY/run and returns its record (finished, or failed with the
// reason). Throws bertwb::Cancelled when cancelled. A fine-tuning cell from a pre-trained
// model needs that pre-training cell's result (`pretraining`).
CellResult runPretrainingCell(const ExperimentCell& cell, const CellRunContext& context);
CellResult runFinetuningCell(const ExperimentCell& cell, const CellResult* pretraining,
                             const CellRunContext& context);

}  // namespace bertwb
