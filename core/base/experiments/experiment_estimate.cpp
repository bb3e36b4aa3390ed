#include "experiments/experiment_estimate.h"

#include <algorithm>

#include "model/model_stats.h"
#include "tasks/finetune_task.h"
#include "train/demo_setup.h"
#include "train/run_recipes.h"
#include "util/bounded_json.h"

namespace bertwb {
namespace {

using nlohmann::json;

// Training FLOPs per second on 2 CPU cores, fitted to the built-in recipes' wall times (Table 5
// 13.4 min, Table 6 12.2, Table 7 6.7, Table 8 11.8, Figure 5 11.6; README): a Tiny
// pre-training step (batch 32 × 64, 5.9 GFLOP by estimateFlops) takes ~70 ms in the CPU's
// automatic precision (bf16 where it is native), and fine-tuning's smaller batches and
// per-epoch dev evaluation reach about the same once the per-example token counts below
// include them.
constexpr double kCpuTrainingFlopsPerSecond = 84e9;
// Seconds a cell spends outside its steps (reading the corpus, building the model, saving).
constexpr double kCellOverheadSeconds = 2.0;

// Tokens one training example costs per epoch on each demo task, dev evaluation included
// (fitted to the measured Tiny cells: entailment 1.8 ms, NER 1.7 ms, QA 4.2 ms an example).
double tokensPerExample(const std::string& task) {
  if (task == "qa") return 120;
  if (task == "entailment") return 52;
  if (task == "ner") return 50;
  return 40;  // sentiment
}

// The demo world's training set sizes (DemoWorldOptions' defaults).
int64_t demoTrainExamples(const std::string& task) {
  return task == "qa" ? 2088 : 2000;
}

FinetuneTask finetuneTaskOf(const std::string& task) {
  if (task == "sentiment") return FinetuneTask::Classify;
  if (task == "entailment") return FinetuneTask::Pair;
  if (task == "ner") return FinetuneTask::Tag;
  return FinetuneTask::Qa;
}

json mergedModel(const ExperimentRecipe& recipe, const ExperimentVariant& variant) {
  json model = recipe.model.is_object() ? recipe.model : json::object();
  model.merge_patch(variant.model);
  return model;
}

}  // namespace

double estimateCellSeconds(const ExperimentRecipe& recipe, const ExperimentCell& cell) {
  const ExperimentVariant& variant = recipe.variants.at(cell.variant);
  BertConfig model;
  try {
    model = experimentModelConfig(mergedModel(recipe, variant), kDemoVocabularySize, -1);
  } catch (const std::exception&) {
    return kCellOverheadSeconds;  // the cell will fail at once, saying why
  }
  const json& overrides = cell.settings.contains("recipe") ? cell.settings["recipe"] : json();
  if (cell.kind == CellKind::Pretraining) {
    PretrainingRecipe run =
        demoPretrainingRecipe(model, jsonIntegerOr<int64_t>(overrides, "steps", 1000));
    run = pretrainingRecipeFromJson(overrides, run);
    const double tokens = static_cast<double>(run.steps) * run.batchSize * run.maxSeqLength;
    const double flops =
        estimateFlops(model, run.maxSeqLength,
                      run.maxPredictionsPerSeq / static_cast<double>(run.maxSeqLength))
            .trainingPerToken;
    return kCellOverheadSeconds + tokens * flops / kCpuTrainingFlopsPerSecond;
  }
  const std::string task = recipe.tasks.at(cell.task.value_or(0)).task;
  FinetuningRecipe run = desktopFinetuningRecipe(finetuneTaskOf(task), model);
  run = finetuningRecipeFromJson(overrides, run);
  const int64_t cut = recipe.tasks.at(cell.task.value_or(0)).trainExamples;
  const double examples = static_cast<double>(cut > 0 ? cut : demoTrainExamples(task));
  const double tokenCount = tokensPerExample(task);
  double flops = estimateFlops(model, static_cast<int>(tokenCount), 0).trainingPerToken;
  // A frozen encoder runs its forward pass only (a third of training's FLOPs).
  if (variant.features != FeatureLayers::None) flops /= 3;
  if (variant.tagger == FeatureTagger::BiLstm) {
    // Two layers, two directions, four gates over (input + hidden) × hidden, forward and
    // backward (fitted: a Tiny BiLSTM NER cell of 150 sentences × 20 epochs takes ~10 s where
    // the linear tagger takes ~3 s).
    const double hidden = model.hidden_size;
    const double input = 4.0 * hidden;  // at most the last four layers concatenated
    const double perDirection = 4 * (input + hidden) * hidden + 4 * (3 * hidden) * hidden;
    flops += 2 * 2 * 2 * perDirection;
  }
  return kCellOverheadSeconds +
         examples * run.epochs * tokenCount * flops / kCpuTrainingFlopsPerSecond;
}

double refineEstimate(double remainingEstimate, double measured, double estimated) {
  if (measured <= 0 || estimated <= 0) return remainingEstimate;
  // Bounded, so one odd cell (a cold start, a paused run) cannot swing it wildly.
  return remainingEstimate * std::clamp(measured / estimated, 0.2, 5.0);
}

}  // namespace bertwb
