// `experiment list | show NAME | run (NAME | --recipe FILE) --out DIR | report DIR`: the
// paper's claims as controlled experiments (core/base/experiments, core/engine/experiments).
#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "console_format.h"
#include "experiments/builtin_experiments.h"
#include "experiments/experiment_estimate.h"
#include "experiments/experiment_runner.h"
#include "io/manifests.h"
#include "option_checks.h"
#include "run_interruption.h"
#include "runtime/device.h"
#include "util/error.h"
#include "util/format.h"

namespace bertwb::cli {
namespace {

namespace fs = std::filesystem;

struct ExperimentOptions {
  std::string name;    // a built-in recipe
  std::string recipe;  // or a recipe file
  std::string out;
  int seeds = 0;  // 0: the recipe's
  std::string device = "auto";
  std::string precision;
  int threads = 0;
};

// One line per cell as it starts and ends; the training steps on one rewritten line.
class ConsoleExperimentEvents final : public ExperimentEvents {
 public:
  ConsoleExperimentEvents(const ExperimentRecipe& recipe, bool terminal)
      : recipe_(recipe), terminal_(terminal) {}
  void onPlanned(const std::vector<ExperimentCell>& cells, int done) override {
    std::cerr << cells.size() << " cells, " << done << " finished already\n";
  }
  void onCellStarted(const ExperimentCell& cell, int index, int total) override {
    std::cerr << "[" << index + 1 << "/" << total << "] " << describeCell(recipe_, cell) << "\n";
  }
  void onCellStep(const ExperimentCell&, const StepMetrics& m) override {
    if (!terminal_) return;
    std::cerr << "\r\033[K  " << progressBar(m.totalSteps ? double(m.step) / m.totalSteps : 0, 20)
              << " step " << m.step << "/" << m.totalSteps << "  loss " << fixedPoint(m.loss, 4)
              << std::flush;
  }
  void onCellFinished(const ExperimentCell& cell, const CellResult& result, bool cached) override {
    if (cached) return;
    if (terminal_) std::cerr << "\r\033[K";
    std::cerr << "  " << (result.finished ? "done" : "FAILED") << " in "
              << formatSeconds(result.seconds);
    if (result.best)
      std::cerr << ": " << recipe_.tasks.at(cell.task.value_or(0)).metric << " "
                << fixedPoint(
                       metricPoints(recipe_.tasks.at(cell.task.value_or(0)).task, *result.best), 1);
    else if (result.finalLoss)
      std::cerr << ": masked-LM loss " << fixedPoint(*result.finalLoss, 3);
    if (!result.finished) std::cerr << ": " << result.message;
    std::cerr << "\n";
  }

 private:
  const ExperimentRecipe& recipe_;
  bool terminal_;
};

std::string counted(size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// "about 14 min": the estimate (experiment_estimate.h) of every cell of `recipe`.
std::string estimatedTime(const ExperimentRecipe& recipe) {
  double seconds = 0;
  for (const ExperimentCell& cell : planExperimentCells(recipe))
    seconds += estimateCellSeconds(recipe, cell);
  const long minutes = std::lround(seconds / 60);
  return minutes < 2 ? "about " + std::to_string(std::lround(seconds)) + " s"
                     : "about " + std::to_string(minutes) + " min";
}

void listExperiments() {
  for (const ExperimentRecipe& recipe : builtinExperiments()) {
    std::cout << recipe.name << "  " << recipe.title << "  ("
              << counted(recipe.variants.size(), "variant") << " × "
              << counted(recipe.tasks.size(), "task") << " × "
              << counted(static_cast<size_t>(recipe.seeds), "seed") << ": "
              << counted(planExperimentCells(recipe).size(), "cell") << ", "
              << estimatedTime(recipe) << " on 2 CPU cores)\n";
  }
}

void showExperiment(const std::string& name) {
  const ExperimentRecipe recipe = builtinExperiment(name);
  std::cout << experimentRecipeToJson(recipe).dump(2) << "\n";
}

void runExperimentCommand(ExperimentOptions o) {
  if (o.name.empty() == o.recipe.empty())
    throw Error("which experiment? name a built-in one (see `experiment list`) or give --recipe");
  ExperimentRecipe recipe =
      o.recipe.empty() ? builtinExperiment(o.name) : readExperimentRecipe(o.recipe);
  if (o.seeds > 0) recipe.seeds = o.seeds;
  const int threads = configureThreads(o.threads);
  ExperimentRunOptions options;
  options.folder = o.out;
  options.device = selectDevice(o.device);
  options.precision = o.precision;
  std::cerr << "experiment " << recipe.name << " (" << recipe.title << ") in " << o.out << " on "
            << describeDevice(options.device) << ", " << threads << " threads\n";
  CancelFlag cancel;
  ConsoleExperimentEvents events(recipe, ::isatty(STDERR_FILENO));
  ExperimentOutcome outcome;
  {
    const InterruptScope interrupts(cancel);
    outcome = runExperiment(recipe, options, &events, &cancel);
  }
  std::cout << formatResultsTable(outcome.results);
  std::cout << "report: " << (fs::path(o.out) / "report.md").string() << "\n";
  if (outcome.cancelled) throw RunInterrupted("stopped");
  if (outcome.failed > 0)
    throw Error(std::to_string(outcome.failed) + " of " + std::to_string(outcome.total) +
                " cells failed (their reasons are above and in " +
                (fs::path(o.out) / "results.csv").string() + ")");
}

void reportExperiment(const std::string& folder) {
  const std::string manifest = (fs::path(folder) / kExperimentManifest).string();
  if (!fs::exists(manifest))
    throw Error("'" + folder + "' is not an experiment folder (it has no " +
                std::string(kExperimentManifest) + ")");
  const ExperimentRecipe recipe = readExperimentRecipe(manifest);
  const ExperimentResults results = summarizeExperiment(recipe, folder);
  writeExperimentReport(recipe, folder, results);
  std::cout << formatResultsTable(results);
  std::cout << results.cellsDone << " of " << results.cellsTotal
            << " cells finished; report: " << (fs::path(folder) / "report.md").string() << "\n";
}

}  // namespace

void addExperimentCommand(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "experiment", "The paper's claims as controlled experiments: list, show, run, report");
  command->require_subcommand(1);
  command->add_subcommand("list", "List the built-in experiments")->callback(listExperiments);

  auto shown = std::make_shared<std::string>();
  CLI::App* show = command->add_subcommand("show", "Print a built-in experiment's recipe (JSON)");
  show->add_option("name", *shown, "the experiment's name")->required();
  show->callback([shown] { showExperiment(*shown); });

  auto o = std::make_shared<ExperimentOptions>();
  CLI::App* run = command->add_subcommand(
      "run", "Run an experiment's cells (finished ones are kept and not run again)");
  run->add_option("name", o->name, "a built-in experiment");
  run->add_option("--recipe", o->recipe, "an experiment recipe file instead (JSON)");
  run->add_option("--out", o->out, "the experiment's folder (continued if it exists)")->required();
  run->add_option("--seeds", o->seeds, "seeds per variant (default: the recipe's)")
      ->check(CLI::Range(1, 20));
  run->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  run->add_option("--precision", o->precision,
                  "auto, fp32, bf16 or fp16 (default: each recipe's own, auto)");
  run->add_option("--threads", o->threads, "CPU threads (0: one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMostThreads));
  run->callback([o] { runExperimentCommand(*o); });

  auto reported = std::make_shared<std::string>();
  CLI::App* report = command->add_subcommand(
      "report", "Summarise an experiment folder: the table, the verdicts, report.md");
  report->add_option("folder", *reported, "the experiment's folder")->required();
  report->callback([reported] { reportExperiment(*reported); });
}

}  // namespace bertwb::cli
