#pragma once
// Recipes (run_recipes.h, torch-free) turned into what the training engine and its
// objectives take: the one place both the CLI and the GUI build a run's options from.
#include <string>

#include "data/pretraining_sampler.h"
#include "runtime/precision.h"
#include "train/finetuning_objective.h"
#include "train/pretraining_objective.h"
#include "train/run_recipes.h"
#include "train/training_engine.h"

namespace bertwb {

TrainingRunOptions pretrainingRunOptions(const PretrainingRecipe& recipe,
                                         const std::string& outputFolder,
                                         const PrecisionChoice& precision);
PretrainingObjectiveOptions pretrainingObjectiveOptions(const PretrainingRecipe& recipe,
                                                        ProbeSet probes = {});
// How the instances are made, as trainer_state.json records it under "data" (snake_case, the
// original script's flag names); a resume with other values is refused, naming the key.
nlohmann::json pretrainingDataSettings(const PretrainingDataOptions& options);

// `totalSteps`: FinetuningObjective::totalSteps(). Fine-tuning keeps no resumable
// checkpoints (runs are short; OUT/best and the final model are its results).
TrainingRunOptions finetuningRunOptions(const FinetuningRecipe& recipe,
                                        const std::string& outputFolder,
                                        const PrecisionChoice& precision, int64_t totalSteps);
FinetuningObjectiveOptions finetuningObjectiveOptions(const FinetuningRecipe& recipe);

}  // namespace bertwb
