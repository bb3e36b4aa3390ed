#pragma once
// The About tab of the Experiments stage: what a recipe compares, in words and tables (the
// model, the tasks and their few-shot sizes, the seeds, each variant's changes and the
// paper's numbers, the claims), then the recipe itself as JSON for those who want every field.
#include <QString>

#include "experiments/experiment_recipe.h"

namespace bertwb::ui {

QString recipeOverviewHtml(const ExperimentRecipe& recipe, int cellCount);
// What a variant changes from the base recipe: "objective ltr; pre-training: nsp false".
QString variantChangesText(const ExperimentVariant& variant);

}  // namespace bertwb::ui
