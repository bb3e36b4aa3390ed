#pragma once
// The experiment a session runs on its worker thread: the recipe, its folder and the run
// settings, copied on the GUI thread before it starts. Only experiment_job.cpp includes torch.
#include <QString>

#include "experiments/experiment_recipe.h"
#include "train/training_events.h"  // PauseFlag
#include "util/progress.h"          // CancelFlag

namespace bertwb::ui {

class ExperimentSession;

struct ExperimentJob {
  ExperimentRecipe recipe;
  QString folder;     // experiments/NAME
  QString precision;  // "" keeps the recipe's
};

// Runs every unfinished cell of `job` (experiment_runner.h), reporting through `session`'s
// signals (emitted on this thread, delivered queued on the GUI thread). Throws bertwb::Error
// when the experiment cannot start (a folder that is not an experiment's, a busy folder).
void runExperimentJob(const ExperimentJob& job, ExperimentSession& session,
                      const CancelFlag& cancel, const PauseFlag& pause);

}  // namespace bertwb::ui
