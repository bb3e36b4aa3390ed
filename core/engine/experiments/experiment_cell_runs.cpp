#include "experiments/experiment_cell_runs.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "data/corpus.h"
#include "data/corpus_view.h"
#include "data/instance_stream.h"
#include "finetune/task_adapters.h"
#include "io/checkpoint.h"
#include "io/task_model_io.h"
#include "model/bert_heads.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "tasks/conll_reader.h"
#include "tasks/glue_reader.h"
#include "tasks/squad_reader.h"
#include "text/tokenizer.h"
#include "train/checkpoint_folders.h"
#include "train/metrics_log.h"
#include "train/run_setup.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Forwards the run's events and keeps the loss curve (the masked-LM loss when pre-training).
class CurveRecorder final : public TrainingEvents {
 public:
  CurveRecorder(TrainingEvents* forward, bool pretraining)
      : forward_(forward), pretraining_(pretraining) {}
  void onStarted(const RunStart& start) override {
    if (forward_) forward_->onStarted(start);
  }
  void onStep(const StepMetrics& metrics) override {
    curve.emplace_back(metrics.step, pretraining_ ? metrics.mlmLoss : metrics.loss);
    if (forward_) forward_->onStep(metrics);
  }
  void onEvaluation(const EvaluationEvent& event) override {
    if (forward_) forward_->onEvaluation(event);
  }
  std::vector<std::pair<int64_t, double>> curve;

 private:
  TrainingEvents* forward_;
  bool pretraining_;
};

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The record of a run that finished: its folder, time and loss curve; the caller adds the
// scores.
CellResult finishedCell(const ExperimentCell& cell, std::chrono::steady_clock::time_point start,
                        const std::string& runFolder, const CurveRecorder& recorder) {
  CellResult result;
  result.key = cell.key;
  result.finished = true;
  result.seconds = secondsSince(start);
  result.settings = cell.settings;
  result.runFolder = runFolder;
  result.lossCurve = recorder.curve;
  return result;
}

fs::path cellRunFolder(const CellRunContext& context, const ExperimentCell& cell) {
  return fs::path(cellFolder(context.experimentFolder, cell.key)) / "run";
}

// A fresh run folder inside the cell's own folder: what a killed attempt left is removed.
std::string freshRunFolder(const CellRunContext& context, const ExperimentCell& cell) {
  const fs::path run = cellRunFolder(context, cell);
  std::error_code ec;
  fs::remove_all(run, ec);
  fs::create_directories(run.parent_path(), ec);
  if (ec) throw Error("cannot create '" + run.parent_path().string() + "': " + ec.message());
  return run.string();
}

// The masked-LM (or next-token) loss of every logged step in a run's metrics.jsonl: the whole
// curve of a run that was resumed, which the events of its last part alone would not give.
std::vector<std::pair<int64_t, double>> lossCurveOf(const std::string& runFolder) {
  std::vector<std::pair<int64_t, double>> curve;
  std::ifstream in;
  try {
    in = openRegularFile(metricsPath(runFolder), "metrics log");
  } catch (const Error&) {
    return curve;  // no log (yet): no curve
  }
  std::string line;
  while (std::getline(in, line)) {
    const json entry = parseJsonOrDiscarded(line);
    if (!entry.is_object() || !entry.contains("step") || !entry.contains("mlm_loss")) continue;
    if (!entry["step"].is_number_integer() || !entry["mlm_loss"].is_number()) continue;
    curve.emplace_back(jsonInteger<int64_t>(entry["step"]), entry["mlm_loss"].get<double>());
  }
  return curve;
}

PrecisionChoice precisionFor(const std::string& recipePrecision, const CellRunContext& context) {
  const std::string name = context.precision.empty() ? recipePrecision : context.precision;
  return resolvePrecision(precisionRequestFromName(name), context.device);
}

// The demo task's data, its CLI task name and its files.
struct TaskData {
  std::string cliTask;  // classify | pair | tag | qa
  TaskDataset train, dev;
  std::vector<std::string> labels;
};

template <typename T>
void keepFirst(std::vector<T>& items, int64_t count) {
  if (count > 0 && static_cast<int64_t>(items.size()) > count) items.resize(count);
}

TaskData readTask(const std::string& task, int64_t trainExamples, const DemoWorldFiles& world) {
  TaskData data;
  if (task == "sentiment" || task == "entailment") {
    data.cliTask = task == "sentiment" ? "classify" : "pair";
    TextReadOptions read;
    if (task == "entailment") read.columnB = ColumnChoice::at(1);
    TextDataset train =
        readTextDataset(task == "sentiment" ? world.sentimentTrain : world.entailmentTrain, read);
    read.labelSet = train.labels;
    TextDataset dev =
        readTextDataset(task == "sentiment" ? world.sentimentDev : world.entailmentDev, read);
    keepFirst(train.examples, trainExamples);
    data.labels = train.labels;
    data.train = std::move(train);
    data.dev = std::move(dev);
  } else if (task == "ner") {
    data.cliTask = "tag";
    TaggedDataset train = readTaggedDataset(world.nerTrain);
    TaggedReadOptions read;
    read.labelSet = train.labels;
    TaggedDataset dev = readTaggedDataset(world.nerDev, read);
    keepFirst(train.sentences, trainExamples);
    data.labels = train.labels;
    data.train = std::move(train);
    data.dev = std::move(dev);
  } else if (task == "qa") {
    data.cliTask = "qa";
    QaDataset train = readQaDataset(world.qaTrain);
    keepFirst(train.examples, trainExamples);
    data.train = std::move(train);
    data.dev = readQaDataset(world.qaDev);
  } else {
    throw Error("'" + task + "' is not a demo task");
  }
  return data;
}

// The model's layer combination for a recipe's "features" name; nullopt for "none" (every
// weight fine-tuned).
std::optional<FeatureCombination> featureCombinationNamed(const std::string& name) {
  if (name == "last") return FeatureCombination::Last;
  if (name == "embeddings") return FeatureCombination::Embeddings;
  if (name == "second-to-last") return FeatureCombination::SecondToLast;
  if (name == "sum-last-four") return FeatureCombination::SumLastFour;
  if (name == "concat-last-four") return FeatureCombination::ConcatLastFour;
  if (name == "weighted-sum-all") return FeatureCombination::WeightedSumAll;
  return std::nullopt;
}

}  // namespace

CellResult failedCell(const ExperimentCell& cell, const std::string& why) {
  CellResult result;
  result.key = cell.key;
  result.finished = false;
  result.message = why;
  result.settings = cell.settings;
  return result;
}

CellResult runPretrainingCell(const ExperimentCell& cell, const CellRunContext& context) {
  const json& settings = cell.settings;
  const auto start = std::chrono::steady_clock::now();
  const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(context.data.tokenizerFolder);
  BertConfig config = experimentModelConfig(settings["model"], tokenizer->vocabSize(),
                                            tokenizer->specialTokenIds().pad);
  const bool leftToRight = settings.value("objective", "mlm") == "ltr";
  // Saved in its config.json, so fine-tuning keeps the causal mask (paper §5.1).
  config.is_decoder = leftToRight;
  const json& overrides = settings["recipe"];
  PretrainingRecipe recipe =
      demoPretrainingRecipe(config, jsonIntegerOr<int64_t>(overrides, "steps", 1000));
  recipe.saveEvery = 0;  // the final model is the result; checkpoints only when asked for
  recipe.probeEvery = 0;
  recipe = pretrainingRecipeFromJson(overrides, recipe);
  // A cell that saves checkpoints and was stopped goes on from its newest one.
  std::string resumeFrom;
  if (recipe.saveEvery > 0) {
    const auto checkpoints = listTrainingCheckpoints(cellRunFolder(context, cell).string());
    if (!checkpoints.empty()) resumeFrom = checkpoints.back().folder;
  }

  BertForPreTraining model(config);
  initializeBertWeights(*model, config.initializer_range, recipe.seed);
  const TokenizedCorpus corpus =
      readCorpus({context.data.world.corpus}, *tokenizer, {}, nullptr, context.cancel);
  const std::unique_ptr<CorpusView> view = viewOf(corpus);
  PretrainingDataOptions dataOptions = pretrainingDataOptions(recipe);
  dataOptions.singleSegments = settings.value("segments", "pairs") == "single";
  const PretrainingSampler sampler(*view, samplerVocabulary(*tokenizer), dataOptions);
  CorpusInstanceStream stream(sampler, recipe.seed);
  PretrainingObjectiveOptions objectiveOptions = pretrainingObjectiveOptions(recipe);
  objectiveOptions.dataSettings = pretrainingDataSettings(dataOptions);
  objectiveOptions.leftToRight = leftToRight;
  PretrainingObjective objective(std::move(model), *tokenizer, stream, objectiveOptions);
  const std::string runFolder =
      resumeFrom.empty() ? freshRunFolder(context, cell) : cellRunFolder(context, cell).string();
  TrainingRunOptions run =
      pretrainingRunOptions(recipe, runFolder, precisionFor(recipe.precision, context));
  run.checkpoints = recipe.saveEvery > 0;
  TrainingEngine engine(objective, tokenizer.get(), run, context.device);
  if (!resumeFrom.empty()) engine.resumeFrom(resumeFrom);
  CurveRecorder recorder(context.events, /*pretraining=*/true);
  const RunOutcome outcome = engine.run(&recorder, context.cancel, context.pause);
  if (outcome.end == RunEnd::Cancelled) throw Cancelled();
  if (outcome.end == RunEnd::Failed) return failedCell(cell, outcome.message);

  CellResult result = finishedCell(cell, start, runFolder, recorder);
  if (!resumeFrom.empty()) result.lossCurve = lossCurveOf(runFolder);
  if (!result.lossCurve.empty()) result.finalLoss = result.lossCurve.back().second;
  return result;
}

CellResult runFinetuningCell(const ExperimentCell& cell, const CellResult* pretraining,
                             const CellRunContext& context) {
  const json& settings = cell.settings;
  const std::string features = settings.value("features", "none");
  const std::optional<FeatureCombination> combination = featureCombinationNamed(features);
  const std::string taskName = settings["task"].get<std::string>();
  const bool biLstm = settings.value("featureHead", "linear") == "bilstm";
  if (combination && (*combination != FeatureCombination::Last || biLstm) && taskName != "ner")
    return failedCell(cell, "the feature layers '" + features + "'" +
                                (biLstm ? " with a BiLSTM" : "") +
                                " feed a tagger (NER, as the paper's Table 7); for " + taskName +
                                " use 'last' or 'none' with a linear head");
  const bool pretrained = settings.value("init", "random") == "pretrained";
  if (pretrained && (!pretraining || !pretraining->finished))
    return failedCell(cell, "its pre-training cell " + cell.pretrainingKey + " did not finish");
  const auto start = std::chrono::steady_clock::now();
  const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(context.data.tokenizerFolder);
  TaskData data =
      readTask(taskName, jsonIntegerOr<int64_t>(settings, "trainExamples", 0), context.data.world);
  const std::string runFolder = freshRunFolder(context, cell);

  // The starting weights: the pre-training cell's final model, or fresh random ones.
  std::string startFolder;
  BertConfig config;
  if (pretrained) {
    startFolder = pretraining->runFolder;
    if (settings.contains("fromStep")) {
      // A point along the pre-training (Figure 5): its checkpoint at that step, or its final
      // model when the step is its last.
      const int64_t step = jsonInteger<int64_t>(settings["fromStep"]);
      const int64_t last = jsonIntegerOr<int64_t>(pretraining->settings["recipe"], "steps", 1000);
      std::string checkpoint;
      for (const TrainingCheckpoint& c : listTrainingCheckpoints(pretraining->runFolder))
        if (c.step == step) checkpoint = c.folder;
      if (checkpoint.empty() && step != last)
        return failedCell(cell, "the pre-training in '" + pretraining->runFolder +
                                    "' kept no checkpoint at step " + std::to_string(step));
      if (!checkpoint.empty()) startFolder = checkpoint;
    }
    config = loadConfigFile((fs::path(startFolder) / "config.json").string());
  } else {
    config = experimentModelConfig(settings["model"], tokenizer->vocabSize(),
                                   tokenizer->specialTokenIds().pad);
    BertForPreTraining model(config);
    initializeBertWeights(*model, config.initializer_range, cell.seed);
    startFolder = (fs::path(runFolder).parent_path() / "random-init").string();
    saveCheckpoint(startFolder, config, *model, "BertForPreTraining", std::nullopt,
                   tokenizer.get());
  }
  const FinetuneTask task = *finetuneTaskFromName(data.cliTask);
  FinetuningRecipe recipe = desktopFinetuningRecipe(task, config);
  recipe = finetuningRecipeFromJson(settings["recipe"], recipe);
  recipe.frozenEncoder = combination.has_value();  // feature-based: only the head trains

  TaskLoadResult loaded = loadForTask(startFolder, taskKindOf(task), 0, data.labels, cell.seed);
  if (combination && (*combination != FeatureCombination::Last || biLstm))
    loaded.model.tokenClassifier->useFeatures(*combination, cell.seed,
                                              biLstm ? FeatureHead::BiLstm : FeatureHead::Linear);
  TaskAdapterOptions adapterOptions;
  adapterOptions.maxSeqLength = recipe.maxSeqLength;
  adapterOptions.docStride = std::max(16, recipe.maxSeqLength / 2);
  auto adapter = makeTaskAdapter(data.cliTask, std::move(loaded.model), *tokenizer, data.train,
                                 data.dev, adapterOptions);
  FinetuningObjective objective(*adapter, finetuningObjectiveOptions(recipe));
  TrainingRunOptions run = finetuningRunOptions(
      recipe, runFolder, precisionFor(recipe.precision, context), objective.totalSteps());
  run.writeModels = false;  // the scores are the result; the pre-trained model is kept
  TrainingEngine engine(objective, tokenizer.get(), run, context.device);
  CurveRecorder recorder(context.events, /*pretraining=*/false);
  const RunOutcome outcome = engine.run(&recorder, context.cancel, context.pause);
  if (!pretrained) {
    std::error_code ec;
    fs::remove_all(startFolder, ec);  // random weights are cheap to make again
  }
  if (outcome.end == RunEnd::Cancelled) throw Cancelled();
  if (outcome.end == RunEnd::Failed) return failedCell(cell, outcome.message);

  CellResult result = finishedCell(cell, start, runFolder, recorder);
  if (outcome.evaluation.best) result.best = outcome.evaluation.best->main();
  if (outcome.evaluation.last) result.last = outcome.evaluation.last->main();
  return result;
}

}  // namespace bertwb
