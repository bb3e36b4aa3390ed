// `finetune`: trains a task head (and, unless frozen, the encoder) from a checkpoint on a
// task's training file, evaluating on its dev file, with a progress line, a metrics line per
// evaluation, the best model in OUT/best and a summary. `evaluate`: scores a checkpoint on
// one task file and prints the metrics as one JSON object on the last line of stdout.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "console_format.h"
#include "console_progress.h"
#include "finetune/prediction_file.h"
#include "finetune/task_adapters.h"
#include "io/checkpoint.h"
#include "io/manifests.h"
#include "io/output_folder.h"
#include "io/task_model_io.h"
#include "io/tokenizer_fit.h"
#include "option_checks.h"
#include "run_interruption.h"
#include "runtime/device.h"
#include "task_data_source.h"
#include "text/tokenizer.h"
#include "train/run_setup.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb::cli {
namespace {

namespace fs = std::filesystem;

struct FinetuneCommandOptions {
  std::string task, train, dev, test, checkpoint, out, device = "auto", tagAggregation = "first";
  // The settings as given; the task's paper recipe (run_recipes.h) fills in every flag the
  // user did not give (max_seq_length depends on the task).
  FinetuningRecipe given;
  TaskColumns columns;
  TaskAdapterOptions adapter;
  int threads = 0;
  bool force = false;       // replace an earlier output (finetune --out, evaluate --predictions)
  std::string predictions;  // evaluate: per-example predictions (.jsonl)
  CLI::App* command = nullptr;  // to ask which flags were given
  bool has(const char* flag) const {
    const CLI::Option* option = command->get_option_no_throw(flag);  // evaluate lacks some flags
    return option != nullptr && option->count() > 0;
  }
};

// The recipe for fine-tuning `startModel` on `task` (run_recipes.h: by the model's width),
// with every flag the user gave on top; `source` says where the defaults came from.
FinetuningRecipe finetuneRecipeFor(const FinetuneCommandOptions& o, FinetuneTask task,
                                   const BertConfig& startModel, std::string* source = nullptr) {
  FinetuningRecipe r = desktopFinetuningRecipe(task, startModel, source);
  const FinetuningRecipe& g = o.given;
  if (o.has("--epochs")) r.epochs = g.epochs;
  if (o.has("--lr")) r.learningRate = g.learningRate;
  if (o.has("--batch-size")) r.batchSize = g.batchSize;
  if (o.has("--accumulate")) r.accumulate = g.accumulate;
  if (o.has("--max-seq-length")) r.maxSeqLength = g.maxSeqLength;
  if (o.has("--warmup")) r.warmupFraction = g.warmupFraction;
  if (o.has("--weight-decay")) r.weightDecay = g.weightDecay;
  if (o.has("--clip-norm")) r.clipNorm = g.clipNorm;
  if (o.has("--eval-every")) r.evalEvery = g.evalEvery;
  if (o.has("--frozen-encoder")) r.frozenEncoder = true;
  if (o.has("--precision")) r.precision = g.precision;
  if (o.has("--seed")) r.seed = g.seed;
  if (o.has("--log-every")) r.logEvery = g.logEvery;
  return r;
}

// A metric as its family prints it: counts ("total", "HasAns_total") as whole numbers.
std::string metricValue(const std::string& name, double value) {
  const bool count = name.size() >= 5 && name.compare(name.size() - 5, 5, "total") == 0;
  return count ? std::to_string(static_cast<int64_t>(value)) : fixedPoint(value, 4);
}

// "accuracy 0.9125  macro_f1 0.9110 ..." with the main metric first.
std::string metricsLine(const TaskMetrics& scores) {
  std::string line = scores.mainMetric + " " + metricValue(scores.mainMetric, scores.main());
  for (const auto& [name, value] : scores.values)
    if (name != scores.mainMetric) line += "  " + name + " " + metricValue(name, value);
  return line;
}

TagAggregation tagAggregationFromName(const std::string& name) {
  if (name == "first") return TagAggregation::First;
  if (name == "average") return TagAggregation::Average;
  if (name == "max") return TagAggregation::Max;
  throw Error("unknown --tag-aggregation '" + name + "'; choose first, average or max");
}

// Progress on stderr (one updating line on a terminal), evaluations on stdout.
class FinetuneConsoleEvents final : public TrainingEvents {
 public:
  FinetuneConsoleEvents() : terminal_(::isatty(STDERR_FILENO)), progress_(consoleProgress()) {}
  void onStep(const StepMetrics& m) override {
    progress_({static_cast<double>(m.step) / static_cast<double>(m.totalSteps),
               "step " + std::to_string(m.step) + "/" + std::to_string(m.totalSteps) + "  loss " +
                   fixedPoint(m.loss, 4) + "  lr " + scientific(m.learningRate) + "  " +
                   formatCount(static_cast<int64_t>(m.tokensPerSecond)) + " tok/s  ETA " +
                   formatSeconds(m.etaSeconds)});
  }
  void onEvaluation(const EvaluationEvent& e) override {
    if (terminal_) std::cerr << "\r\033[K" << std::flush;
    std::cout << "eval step " << e.step << " (epoch " << fixedPoint(e.epoch, 2)
              << "): " << metricsLine(e.scores) << (e.best ? "  *best*" : "") << std::endl;
  }
  void onFinished(const RunOutcome&) override {
    if (terminal_) std::cerr << "\n";
  }

 private:
  bool terminal_;
  ProgressCallback progress_;
};

// The head model for `task` from `checkpoint`: with the training set's labels when fine-tuning,
// with the checkpoint's own when only evaluating.
TaskLoadResult loadTaskModel(FinetuneTask task, const std::string& checkpoint,
                             const std::vector<std::string>& labels, uint64_t seed) {
  const int outputs = task == FinetuneTask::Regress ? 1 : 0;
  return loadForTask(checkpoint, taskKindOf(task), outputs, labels, seed);
}

void runFinetune(FinetuneCommandOptions o) {
  const FinetuneTask task = parseFinetuneTask(o.task);
  const BertConfig startModel = inspectCheckpoint(o.checkpoint).config;
  std::string recipeSource;
  const FinetuningRecipe recipe = finetuneRecipeFor(o, task, startModel, &recipeSource);
  if (!o.has("--lr") || !o.has("--epochs")) std::cerr << "defaults " << recipeSource << "\n";
  o.adapter.tagAggregation = tagAggregationFromName(o.tagAggregation);
  o.adapter.maxSeqLength = recipe.maxSeqLength;
  configureThreads(o.threads);
  const torch::Device device = selectDevice(o.device);
  const PrecisionChoice precision =
      resolvePrecision(precisionRequestFromName(recipe.precision), device);
  // --out must be new, empty, or (with --force) an earlier fine-tuning run or a model to
  // replace; and no other run may use it meanwhile.
  claimOutputFolder(o.out, OutputKind::FinetuningRun, {false, o.force});
  const std::shared_ptr<FolderLock> lock =
      FolderLock::acquire(o.out, "bert-workbench-cli finetune");

  const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(o.checkpoint);
  // The model and its tokenizer must agree before hours of training, not at the final save.
  checkTokenizerFitsModel(*tokenizer, startModel, o.checkpoint);
  const TaskDataset train = readTaskDataset(task, o.train, o.columns);
  const std::vector<std::string> labels = datasetLabels(train);
  const TaskDataset dev = readTaskDataset(task, o.dev, o.columns, labels);
  TaskLoadResult loaded = loadTaskModel(task, o.checkpoint, labels, recipe.seed);
  std::cerr << loaded.summary() << "\n";
  const std::unique_ptr<TaskAdapter> adapter =
      makeTaskAdapter(o.task, std::move(loaded.model), *tokenizer, train, dev, o.adapter);

  FinetuningObjective objective(*adapter, finetuningObjectiveOptions(recipe));
  TrainingRunOptions runOptions =
      finetuningRunOptions(recipe, o.out, precision, objective.totalSteps());
  runOptions.folderLock = lock;
  TrainingEngine tuner(objective, tokenizer.get(), runOptions, device);
  std::cerr << "fine-tuning " << adapter->architecture() << " from " << o.checkpoint << " on "
            << describeDevice(device) << ", " << precision.reason << ": " << datasetSize(train)
            << " training and " << datasetSize(dev) << " dev examples ("
            << adapter->trainingFeatures() << " features), " << objective.totalSteps()
            << " steps of " << recipe.batchSize << ", lr " << recipe.learningRate
            << (recipe.frozenEncoder ? ", encoder frozen" : "") << "\n";

  {
    // What the run was started with, as the GUI's runs record it (the lock is held).
    nlohmann::json settings = recipeToJson(recipe);
    settings["task"] = finetuneTaskName(task);
    settings["trainFile"] = o.train;
    settings["devFile"] = o.dev;
    settings["startFolder"] = o.checkpoint;
    const nlohmann::json record = {{"kind", "finetuning"},
                                   {"settings", settings},
                                   {"device", device.str()},
                                   {"precision", precisionName(precision.precision)},
                                   {"labels", labels}};
    writeFileAtomically((fs::path(o.out) / kRunSettingsFile).string(), record.dump(2) + "\n");
  }
  CancelFlag cancel;
  FinetuneConsoleEvents events;
  RunOutcome outcome;
  {
    const InterruptScope interrupts(cancel);  // Ctrl-C, SIGTERM, SIGHUP: stop after this step
    outcome = tuner.run(&events, &cancel);
  }
  if (outcome.end == RunEnd::Failed) throw Error(outcome.message);

  const EvaluationRecord& evaluation = outcome.evaluation;
  const std::string bestFolder = (fs::path(o.out) / "best").string();
  std::cout << (outcome.end == RunEnd::Cancelled ? "stopped" : "finished") << " at step "
            << outcome.step << "/" << objective.totalSteps();
  if (evaluation.best) {
    std::cout << "; best " << evaluation.best->mainMetric << " "
              << fixedPoint(evaluation.best->main(), 4) << " at step " << evaluation.bestStep;
  }
  std::cout << "\n";
  if (!evaluation.bestFolder.empty()) std::cout << "best model: " << evaluation.bestFolder << "\n";
  if (outcome.end == RunEnd::Finished) std::cout << "final model: " << o.out << "\n";
  if (!evaluation.bestFolder.empty()) {
    // The best model's answers on the dev set, example by example (what its scores count).
    std::vector<ExamplePrediction> predictions;
    scoreSavedModel(bestFolder, task, *tokenizer, dev, labels, o.adapter, device, precision,
                    recipe.evalBatchSize, recipe.seed, &predictions);
    writePredictionsFile((fs::path(o.out) / kDevPredictionsFile).string(), predictions);
  }
  if (outcome.end == RunEnd::Cancelled) {
    std::cout << "metrics: " << (fs::path(o.out) / "metrics.jsonl").string() << "\n";
    throw RunInterrupted("stopped");  // not a finished model: `finetune && …` must not go on
  }
  std::cout << "metrics: " << (fs::path(o.out) / "metrics.jsonl").string() << "\n";

  if (!o.test.empty() && outcome.end == RunEnd::Finished) {
    // The best model on the test file (which must be labelled to be scored).
    const TaskDataset test = readTaskDataset(task, o.test, o.columns, labels);
    std::vector<ExamplePrediction> predictions;
    const TaskMetrics scores =
        scoreSavedModel(bestFolder, task, *tokenizer, test, labels, o.adapter, device, precision,
                        recipe.evalBatchSize, recipe.seed, &predictions);
    writeFileAtomically((fs::path(o.out) / "test_results.json").string(),
                        scores.toJson().dump(2) + "\n");
    writePredictionsFile((fs::path(o.out) / "test_predictions.jsonl").string(), predictions);
    std::cout << "test: " << metricsLine(scores) << "\n";
  }
}

void runEvaluate(FinetuneCommandOptions o) {
  if (!o.predictions.empty())
    claimOutputFile(o.predictions, o.force, "--predictions");  // before any work
  const FinetuneTask task = parseFinetuneTask(o.task);
  const BertConfig model = inspectCheckpoint(o.checkpoint).config;  // read once, used twice
  const FinetuningRecipe recipe = finetuneRecipeFor(o, task, model);
  o.adapter.tagAggregation = tagAggregationFromName(o.tagAggregation);
  o.adapter.maxSeqLength = recipe.maxSeqLength;
  configureThreads(o.threads);
  const torch::Device device = selectDevice(o.device);
  const PrecisionChoice precision =
      resolvePrecision(precisionRequestFromName(recipe.precision), device);
  const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(o.checkpoint);
  checkTokenizerFitsModel(*tokenizer, model, o.checkpoint);
  TaskLoadResult loaded = loadTaskModel(task, o.checkpoint, {}, recipe.seed);
  if (!loaded.freshKeys.empty()) std::cerr << "warning: " << loaded.summary() << "\n";
  // The classes are the model's: a label the model never learned is an error in the file.
  const TaskDataset data = readTaskDataset(task, o.train, o.columns, loaded.model.labels);
  auto adapter = makeTaskAdapter(o.task, std::move(loaded.model), *tokenizer, withoutExamples(data),
                                 data, o.adapter);
  const TaskMetrics scores = evaluateAdapter(*adapter, device, precision, o.given.batchSize);
  if (!o.predictions.empty()) writePredictionsFile(o.predictions, adapter->predictions());
  std::cout << scores.toJson().dump() << std::endl;
}

void addSharedTaskOptions(CLI::App* c, FinetuneCommandOptions& o) {
  c->add_option("--task", o.task, "classify | pair | regress | tag | qa | choice")->required();
  c->add_option("--checkpoint", o.checkpoint,
                "checkpoint folder (pre-trained or fine-tuned, with its tokenizer)")
      ->required();
  addTaskColumnOptions(c, o.columns);
  c->add_option("--max-seq-length", o.given.maxSeqLength,
                "longest sequence, in tokens (default 128; qa 384)")
      ->check(CLI::Range(8, 100000));
  c->add_option("--doc-stride", o.adapter.docStride,
                "qa: pieces between the starts of context windows")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--max-query-length", o.adapter.maxQueryLength, "qa: question pieces kept")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--n-best", o.adapter.nBestSize, "qa: start and end candidates per window")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--max-answer-length", o.adapter.maxAnswerLength, "qa: longest answer, in pieces")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--null-threshold", o.adapter.nullScoreDiffThreshold,
                "qa (SQuAD v2): predict no answer when null score - best span > this")
      ->capture_default_str()
      ->check(finiteNumber());
  c->add_option("--tag-aggregation", o.tagAggregation,
                "tag: a word's tag from its first piece, the average or the max")
      ->capture_default_str();
  c->add_option("--device", o.device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  c->add_option("--threads", o.threads, "CPU threads (0: one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMostThreads));
  c->add_option("--seed", o.given.seed,
                "seed for the new head's weights, the data order and dropout")
      ->capture_default_str();
  c->add_option("--precision", o.given.precision,
                "auto (bf16 where the CPU or GPU has native bf16, else fp32), fp32, bf16, or fp16 "
                "(CUDA only)")
      ->capture_default_str();
  o.command = c;
}

}  // namespace

void addFinetuneCommands(CLI::App& app) {
  auto f = std::make_shared<FinetuneCommandOptions>();
  CLI::App* c = app.add_subcommand(
      "finetune", "Fine-tune a checkpoint on a classification, tagging or QA task");
  addSharedTaskOptions(c, *f);
  c->add_option("--train", f->train, "training file (TSV/CSV, CoNLL or SQuAD JSON)")->required();
  c->add_option("--dev", f->dev, "dev file, scored at every evaluation")->required();
  c->add_option("--test", f->test, "labelled test file, scored with the best model at the end");
  c->add_option("--out", f->out, "run folder: metrics.jsonl, best/, the final model")->required();
  FinetuningRecipe& g = f->given;  // the paper's recipe, shown by --help
  c->add_option("--epochs", g.epochs,
                "passes over the training set (default by the model's width: the paper's 3; 5 "
                "for H <= 256)")
      ->check(CLI::PositiveNumber);
  c->add_option("--lr", g.learningRate,
                "peak learning rate (default by the model's width: the paper's 3e-5, which it "
                "searched with 5e-5 and 2e-5; 1e-3 for H <= 256)")
      ->check(finitePositive());
  c->add_option("--batch-size", g.batchSize, "sequences per micro-batch")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--accumulate", g.accumulate, "micro-batches per optimizer step")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_option("--warmup", g.warmupFraction, "share of the steps spent warming up")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  c->add_option("--weight-decay", g.weightDecay, "AdamW weight decay (not on LayerNorm or biases)")
      ->capture_default_str()
      ->check(finiteNonNegative());
  c->add_option("--clip-norm", g.clipNorm, "global gradient-norm clipping (0: off)")
      ->capture_default_str()
      ->check(finiteNonNegative());
  c->add_option("--eval-every", g.evalEvery, "steps between evaluations (0: at each epoch's end)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  c->add_option("--log-every", g.logEvery, "a metrics line every N steps")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c->add_flag("--frozen-encoder", g.frozenEncoder, "train the head only (feature-based)");
  c->add_flag("--force", f->force, "replace an earlier fine-tuning run (or a model) in --out");
  c->callback([f] { runFinetune(*f); });

  auto e = std::make_shared<FinetuneCommandOptions>();
  e->given.batchSize = e->given.evalBatchSize;
  CLI::App* v = app.add_subcommand(
      "evaluate", "Score a fine-tuned checkpoint on a task file (JSON on the last line)");
  addSharedTaskOptions(v, *e);
  v->add_option("--data", e->train, "labelled task file")->required();
  v->add_option("--batch-size", e->given.batchSize, "sequences per forward pass")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  v->add_option("--predictions", e->predictions, "write each example's prediction here (.jsonl)");
  v->add_flag("--force", e->force, "replace an existing --predictions file");
  v->callback([e] { runEvaluate(*e); });
}

}  // namespace bertwb::cli
