#pragma once
// The experiment recipes that ship with the workbench (resources/experiments/*.json, compiled
// in by cmake/EmbedJsonResources.cmake): the paper's claims as ready-made experiments. The
// files are numbered ("1-pretraining-vs-random.json") for the order in which the Experiments
// stage and `experiment list` offer them: the core claim first, then the paper's order.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "experiments/experiment_recipe.h"

namespace bertwb {

// Generated: a recipe file's text by its file name ("table5.json"), "" when there is none,
// and the file names in order.
std::string_view builtinExperimentText(std::string_view fileName);
std::vector<std::string_view> builtinExperimentFiles();

// Every built-in recipe, parsed (a bad one is a build error in the tests, never a user's).
std::vector<ExperimentRecipe> builtinExperiments();
// The built-in recipe called `name` (its "name" field); throws bertwb::Error listing the
// names when there is none.
ExperimentRecipe builtinExperiment(const std::string& name);

}  // namespace bertwb
