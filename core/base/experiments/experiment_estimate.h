#pragma once
// How long an experiment will take, before it runs: each cell's training FLOPs (from the
// model's size, the steps or passes and the sequence lengths) over the rate this kind of run
// reaches on a 2-core CPU, measured on the built-in recipes. A rough figure, meant for "about
// 14 minutes" in the Experiments stage; the stage replaces it with the cells' measured times
// as they finish (refineEstimate).
#include <vector>

#include "experiments/experiment_cells.h"
#include "experiments/experiment_recipe.h"

namespace bertwb {

// Seconds one cell takes on a 2-core CPU in its automatic precision (a GPU is much faster).
double estimateCellSeconds(const ExperimentRecipe& recipe, const ExperimentCell& cell);

// The cells still to run, scaled by how the finished cells of this run compared with their
// estimates: `measured` and `estimated` are the seconds of the cells run so far (0 and 0 when
// none has run, which keeps the plain estimate).
double refineEstimate(double remainingEstimate, double measured, double estimated);

}  // namespace bertwb
