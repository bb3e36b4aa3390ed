#include "experiments/experiment_cells.h"

#include <cstdio>
#include <set>

#include "model/presets.h"
#include "util/bounded_json.h"
#include "util/error.h"

namespace bertwb {
namespace {

using nlohmann::json;

// The recipe's default seed (PretrainingRecipe::seed): seed index 0 trains as a plain run.
constexpr uint64_t kFirstSeed = 12345;

json mergedOverrides(const json& base, const json& variant) {
  json merged = base.is_object() ? base : json::object();
  merged.merge_patch(variant);
  return merged;
}

json pretrainingSettings(const ExperimentRecipe& recipe, const ExperimentVariant& variant,
                         uint64_t seed) {
  json overrides = mergedOverrides(recipe.pretraining, variant.pretraining);
  overrides["seed"] = seed;
  return {{"cell", "pretraining"},
          {"version", kExperimentCellVersion},
          {"data", {{"demoWorldSeed", recipe.dataSeed}}},
          {"model", mergedOverrides(recipe.model, variant.model)},
          {"objective", objectiveName(variant.objective)},
          {"segments", segmentFormatName(variant.segments)},
          {"recipe", overrides}};
}

json finetuningSettings(const ExperimentRecipe& recipe, const ExperimentVariant& variant,
                        const ExperimentTask& task, uint64_t seed,
                        const std::string& pretrainingKey) {
  json overrides = mergedOverrides(recipe.finetuning, variant.finetuning);
  overrides["seed"] = seed;
  json settings = {{"cell", "finetuning"},
                   {"version", kExperimentCellVersion},
                   {"data", {{"demoWorldSeed", recipe.dataSeed}}},
                   {"task", task.task},
                   {"trainExamples", task.trainExamples},
                   {"features", featureLayersName(variant.features)},
                   {"recipe", overrides}};
  // Named only when not the default, so the cells of linear taggers keep their keys.
  if (variant.tagger != FeatureTagger::Linear)
    settings["featureHead"] = featureTaggerName(variant.tagger);
  // A pre-trained start is fully named by its pre-training cell (model and objective
  // included); a random one by the model alone.
  if (pretrainingKey.empty()) {
    settings["init"] = "random";
    settings["model"] = mergedOverrides(recipe.model, variant.model);
  } else {
    settings["init"] = "pretrained";
    settings["pretraining"] = pretrainingKey;
    // An LTR model is fine-tuned with its causal mask, as in the paper.
    settings["causal"] = variant.objective == PretrainingObjectiveKind::LeftToRight;
    if (variant.fromStep > 0) settings["fromStep"] = variant.fromStep;
  }
  return settings;
}

}  // namespace

uint64_t experimentSeed(int index) {
  return kFirstSeed + static_cast<uint64_t>(index);
}

std::string experimentCellKey(const json& settings) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a offset basis
  const std::string text = settings.dump() + "#" + std::to_string(kExperimentCellVersion);
  for (unsigned char byte : text) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

ExperimentCell pretrainingCellOf(const ExperimentRecipe& recipe, size_t variant, int seedIndex) {
  ExperimentCell cell;
  cell.kind = CellKind::Pretraining;
  cell.variant = variant;
  cell.seedIndex = seedIndex;
  cell.seed = experimentSeed(seedIndex);
  cell.settings = pretrainingSettings(recipe, recipe.variants.at(variant), cell.seed);
  cell.key = experimentCellKey(cell.settings);
  return cell;
}

ExperimentCell finetuningCellOf(const ExperimentRecipe& recipe, size_t variant, size_t task,
                                int seedIndex) {
  const ExperimentVariant& v = recipe.variants.at(variant);
  ExperimentCell cell;
  cell.kind = CellKind::Finetuning;
  cell.variant = variant;
  cell.task = task;
  cell.seedIndex = seedIndex;
  cell.seed = experimentSeed(seedIndex);
  if (v.init == ExperimentInit::Pretrained)
    cell.pretrainingKey = pretrainingCellOf(recipe, variant, seedIndex).key;
  cell.settings =
      finetuningSettings(recipe, v, recipe.tasks.at(task), cell.seed, cell.pretrainingKey);
  cell.key = experimentCellKey(cell.settings);
  return cell;
}

std::vector<ExperimentCell> planExperimentCells(const ExperimentRecipe& recipe) {
  std::vector<ExperimentCell> cells;
  std::set<std::string> planned;
  for (int seedIndex = 0; seedIndex < recipe.seeds; ++seedIndex) {
    for (size_t v = 0; v < recipe.variants.size(); ++v) {
      if (recipe.variants[v].init == ExperimentInit::Pretrained) {
        ExperimentCell cell = pretrainingCellOf(recipe, v, seedIndex);
        if (planned.insert(cell.key).second) cells.push_back(std::move(cell));
      }
      for (size_t t = 0; t < recipe.tasks.size(); ++t) {
        ExperimentCell cell = finetuningCellOf(recipe, v, t, seedIndex);
        if (planned.insert(cell.key).second) cells.push_back(std::move(cell));
      }
    }
  }
  return cells;
}

BertConfig experimentModelConfig(const json& spec, int vocabSize, int padTokenId) {
  BertConfig config = presetConfig(jsonStringOr(spec, "preset", "tiny"), vocabSize);
  if (spec.contains("layers")) config.num_hidden_layers = jsonInteger<int>(spec["layers"]);
  if (spec.contains("hidden")) {
    config.hidden_size = jsonInteger<int>(spec["hidden"]);
    config.intermediate_size = 4 * config.hidden_size;  // as the presets, unless given
  }
  if (spec.contains("heads")) config.num_attention_heads = jsonInteger<int>(spec["heads"]);
  if (spec.contains("intermediate"))
    config.intermediate_size = jsonInteger<int>(spec["intermediate"]);
  if (padTokenId >= 0) config.pad_token_id = padTokenId;
  if (config.hidden_size % config.num_attention_heads != 0)
    throw Error("hidden size " + std::to_string(config.hidden_size) + " is not divisible by " +
                std::to_string(config.num_attention_heads) + " heads");
  return config;
}

std::string describeCell(const ExperimentRecipe& recipe, const ExperimentCell& cell) {
  const std::string what = cell.kind == CellKind::Pretraining
                               ? std::string("pre-training")
                               : recipe.tasks.at(cell.task.value_or(0)).task;
  return recipe.variants.at(cell.variant).name + " · " + what + " · seed " +
         std::to_string(cell.seedIndex + 1);
}

}  // namespace bertwb
