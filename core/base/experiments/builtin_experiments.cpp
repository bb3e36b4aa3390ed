#include "experiments/builtin_experiments.h"

#include "util/error.h"

namespace bertwb {

std::vector<ExperimentRecipe> builtinExperiments() {
  std::vector<ExperimentRecipe> recipes;
  for (std::string_view file : builtinExperimentFiles()) {
    const std::string name(file);
    nlohmann::json json;
    try {
      json = nlohmann::json::parse(builtinExperimentText(file));
    } catch (const nlohmann::json::exception& e) {
      throw Error("built-in experiment '" + name + "' is not valid JSON: " + e.what());
    }
    recipes.push_back(parseExperimentRecipe(json, "built-in '" + name + "'"));
  }
  return recipes;
}

ExperimentRecipe builtinExperiment(const std::string& name) {
  std::string names;
  for (ExperimentRecipe& recipe : builtinExperiments()) {
    if (recipe.name == name) return recipe;
    names += (names.empty() ? "" : ", ") + recipe.name;
  }
  throw Error("no built-in experiment is called '" + name + "'; there are: " + names);
}

}  // namespace bertwb
