#include "experiments/experiment_results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "experiments/experiment_plots.h"
#include "tasks/glue_reader.h"
#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A difference counts as an effect when it is more than this many standard errors from zero
// (about a 95% interval); anything closer is reported as not distinguishable.
constexpr double kEffectStandardErrors = 2.0;

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string signedFixed(double value, int decimals) {
  return (value >= 0 ? "+" : "−") + fixed(std::fabs(value), decimals);
}

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

json cellResultToJson(const CellResult& r) {
  json out = {{"key", r.key},         {"finished", r.finished},   {"message", r.message},
              {"seconds", r.seconds}, {"runFolder", r.runFolder}, {"settings", r.settings}};
  if (r.best) out["best"] = *r.best;
  if (r.last) out["last"] = *r.last;
  if (r.finalLoss) out["finalLoss"] = *r.finalLoss;
  json curve = json::array();
  for (const auto& [step, loss] : r.lossCurve) curve.push_back({step, loss});
  out["lossCurve"] = curve;
  return out;
}

CellResult cellResultFromJson(const json& in) {
  CellResult r;
  r.key = jsonStringOr(in, "key");
  r.finished = jsonBoolOr(in, "finished", false);
  r.message = jsonStringOr(in, "message");
  r.seconds = in.value("seconds", 0.0);
  r.runFolder = jsonStringOr(in, "runFolder");
  r.settings = in.value("settings", json::object());
  if (in.contains("best") && in["best"].is_number()) r.best = in["best"].get<double>();
  if (in.contains("last") && in["last"].is_number()) r.last = in["last"].get<double>();
  if (in.contains("finalLoss") && in["finalLoss"].is_number())
    r.finalLoss = in["finalLoss"].get<double>();
  if (in.contains("lossCurve") && in["lossCurve"].is_array()) {
    for (const json& point : in["lossCurve"])
      if (point.is_array() && point.size() == 2 && point[0].is_number() && point[1].is_number())
        r.lossCurve.emplace_back(jsonInteger<int64_t>(point[0]), point[1].get<double>());
  }
  return r;
}

std::string cellFolder(const std::string& experimentFolder, const std::string& key) {
  return (fs::path(experimentFolder) / "cells" / key).string();
}

std::optional<CellResult> readCellResult(const std::string& experimentFolder,
                                         const std::string& key) {
  const fs::path path = fs::path(cellFolder(experimentFolder, key)) / kCellResultFile;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) > (64u << 20)) return std::nullopt;
  try {
    CellResult result =
        cellResultFromJson(parseJson(readRegularFile(path.string(), kSettingsFile)));
    if (result.key != key) return std::nullopt;  // copied from elsewhere: not this cell's
    return result;
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: the cell runs again
  }
}

void writeCellResult(const std::string& experimentFolder, const CellResult& result) {
  const fs::path folder = cellFolder(experimentFolder, result.key);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw Error("cannot create '" + folder.string() + "': " + ec.message());
  writeFileAtomically((folder / kCellResultFile).string(), cellResultToJson(result).dump(1));
}

double metricPoints(const std::string& task, double value) {
  return task == "qa" ? value : 100.0 * value;
}

ClaimVerdict judgeClaim(const ExperimentClaim& claim, const ResultSummary& better,
                        const ResultSummary& worse) {
  ClaimVerdict verdict;
  const std::string head = claim.better + " > " + claim.worse + " on " + better.task + ": ";
  if (better.seeds == 0 || worse.seeds == 0) {
    verdict.text = head + "not measured yet";
    return verdict;
  }
  const double difference = better.mean - worse.mean;
  const std::string seeds =
      better.seeds == worse.seeds
          ? std::to_string(better.seeds) + (better.seeds == 1 ? " seed" : " seeds") + " each"
          : std::to_string(better.seeds) + " and " + std::to_string(worse.seeds) + " seeds";
  if (better.seeds < 2 || worse.seeds < 2) {
    verdict.outcome = ClaimVerdict::Outcome::Undecided;
    verdict.text = head + signedFixed(difference, 1) + " " + better.metric + " points, " + seeds +
                   " — one seed gives no error estimate, so no verdict";
    return verdict;
  }
  const double standardError =
      std::sqrt(better.sd * better.sd / better.seeds + worse.sd * worse.sd / worse.seeds);
  const std::string measured = signedFixed(difference, 1) + " ± " + fixed(standardError, 1) + " " +
                               better.metric + " points, " + seeds;
  if (std::fabs(difference) <= kEffectStandardErrors * standardError) {
    verdict.outcome = ClaimVerdict::Outcome::Undecided;
    verdict.text = head + measured + " — not distinguishable from zero at this scale";
  } else if (difference > 0) {
    verdict.outcome = ClaimVerdict::Outcome::Supported;
    verdict.text = head + measured + " — same direction as the paper";
  } else {
    verdict.outcome = ClaimVerdict::Outcome::Contradicted;
    verdict.text = head + measured + " — the opposite of the paper's direction";
  }
  if (!claim.paper.empty()) verdict.text += " (paper: " + claim.paper + ")";
  return verdict;
}

namespace {

// Mean and sample standard deviation of `values` into `summary`.
void summarize(const std::vector<double>& values, ResultSummary& summary) {
  summary.seeds = static_cast<int>(values.size());
  if (values.empty()) return;
  double sum = 0;
  for (double v : values) sum += v;
  summary.mean = sum / values.size();
  double squares = 0;
  for (double v : values) squares += (v - summary.mean) * (v - summary.mean);
  summary.sd = values.size() > 1 ? std::sqrt(squares / (values.size() - 1)) : 0.0;
}

}  // namespace

std::optional<double> majorityClassPoints(const std::string& experimentFolder,
                                          const ExperimentTask& task) {
  if (task.task != "sentiment" && task.task != "entailment") return std::nullopt;
  const fs::path files = fs::path(experimentFolder) / "data" / "tasks" / task.task;
  try {
    TextReadOptions read;
    if (task.task == "entailment") read.columnB = ColumnChoice::at(1);
    TextDataset train = readTextDataset((files / "train.tsv").string(), read);
    if (task.trainExamples > 0 && static_cast<int64_t>(train.examples.size()) > task.trainExamples)
      train.examples.resize(static_cast<size_t>(task.trainExamples));
    std::map<std::string, int64_t> counts;
    for (const TextExample& example : train.examples) ++counts[example.label];
    if (counts.empty()) return std::nullopt;
    const std::string majority =
        std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
          return a.second < b.second;
        })->first;
    read.labelSet = train.labels;
    const TextDataset dev = readTextDataset((files / "dev.tsv").string(), read);
    if (dev.examples.empty()) return std::nullopt;
    int64_t hits = 0;
    for (const TextExample& example : dev.examples) hits += example.label == majority ? 1 : 0;
    return 100.0 * static_cast<double>(hits) / static_cast<double>(dev.examples.size());
  } catch (const std::exception&) {
    return std::nullopt;  // no data yet (the experiment has not started), or unreadable
  }
}

ExperimentResults summarizeExperiment(const ExperimentRecipe& recipe,
                                      const std::string& experimentFolder) {
  ExperimentResults results;
  for (const ExperimentTask& task : recipe.tasks) {
    if (const auto points = majorityClassPoints(experimentFolder, task)) {
      ResultSummary baseline;
      baseline.variant = "majority class";
      baseline.task = task.task;
      baseline.metric = task.metric;
      baseline.mean = *points;
      results.baselines.push_back(baseline);
    }
  }
  for (const ExperimentCell& cell : planExperimentCells(recipe)) {
    ++results.cellsTotal;
    if (const auto result = readCellResult(experimentFolder, cell.key))
      ++(result->finished ? results.cellsDone : results.cellsFailed);
  }
  std::map<std::string, std::pair<size_t, int>> sharedRows;  // → (row, variants sharing it)
  for (size_t v = 0; v < recipe.variants.size(); ++v) {
    for (size_t t = 0; t < recipe.tasks.size(); ++t) {
      const ExperimentTask& task = recipe.tasks[t];
      ResultSummary summary;
      summary.variant = recipe.variants[v].name;
      summary.task = task.task;
      summary.metric = task.metric;
      const auto paper = recipe.variants[v].paper.find(task.task);
      if (paper != recipe.variants[v].paper.end()) summary.paper = paper->second;
      std::vector<double> scores;
      for (int seed = 0; seed < recipe.seeds; ++seed) {
        const auto result =
            readCellResult(experimentFolder, finetuningCellOf(recipe, v, t, seed).key);
        if (result && result->finished && result->best)
          scores.push_back(metricPoints(task.task, *result->best));
      }
      summarize(scores, summary);
      results.table.push_back(summary);
    }
    const ExperimentVariant& variant = recipe.variants[v];
    if (variant.init != ExperimentInit::Pretrained) continue;
    // Variants that share a pre-training (and start from the same step of it) share one row,
    // named after the first: "fine-tuning +9 more".
    const std::string shared =
        pretrainingCellOf(recipe, v, 0).key + "@" + std::to_string(variant.fromStep);
    const auto same = sharedRows.find(shared);
    if (same != sharedRows.end()) {
      ++same->second.second;
      continue;
    }
    sharedRows[shared] = {results.pretraining.size(), 0};
    ResultSummary pretraining;
    pretraining.variant = variant.name;
    pretraining.task = "pre-training";
    pretraining.metric = variant.objective == PretrainingObjectiveKind::LeftToRight
                             ? "next-token perplexity"
                             : "mlm perplexity";
    const auto paper = variant.paper.find("perplexity");
    if (paper != variant.paper.end()) pretraining.paper = paper->second;
    std::vector<double> perplexities;
    for (int seed = 0; seed < recipe.seeds; ++seed) {
      const auto result = readCellResult(experimentFolder, pretrainingCellOf(recipe, v, seed).key);
      if (!result || !result->finished || !result->finalLoss) continue;
      // A variant fine-tuned from an earlier checkpoint (Figure 5) reports the loss there.
      double loss = *result->finalLoss;
      if (variant.fromStep > 0)
        for (const auto& [step, logged] : result->lossCurve)
          if (step <= variant.fromStep) loss = logged;
      perplexities.push_back(std::exp(loss));
    }
    summarize(perplexities, pretraining);
    results.pretraining.push_back(pretraining);
  }
  for (const auto& [shared, row] : sharedRows)
    if (row.second > 0)
      results.pretraining[row.first].variant += " +" + std::to_string(row.second) + " more";
  const auto find = [&](const std::string& variant, const std::string& task) {
    for (const ResultSummary& s : results.table)
      if (s.variant == variant && s.task == task) return s;
    return ResultSummary{};
  };
  for (const ExperimentClaim& claim : recipe.claims) {
    std::vector<std::string> tasks = claim.tasks;
    if (tasks.empty())
      for (const ExperimentTask& t : recipe.tasks) tasks.push_back(t.task);
    for (const std::string& task : tasks)
      results.verdicts.push_back(
          judgeClaim(claim, find(claim.better, task), find(claim.worse, task)));
  }
  return results;
}

std::string formatResultsTable(const ExperimentResults& results) {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%-22s %-11s %-9s %16s %6s %8s\n", "variant", "task", "metric",
                "mean ± sd", "seeds", "paper");
  out << line;
  for (const ResultSummary& s : results.table) {
    const std::string score =
        s.seeds == 0 ? std::string("–") : fixed(s.mean, 1) + " ± " + fixed(s.sd, 1);
    std::snprintf(line, sizeof line, "%-22s %-11s %-9s %16s %6d %8s\n", s.variant.c_str(),
                  s.task.c_str(), s.metric.c_str(), score.c_str(), s.seeds,
                  s.paper ? fixed(*s.paper, 1).c_str() : "–");
    out << line;
  }
  for (const ResultSummary& s : results.baselines) {
    std::snprintf(line, sizeof line, "%-22s %-11s %-9s %16s %6s %8s\n", s.variant.c_str(),
                  s.task.c_str(), s.metric.c_str(), fixed(s.mean, 1).c_str(), "–", "–");
    out << line;
  }
  if (!results.pretraining.empty()) {
    out << "pre-training (the training loss as a perplexity, at the end or at the variant's "
           "step; lower is better):\n";
    for (const ResultSummary& s : results.pretraining) {
      const std::string score =
          s.seeds == 0 ? std::string("–") : fixed(s.mean, 1) + " ± " + fixed(s.sd, 1);
      std::snprintf(line, sizeof line, "%-22s %-33s %16s %6d %8s\n", s.variant.c_str(),
                    s.metric.c_str(), score.c_str(), s.seeds,
                    s.paper ? fixed(*s.paper, 2).c_str() : "–");
      out << line;
    }
  }
  for (const ClaimVerdict& verdict : results.verdicts) out << "• " << verdict.text << "\n";
  return out.str();
}

void writeExperimentReport(const ExperimentRecipe& recipe, const std::string& experimentFolder,
                           const ExperimentResults& results) {
  std::ostringstream csv;
  csv << "variant,task,metric,seed,key,state,best,last,seconds,pretraining\n";
  std::map<std::string, std::pair<size_t, int>> sharedRows;  // → (row, variants sharing it)
  for (size_t v = 0; v < recipe.variants.size(); ++v) {
    for (size_t t = 0; t < recipe.tasks.size(); ++t) {
      for (int seed = 0; seed < recipe.seeds; ++seed) {
        const ExperimentCell cell = finetuningCellOf(recipe, v, t, seed);
        const auto result = readCellResult(experimentFolder, cell.key);
        const std::string state = !result ? "pending" : result->finished ? "done" : "failed";
        const auto number = [&](const std::optional<double>& value) {
          return value ? fixed(metricPoints(recipe.tasks[t].task, *value), 2) : std::string();
        };
        csv << csvField(recipe.variants[v].name) << ',' << recipe.tasks[t].task << ','
            << recipe.tasks[t].metric << ',' << cell.seed << ',' << cell.key << ',' << state << ','
            << (result ? number(result->best) : "") << ',' << (result ? number(result->last) : "")
            << ',' << (result ? fixed(result->seconds, 1) : "") << ',' << cell.pretrainingKey
            << '\n';
      }
    }
  }
  writeFileAtomically((fs::path(experimentFolder) / "results.csv").string(), csv.str());
  writeExperimentFigures(recipe, experimentFolder, results);

  std::ostringstream md;
  md << "# " << recipe.title << "\n\n";
  if (!recipe.about.empty()) md << recipe.about << "\n\n";
  md << results.cellsDone << " of " << results.cellsTotal << " cells finished";
  if (results.cellsFailed > 0) md << ", " << results.cellsFailed << " failed";
  md << "; " << recipe.seeds << (recipe.seeds == 1 ? " seed" : " seeds")
     << " per variant. Scores are dev-set points (mean ± sample standard deviation over "
        "seeds); the paper's numbers are for BERT-Base on its own datasets, so compare "
        "directions, not values.\n\n";
  md << "| variant | task | metric | mean ± sd | seeds | paper |\n|---|---|---|---|---|---|\n";
  for (const ResultSummary& s : results.table) {
    md << "| " << s.variant << " | " << s.task << " | " << s.metric << " | "
       << (s.seeds == 0 ? std::string("–") : fixed(s.mean, 1) + " ± " + fixed(s.sd, 1)) << " | "
       << s.seeds << " | " << (s.paper ? fixed(*s.paper, 1) : std::string("–")) << " |\n";
  }
  for (const ResultSummary& s : results.baselines)
    md << "| " << s.variant << " | " << s.task << " | " << s.metric << " | " << fixed(s.mean, 1)
       << " | – | – |\n";
  if (!results.pretraining.empty()) {
    md << "\nPre-training: the training loss of each pre-trained variant as a perplexity, at the "
          "end of its pre-training or at the step it fine-tunes from (lower is better; "
          "masked-LM and next-token perplexities are not comparable).\n\n"
          "| variant | metric | mean ± sd | seeds | paper |\n|---|---|---|---|---|\n";
    for (const ResultSummary& s : results.pretraining)
      md << "| " << s.variant << " | " << s.metric << " | "
         << (s.seeds == 0 ? std::string("–") : fixed(s.mean, 1) + " ± " + fixed(s.sd, 1)) << " | "
         << s.seeds << " | " << (s.paper ? fixed(*s.paper, 2) : std::string("–")) << " |\n";
  }
  if (!results.verdicts.empty()) {
    md << "\n## Verdicts\n\n";
    for (const ClaimVerdict& verdict : results.verdicts) md << "- " << verdict.text << "\n";
  }
  for (const char* plot : {kScoresFigure, kStepsFigure, kLossCurvesFigure}) {
    std::error_code ec;
    if (fs::exists(fs::path(experimentFolder) / plot, ec))
      md << "\n![" << plot << "](" << plot << ")\n";
  }
  md << "\nThe recipe is in recipe.json, one row per cell in results.csv.\n";
  writeFileAtomically((fs::path(experimentFolder) / "report.md").string(), md.str());
}

}  // namespace bertwb
