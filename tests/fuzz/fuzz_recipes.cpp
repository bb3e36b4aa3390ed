// Experiment recipes (experiments/experiment_recipe.h) and the run recipes a workspace.json's
// "pretrain" and "finetune" sections hold (train/run_recipes.h). An accepted experiment
// recipe survives its own round trip.
#include <cstdlib>

#include "experiments/experiment_recipe.h"
#include "fuzz_support.h"
#include "train/run_recipes.h"
#include "util/bounded_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bertwb;
  const nlohmann::json json = parseJsonOrDiscarded(fuzz::bytesOf(data, size));
  if (json.is_discarded()) return 0;
  fuzz::expectParsedOrRefused([&] {
    const nlohmann::json written = experimentRecipeToJson(parseExperimentRecipe(json, "recipe"));
    if (experimentRecipeToJson(parseExperimentRecipe(written, "round trip")) != written)
      std::abort();
  });
  fuzz::expectParsedOrRefused([&] { pretrainingRecipeFromJson(json, paperPretrainingRecipe()); });
  fuzz::expectParsedOrRefused(
      [&] { finetuningRecipeFromJson(json, paperFinetuningRecipe(FinetuneTask::Qa)); });
  return 0;
}
