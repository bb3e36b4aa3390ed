// `finetune`: trains a task head (and, unless frozen, the encoder) from a checkpoint on a
// task's training file, evaluating on its dev file, with a progress line, a metrics line per
// evaluation, the best model in OUT/best and a summary. `evaluate`: scores a checkpoint on
// one task file and prints the metrics as one JSON object on the last line of stdout.
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "console_progress.h"
#include "io/task_model_io.h"
#include "runtime/device.h"
#include "task_data_source.h"
#include "tasks/task_adapters.h"
#include "text/tokenizer.h"
#include "train/finetuner.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb::cli {
namespace {

namespace fs = std::filesystem;

// 0.1: run_classifier.py's warmup_proportion.
constexpr double kFinetuneDefaultWarmup = 0.1;
constexpr double kFinetuneDefaultLearningRate = 3e-5;
constexpr int kFinetuneDefaultBatchSize = 32;
constexpr int kFinetuneDefaultEpochs = 3;
constexpr int kEvaluateDefaultBatchSize = 64;

struct FinetuneCommandOptions {
  std::string task, train, dev, test, checkpoint, out, device = "auto", tagAggregation = "first";
  int epochs = kFinetuneDefaultEpochs;
  double lr = kFinetuneDefaultLearningRate;
  int batchSize = kFinetuneDefaultBatchSize;
  int maxSeqLength = 0;  // 0: the task's default
  double warmup = kFinetuneDefaultWarmup;
  int64_t evalEvery = 0;
  bool frozenEncoder = false;
  TaskColumns columns;
  TaskAdapterOptions adapter;
  uint64_t seed = 12345;
  int threads = 0;
  std::string predictions;  // evaluate: per-example predictions (.jsonl)
};

CancelFlag* gFinetuneCancel = nullptr;
void onFinetuneInterrupt(int) {
  if (gFinetuneCancel) gFinetuneCancel->request();  // an atomic store: safe in a signal handler
}

std::string finetuneNumber(double value, int precision) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(precision) << value;
  return s.str();
}

std::string scientific(double value) {
  std::ostringstream s;
  s << std::scientific << std::setprecision(2) << value;
  return s.str();
}

// A metric as its family prints it: counts ("total", "HasAns_total") as whole numbers.
std::string metricValue(const std::string& name, double value) {
  const bool count = name.size() >= 5 && name.compare(name.size() - 5, 5, "total") == 0;
  return count ? std::to_string(static_cast<int64_t>(value)) : finetuneNumber(value, 4);
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
class FinetuneConsoleEvents final : public FinetuneEvents {
 public:
  FinetuneConsoleEvents() : terminal_(::isatty(STDERR_FILENO)), progress_(consoleProgress()) {}
  void onStep(const StepMetrics& m) override {
    progress_({static_cast<double>(m.step) / static_cast<double>(m.totalSteps),
               "step " + std::to_string(m.step) + "/" + std::to_string(m.totalSteps) + "  loss " +
                   finetuneNumber(m.loss, 4) + "  lr " + scientific(m.learningRate) + "  " +
                   formatCount(static_cast<int64_t>(m.tokensPerSecond)) + " tok/s  ETA " +
                   formatSeconds(m.etaSeconds)});
  }
  void onEvaluation(const EvaluationEvent& e) override {
    if (terminal_) std::cerr << "\r\033[K" << std::flush;
    std::cout << "eval step " << e.step << " (epoch " << finetuneNumber(e.epoch, 2) << "): " << metricsLine(e.scores)
              << (e.best ? "  *best*" : "") << std::endl;
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
TaskLoadResult loadTaskModel(FinetuneTask task, const std::string& checkpoint, const std::vector<std::string>& labels,
                             uint64_t seed) {
  const int outputs = task == FinetuneTask::Regress ? 1 : 0;
  return loadForTask(checkpoint, taskKindOf(task), outputs, labels, seed);
}

void writePredictions(const std::string& path, const std::vector<ExamplePrediction>& predictions) {
  std::string text;
  for (const ExamplePrediction& p : predictions)
    text += nlohmann::json{{"source", p.source}, {"predicted", p.predicted}, {"gold", p.gold}}.dump() + "\n";
  writeFileAtomically(path, text);
}

TaskMetrics evaluateAdapter(TaskAdapter& adapter, const torch::Device& device, int batchSize) {
  adapter.model().to(device);
  adapter.model().eval();
  torch::NoGradGuard noGrad;
  return adapter.evaluate(device, batchSize);
}

void runFinetune(FinetuneCommandOptions o) {
  const FinetuneTask task = parseFinetuneTask(o.task);
  o.adapter.tagAggregation = tagAggregationFromName(o.tagAggregation);
  o.adapter.maxSeqLength = o.maxSeqLength;
  configureThreads(o.threads);
  const torch::Device device = selectDevice(o.device);

  const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(o.checkpoint);
  const TaskDataset train = readTaskDataset(task, o.train, o.columns);
  const std::vector<std::string> labels = datasetLabels(train);
  const TaskDataset dev = readTaskDataset(task, o.dev, o.columns, labels);
  TaskLoadResult loaded = loadTaskModel(task, o.checkpoint, labels, o.seed);
  std::cerr << loaded.summary() << "\n";
  const std::unique_ptr<TaskAdapter> adapter =
      makeTaskAdapter(o.task, std::move(loaded.model), *tokenizer, train, dev, o.adapter);

  FinetuneOptions run;
  run.outputFolder = o.out;
  run.epochs = o.epochs;
  run.batchSize = o.batchSize;
  run.learningRate = o.lr;
  run.warmupFraction = o.warmup;
  run.seed = o.seed;
  run.evalEvery = o.evalEvery;
  run.frozenEncoder = o.frozenEncoder;
  FineTuner tuner(*adapter, *tokenizer, run, device);
  std::cerr << "fine-tuning " << adapter->architecture() << " from " << o.checkpoint << " on "
            << describeDevice(device) << ": " << datasetSize(train) << " training and "
            << datasetSize(dev) << " dev examples (" << adapter->trainingFeatures() << " features), "
            << tuner.totalSteps() << " steps of " << run.batchSize << ", lr " << run.learningRate
            << (run.frozenEncoder ? ", encoder frozen" : "") << "\n";

  CancelFlag cancel;
  gFinetuneCancel = &cancel;
  std::signal(SIGINT, onFinetuneInterrupt);
  std::signal(SIGTERM, onFinetuneInterrupt);
  FinetuneConsoleEvents events;
  const FinetuneOutcome outcome = tuner.run(&events, &cancel);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  gFinetuneCancel = nullptr;
  if (outcome.run.end == RunEnd::Failed) throw Error(outcome.run.message);

  const std::string bestFolder = (fs::path(o.out) / "best").string();
  std::cout << (outcome.run.end == RunEnd::Cancelled ? "stopped" : "finished") << " at step " << outcome.run.step
            << "/" << tuner.totalSteps() << "; best " << outcome.best.mainMetric << " "
            << finetuneNumber(outcome.best.main(), 4) << " at step " << outcome.bestStep << "\n";
  if (outcome.bestStep > 0 || fs::exists(bestFolder)) std::cout << "best model: " << bestFolder << "\n";
  if (outcome.run.end == RunEnd::Finished) std::cout << "final model: " << o.out << "\n";
  std::cout << "metrics: " << (fs::path(o.out) / "metrics.jsonl").string() << "\n";

  if (!o.test.empty() && outcome.run.end == RunEnd::Finished) {
    // The best model on the test file (which must be labelled to be scored).
    const TaskDataset test = readTaskDataset(task, o.test, o.columns, labels);
    TaskLoadResult best = loadTaskModel(task, bestFolder, labels, o.seed);
    auto testAdapter =
        makeTaskAdapter(o.task, std::move(best.model), *tokenizer, withoutExamples(test), test, o.adapter);
    const TaskMetrics scores = evaluateAdapter(*testAdapter, device, run.evalBatchSize);
    writeFileAtomically((fs::path(o.out) / "test_results.json").string(), scores.toJson().dump(2) + "\n");
    writePredictions((fs::path(o.out) / "test_predictions.jsonl").string(), testAdapter->predictions());
    std::cout << "test: " << metricsLine(scores) << "\n";
  }
}

void runEvaluate(FinetuneCommandOptions o) {
  const FinetuneTask task = parseFinetuneTask(o.task);
  o.adapter.tagAggregation = tagAggregationFromName(o.tagAggregation);
  o.adapter.maxSeqLength = o.maxSeqLength;
  configureThreads(o.threads);
  const torch::Device device = selectDevice(o.device);
  const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(o.checkpoint);
  TaskLoadResult loaded = loadTaskModel(task, o.checkpoint, {}, o.seed);
  if (!loaded.freshKeys.empty()) std::cerr << "warning: " << loaded.summary() << "\n";
  // The classes are the model's: a label the model never learned is an error in the file.
  const TaskDataset data = readTaskDataset(task, o.train, o.columns, loaded.model.labels);
  auto adapter = makeTaskAdapter(o.task, std::move(loaded.model), *tokenizer, withoutExamples(data), data, o.adapter);
  const TaskMetrics scores = evaluateAdapter(*adapter, device, o.batchSize);
  if (!o.predictions.empty()) writePredictions(o.predictions, adapter->predictions());
  std::cout << scores.toJson().dump() << std::endl;
}

void addSharedTaskOptions(CLI::App* c, FinetuneCommandOptions& o) {
  c->add_option("--task", o.task, "classify | pair | regress | tag | qa | choice")->required();
  c->add_option("--checkpoint", o.checkpoint, "checkpoint folder (pre-trained or fine-tuned, with its tokenizer)")
      ->required();
  addTaskColumnOptions(c, o.columns);
  c->add_option("--max-seq-length", o.maxSeqLength, "longest sequence, in tokens (default 128; qa 384)")
      ->check(CLI::Range(8, 100000));
  c->add_option("--doc-stride", o.adapter.docStride, "qa: pieces between the starts of context windows")
      ->capture_default_str();
  c->add_option("--max-query-length", o.adapter.maxQueryLength, "qa: question pieces kept")->capture_default_str();
  c->add_option("--n-best", o.adapter.nBestSize, "qa: start and end candidates per window")->capture_default_str();
  c->add_option("--max-answer-length", o.adapter.maxAnswerLength, "qa: longest answer, in pieces")
      ->capture_default_str();
  c->add_option("--null-threshold", o.adapter.nullScoreDiffThreshold,
                "qa (SQuAD v2): predict no answer when null score - best span > this")
      ->capture_default_str();
  c->add_option("--tag-aggregation", o.tagAggregation, "tag: a word's tag from its first piece, the average or the max")
      ->capture_default_str();
  c->add_option("--device", o.device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  c->add_option("--threads", o.threads, "CPU threads (0: one per core)")->capture_default_str();
  c->add_option("--seed", o.seed, "seed for the new head's weights, the data order and dropout")
      ->capture_default_str();
}

}  // namespace

void addFinetuneCommands(CLI::App& app) {
  auto f = std::make_shared<FinetuneCommandOptions>();
  CLI::App* c = app.add_subcommand("finetune", "Fine-tune a checkpoint on a classification, tagging or QA task");
  addSharedTaskOptions(c, *f);
  c->add_option("--train", f->train, "training file (TSV/CSV, CoNLL or SQuAD JSON)")->required();
  c->add_option("--dev", f->dev, "dev file, scored at every evaluation")->required();
  c->add_option("--test", f->test, "labelled test file, scored with the best model at the end");
  c->add_option("--out", f->out, "run folder: metrics.jsonl, best/, the final model")->required();
  c->add_option("--epochs", f->epochs, "passes over the training set")->capture_default_str()->check(CLI::PositiveNumber);
  c->add_option("--lr", f->lr, "peak learning rate")->capture_default_str();
  c->add_option("--batch-size", f->batchSize, "sequences per step")->capture_default_str()->check(CLI::PositiveNumber);
  c->add_option("--warmup", f->warmup, "share of the steps spent warming up")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  c->add_option("--eval-every", f->evalEvery, "steps between evaluations (0: at each epoch's end)")->capture_default_str();
  c->add_flag("--frozen-encoder", f->frozenEncoder, "train the head only (feature-based)");
  c->callback([f] { runFinetune(*f); });

  auto e = std::make_shared<FinetuneCommandOptions>();
  e->batchSize = kEvaluateDefaultBatchSize;
  CLI::App* v = app.add_subcommand("evaluate", "Score a fine-tuned checkpoint on a task file (JSON on the last line)");
  addSharedTaskOptions(v, *e);
  v->add_option("--data", e->train, "labelled task file")->required();
  v->add_option("--batch-size", e->batchSize, "sequences per forward pass")->capture_default_str()->check(CLI::PositiveNumber);
  v->add_option("--predictions", e->predictions, "write each example's prediction here (.jsonl)");
  v->callback([e] { runEvaluate(*e); });
}

}  // namespace bertwb::cli
