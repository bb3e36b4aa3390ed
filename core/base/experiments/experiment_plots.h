#pragma once
// The report's two figures as SVG (text, so the torch-free core and the headless CLI can
// draw them, and any browser or Markdown viewer shows them): the pre-training loss curve of
// every pre-trained variant (each seed a thin line) and the dev score per task and variant as
// bars with ± one standard deviation.
#include <string>

#include "experiments/experiment_recipe.h"
#include "experiments/experiment_results.h"

namespace bertwb {

inline constexpr const char* kLossCurvesFigure = "loss-curves.svg";
inline constexpr const char* kScoresFigure = "scores.svg";
inline constexpr const char* kStepsFigure = "score-by-step.svg";  // recipes with "fromStep"

// The colour of variant number `variant` ("#0072B2"), in these figures and the GUI's charts.
const char* experimentVariantColour(size_t variant);

std::string lossCurvesSvg(const ExperimentRecipe& recipe, const std::string& experimentFolder);
std::string scoresSvg(const ExperimentResults& results, const ExperimentRecipe& recipe);
// Figure 5's picture: the score of variants that fine-tune from one pre-training's checkpoints,
// against the step, a line per pre-training (and task); "" when no variant has a fromStep.
std::string stepsSvg(const ExperimentResults& results, const ExperimentRecipe& recipe);

// Writes them into the folder (atomically); a figure with nothing to show yet is not written.
void writeExperimentFigures(const ExperimentRecipe& recipe, const std::string& experimentFolder,
                            const ExperimentResults& results);

}  // namespace bertwb
