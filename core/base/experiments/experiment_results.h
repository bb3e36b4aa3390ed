#pragma once
// What an experiment found: each finished cell's record (cells/KEY/result.json), the table of
// mean ± standard deviation over seeds per variant and task with the paper's number beside
// it, a verdict per claim that says only what the numbers support, and the report files
// (results.csv, report.md). Torch-free: the CLI's report command and the GUI read it.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/experiment_cells.h"
#include "experiments/experiment_recipe.h"

namespace bertwb {

inline constexpr const char* kCellResultFile = "result.json";

struct CellResult {
  std::string key;
  bool finished = false;  // false: the cell failed (message says why)
  std::string message;
  double seconds = 0;
  // Fine-tuning: the task's metric on dev, best over the run and at its end (in the metric's
  // own units: accuracy and NER F1 as fractions, QA F1 in points, as the engine reports).
  std::optional<double> best, last;
  // Pre-training: the masked-LM (or next-token) loss at the end and the loss curve.
  std::optional<double> finalLoss;
  std::vector<std::pair<int64_t, double>> lossCurve;  // (step, loss)
  std::string runFolder;                              // the cell's training run
  nlohmann::json settings;
};

nlohmann::json cellResultToJson(const CellResult& result);
CellResult cellResultFromJson(const nlohmann::json& json);
// The finished record of a cell in `experimentFolder`, or nullopt when it has not finished
// (no result.json, or an unreadable one).
std::optional<CellResult> readCellResult(const std::string& experimentFolder,
                                         const std::string& key);
// Writes cells/KEY/result.json atomically: the cell counts as done only once this exists.
void writeCellResult(const std::string& experimentFolder, const CellResult& result);
std::string cellFolder(const std::string& experimentFolder, const std::string& key);

// The majority-class baseline of a classification task from the experiment's demo data
// (data/tasks/TASK/train.tsv cut to the task's training size, scored on dev.tsv), in points;
// nullopt for tagging and QA, or when the files cannot be read.
std::optional<double> majorityClassPoints(const std::string& experimentFolder,
                                          const ExperimentTask& task);

// A metric in points for tables: accuracy and F1 fractions × 100, QA's F1 as it is.
double metricPoints(const std::string& task, double value);

struct ResultSummary {
  std::string variant, task, metric;
  int seeds = 0;    // finished fine-tuning cells
  double mean = 0;  // in points
  double sd = 0;    // sample standard deviation (0 with one seed)
  std::optional<double> paper;
};

struct ClaimVerdict {
  std::string text;  // "fine-tuned > random on sentiment: +12.3 ± 2.1 points, 3 seeds each — ..."
  enum class Outcome { Supported, Contradicted, Undecided, Missing } outcome = Outcome::Missing;
};

struct ExperimentResults {
  std::vector<ResultSummary> table;  // variant-major, in recipe order
  // Each pre-trained variant's pre-training: the perplexity of its final training loss
  // (exp of the masked-LM loss, or of the next-token loss for LTR; for a variant with a
  // fromStep, the loss logged at that step) over seeds, with the paper's
  // "perplexity" (Table 6) beside it. Task "pre-training", metric "mlm perplexity" or
  // "next-token perplexity"; lower is better.
  std::vector<ResultSummary> pretraining;
  // What a classifier that ignores its input scores: the training split's most frequent class
  // (of the few-shot cut) on dev, per classification task (variant "majority class"). Tagging
  // and QA have none: predicting nothing scores 0 F1 there.
  std::vector<ResultSummary> baselines;
  std::vector<ClaimVerdict> verdicts;
  int cellsDone = 0, cellsFailed = 0, cellsTotal = 0;
};

// Reads every cell of `recipe` from `experimentFolder` and summarises them.
ExperimentResults summarizeExperiment(const ExperimentRecipe& recipe,
                                      const std::string& experimentFolder);
// The verdict of one claim from two summaries (exposed for tests).
ClaimVerdict judgeClaim(const ExperimentClaim& claim, const ResultSummary& better,
                        const ResultSummary& worse);

// The table as the CLI prints it.
std::string formatResultsTable(const ExperimentResults& results);
// results.csv (one row per cell, with its settings' key fields), the figures
// (experiment_plots.h) and report.md (the recipe's description, the table, the verdicts, the
// figures), written atomically.
void writeExperimentReport(const ExperimentRecipe& recipe, const std::string& experimentFolder,
                           const ExperimentResults& results);

}  // namespace bertwb
