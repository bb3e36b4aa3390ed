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

// The colour of variant number `variant` ("#0072B2"), in these figures and the GUI's charts.
const char* experimentVariantColour(size_t variant);

std::string lossCurvesSvg(const ExperimentRecipe& recipe, const std::string& experimentFolder);
std::string scoresSvg(const ExperimentResults& results, const ExperimentRecipe& recipe);

// Writes both into the folder (atomically); a figure with nothing to show yet is not written.
void writeExperimentFigures(const ExperimentRecipe& recipe, const std::string& experimentFolder,
                            const ExperimentResults& results);

}  // namespace bertwb
