// Experiment recipes: a valid one reads and writes back unchanged; a bad one names every bad
// field by its path in one error; the recipe expands into pre-training and fine-tuning cells
// whose keys change exactly when something that determines their result changes.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include <map>
#include <set>

#include "experiments/builtin_experiments.h"
#include "experiments/experiment_cells.h"
#include "experiments/experiment_estimate.h"
#include "experiments/experiment_recipe.h"
#include "experiments/experiment_results.h"
#include "test_support.h"
#include "util/error.h"

using namespace bertwb;
using bertwb::test::errorOf;
using nlohmann::json;

namespace {

// Three variants: two pre-trained the same way (one fine-tuned, one feature-based), one
// random; two tasks; two seeds.
json sampleRecipe() {
  return json::parse(R"({
    "format": "bert-workbench-experiment", "version": 1, "name": "sample",
    "title": "A sample", "about": "For the tests.",
    "model": {"preset": "tiny"},
    "pretraining": {"steps": 50, "learningRate": 0.002},
    "finetuning": {"epochs": 2},
    "tasks": [{"task": "sentiment", "trainExamples": 300}, {"task": "ner"}],
    "seeds": 2,
    "variants": [
      {"name": "fine-tuned", "about": "all weights"},
      {"name": "features", "features": "concat-last-four"},
      {"name": "random", "init": "random"}
    ],
    "claims": [{"better": "fine-tuned", "worse": "random", "paper": "pre-training helps"}]
  })");
}

std::map<std::string, std::string> keysByCell(const ExperimentRecipe& recipe) {
  std::map<std::string, std::string> keys;
  for (const ExperimentCell& cell : planExperimentCells(recipe))
    keys[describeCell(recipe, cell)] = cell.key;
  return keys;
}

}  // namespace

class TestExperimentRecipe : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // The estimate against the wall times measured on this 2-core machine (README): within a
  // factor of 1.5 either way for every recipe measured, and a pre-training cell's estimate
  // grows with its steps and its model.
  void theTimeEstimateMatchesTheMeasuredRecipes() {
    const auto minutes = [](const ExperimentRecipe& recipe) {
      double seconds = 0;
      for (const ExperimentCell& cell : planExperimentCells(recipe))
        seconds += estimateCellSeconds(recipe, cell);
      return seconds / 60;
    };
    const std::pair<const char*, double> measured[] = {{"table5-pretraining-tasks", 13.4},
                                                       {"table6-model-size", 12.2},
                                                       {"table7-feature-based", 6.7},
                                                       {"table8-masking-mixes", 11.8},
                                                       {"figure5-pretraining-steps", 11.6}};
    for (const auto& [name, wall] : measured) {
      const double estimate = minutes(builtinExperiment(name));
      QVERIFY2(estimate > wall / 1.5 && estimate < wall * 1.5,
               qPrintable(QStringLiteral("%1: %2 min").arg(name).arg(estimate)));
    }

    ExperimentRecipe recipe = builtinExperiment("table7-feature-based");
    const double base = estimateCellSeconds(recipe, pretrainingCellOf(recipe, 0, 0));
    recipe.pretraining["steps"] = 2000;
    QVERIFY(estimateCellSeconds(recipe, pretrainingCellOf(recipe, 0, 0)) > 1.8 * base - 4);
    recipe.model = {{"preset", "mini"}};
    QVERIFY(estimateCellSeconds(recipe, pretrainingCellOf(recipe, 0, 0)) > 2 * base);
    // H not divisible by A: the cell fails at once, so it costs next to nothing.
    recipe.model = {{"preset", "tiny"}, {"heads", 3}};
    QVERIFY(estimateCellSeconds(recipe, pretrainingCellOf(recipe, 0, 0)) < 5);

    // Refined by the measured cells: twice as slow as estimated doubles what is left,
    // bounded so one odd cell cannot swing it wildly.
    QCOMPARE(refineEstimate(100, 0, 0), 100.0);
    QCOMPARE(refineEstimate(100, 20, 10), 200.0);
    QCOMPARE(refineEstimate(100, 1000, 10), 500.0);
  }

  void aValidRecipeReadsAndWritesBack() {
    const ExperimentRecipe recipe = parseExperimentRecipe(sampleRecipe(), "test");
    QCOMPARE(recipe.name, std::string("sample"));
    QCOMPARE(recipe.seeds, 2);
    QCOMPARE(recipe.tasks.size(), size_t(2));
    QCOMPARE(recipe.tasks[0].metric, std::string("accuracy"));
    QCOMPARE(recipe.tasks[1].metric, std::string("f1"));
    QCOMPARE(recipe.tasks[0].trainExamples, int64_t(300));
    QCOMPARE(recipe.variants.size(), size_t(3));
    QVERIFY(recipe.variants[1].features == FeatureLayers::ConcatLastFour);
    QVERIFY(recipe.variants[2].init == ExperimentInit::Random);
    QCOMPARE(recipe.claims.size(), size_t(1));

    const json written = experimentRecipeToJson(recipe);
    const ExperimentRecipe again = parseExperimentRecipe(written, "written");
    QCOMPARE(experimentRecipeToJson(again).dump(), written.dump());
  }

  void everyBadFieldIsNamedByItsPath() {
    json bad = sampleRecipe();
    bad["version"] = 7;
    bad["seeds"] = 0;
    bad["colour"] = "blue";
    bad["model"]["hidden"] = 130;  // not divisible by Tiny's 2 heads? 130 / 2 = 65: fine
    bad["model"]["heads"] = 4;     // 130 / 4 is not whole
    bad["pretraining"]["learningRate"] = "fast";
    bad["pretraining"]["seed"] = 3;
    bad["finetuning"]["epochs"] = 2.5;
    bad["finetuning"]["dropout"] = 0.1;
    bad["tasks"][1]["task"] = "pos";
    bad["variants"][0]["objective"] = "rtl";
    bad["variants"][1]["name"] = "fine-tuned";
    bad["variants"][2]["objective"] = "ltr";
    bad["variants"][0]["segments"] = "single";
    bad["claims"][0]["worse"] = "nobody";
    const QString message = errorOf([&] { parseExperimentRecipe(bad, "'recipe.json'"); });
    for (const char* expected :
         {"experiment recipe 'recipe.json' has", "version: 7 is newer than this program reads",
          "seeds: 0 is outside 1…20", "colour: unknown field",
          "model: hidden size 130 is not divisible by 4 heads",
          "pretraining.learningRate: expected a number, got \"fast\"",
          "pretraining.seed: set by the experiment", "finetuning.epochs: expected a whole number",
          "finetuning.dropout: unknown setting", "tasks[1].task: 'pos' is not a demo task",
          "variants[0].objective: 'rtl' is not one of mlm, ltr",
          "variants[1].name: 'fine-tuned' is used twice",
          "variants[2]: a randomly initialised variant is not pre-trained",
          "variants[0].pretraining: single segments have no next sentence to predict",
          "claims[0].worse: 'nobody' is not one of the variants"}) {
      QVERIFY2(message.contains(QString::fromUtf8(expected)),
               qPrintable(QStringLiteral("missing \"%1\" in:\n%2").arg(expected, message)));
    }
  }

  void oddShapesAreRefusedToo() {
    QVERIFY(errorOf([] {
              parseExperimentRecipe(json::array(), "x");
            }).contains(QStringLiteral("expected an object")));
    json oneVariant = sampleRecipe();
    oneVariant["variants"].erase(1);
    oneVariant["variants"].erase(1);
    QVERIFY(errorOf([&] {
              parseExperimentRecipe(oneVariant, "x");
            }).contains(QStringLiteral("variants: expected a list of at least two variants")));
    json badName = sampleRecipe();
    badName["name"] = "../outside";
    QVERIFY(errorOf([&] {
              parseExperimentRecipe(badName, "x");
            }).contains(QStringLiteral("name: '../outside'")));
    json badPreset = sampleRecipe();
    badPreset["model"]["preset"] = "huge";
    QVERIFY(errorOf([&] {
              parseExperimentRecipe(badPreset, "x");
            }).contains(QStringLiteral("model.preset:")));
  }

  // Figure 5's points along one pre-training: a step it keeps a checkpoint at, never after its
  // end, never for random weights.
  void fromStepNeedsACheckpointThere() {
    json recipe = sampleRecipe();
    recipe["pretraining"] = {{"steps", 800}, {"saveEvery", 100}, {"keepLast", 0}};
    recipe["variants"][0]["fromStep"] = 200;
    const ExperimentRecipe parsed = parseExperimentRecipe(recipe, "x");
    QCOMPARE(parsed.variants[0].fromStep, int64_t(200));
    QCOMPARE(parseExperimentRecipe(experimentRecipeToJson(parsed), "x").variants[0].fromStep,
             int64_t(200));
    // Its fine-tuning cells name the step; the pre-training is the one all variants share.
    const ExperimentCell early = finetuningCellOf(parsed, 0, 0, 0);
    QCOMPARE(early.settings["fromStep"].get<int64_t>(), int64_t(200));
    QCOMPARE(early.pretrainingKey, pretrainingCellOf(parsed, 0, 0).key);

    recipe["variants"][0]["fromStep"] = 250;
    QVERIFY(errorOf([&] { parseExperimentRecipe(recipe, "x"); })
                .contains(QStringLiteral(
                    "variants[0].fromStep: the pre-training saves no checkpoint at step 250")));
    recipe["variants"][0]["fromStep"] = 900;
    QVERIFY(errorOf([&] {
              parseExperimentRecipe(recipe, "x");
            }).contains(QStringLiteral("is after the pre-training's last (800)")));
    recipe["variants"][0]["fromStep"] = 800;  // the final model needs no checkpoint
    recipe["pretraining"].erase("saveEvery");
    parseExperimentRecipe(recipe, "x");
    recipe["variants"][0]["fromStep"] = "early";
    QVERIFY(errorOf([&] {
              parseExperimentRecipe(recipe, "x");
            }).contains(QStringLiteral("variants[0].fromStep: expected a whole number")));
  }

  // The BiLSTM tagger reads frozen features; only its cells name it, so linear taggers keep
  // the keys they had.
  void aFeatureHeadNeedsFeatures() {
    json recipe = sampleRecipe();
    recipe["variants"][0]["featureHead"] = "bilstm";
    QVERIFY(errorOf([&] { parseExperimentRecipe(recipe, "x"); })
                .contains(QStringLiteral(
                    "variants[0].featureHead: a feature head reads frozen features")));
    recipe["variants"][0]["features"] = "last";
    const ExperimentRecipe parsed = parseExperimentRecipe(recipe, "x");
    QCOMPARE(parsed.variants[0].tagger, FeatureTagger::BiLstm);
    QCOMPARE(finetuningCellOf(parsed, 0, 0, 0).settings["featureHead"].get<std::string>(),
             std::string("bilstm"));
    recipe["variants"][0]["featureHead"] = "linear";
    QVERIFY(!finetuningCellOf(parseExperimentRecipe(recipe, "x"), 0, 0, 0)
                 .settings.contains("featureHead"));
    recipe["variants"][0]["featureHead"] = "gru";
    QVERIFY(errorOf([&] {
              parseExperimentRecipe(recipe, "x");
            }).contains(QStringLiteral("variants[0].featureHead")));
  }

  void cellsShareOnePretrainingPerSeedAndRunSeedBySeed() {
    const ExperimentRecipe recipe = parseExperimentRecipe(sampleRecipe(), "test");
    const std::vector<ExperimentCell> cells = planExperimentCells(recipe);
    // Per seed: one pre-training shared by "fine-tuned" and "features", and 3 × 2 fine-tunings.
    QCOMPARE(cells.size(), size_t(2 * (1 + 3 * 2)));
    int pretraining = 0;
    std::set<std::string> keys;
    for (const ExperimentCell& cell : cells) {
      keys.insert(cell.key);
      QCOMPARE(cell.key.size(), size_t(16));
      if (cell.kind == CellKind::Pretraining) ++pretraining;
    }
    QCOMPARE(pretraining, 2);
    QCOMPARE(keys.size(), cells.size());
    // Seed 1 of every variant comes before any seed 2, and pre-training before its fine-tuning.
    for (size_t i = 0; i < cells.size() / 2; ++i) QCOMPARE(cells[i].seedIndex, 0);
    QVERIFY(cells.front().kind == CellKind::Pretraining);
    QCOMPARE(cells[1].pretrainingKey, cells.front().key);
    QCOMPARE(cells[3].pretrainingKey, cells.front().key);  // "features" starts from it too
    QVERIFY(cells[5].pretrainingKey.empty());              // "random" starts from nothing
    QCOMPARE(cells[5].settings["init"].get<std::string>(), std::string("random"));
    QCOMPARE(cells.back().seed, experimentSeed(1));
  }

  void keysChangeExactlyWithWhatDeterminesTheResult() {
    const ExperimentRecipe recipe = parseExperimentRecipe(sampleRecipe(), "test");
    const auto before = keysByCell(recipe);
    QCOMPARE(keysByCell(parseExperimentRecipe(sampleRecipe(), "again")), before);

    // A fine-tuning override of one variant: only that variant's fine-tuning cells change.
    json tuned = sampleRecipe();
    tuned["variants"][1]["finetuning"] = {{"learningRate", 0.001}};
    auto after = keysByCell(parseExperimentRecipe(tuned, "tuned"));
    for (const auto& [cell, key] : before) {
      const bool shouldChange = QString::fromStdString(cell).startsWith("features · ") &&
                                !QString::fromStdString(cell).contains("pre-training");
      QVERIFY2((after.at(cell) != key) == shouldChange, cell.c_str());
    }

    // Words about a variant change nothing.
    json reworded = sampleRecipe();
    reworded["variants"][0]["about"] = "every weight trains";
    reworded["title"] = "Another title";
    QCOMPARE(keysByCell(parseExperimentRecipe(reworded, "reworded")), before);

    // A pre-training override of "features": it gets its own pre-training, and its
    // fine-tuning cells follow; "fine-tuned" and "random" keep theirs.
    json masked = sampleRecipe();
    masked["variants"][1]["pretraining"] = {{"maskTokenShare", 1.0}, {"randomTokenShare", 0.0}};
    const ExperimentRecipe maskedRecipe = parseExperimentRecipe(masked, "masked");
    after = keysByCell(maskedRecipe);
    QCOMPARE(after.size(), before.size() + 2);  // one more pre-training per seed
    for (const auto& [cell, key] : before) {
      const bool isFeatures = QString::fromStdString(cell).startsWith("features · ");
      if (isFeatures) {
        QVERIFY2(after.at(cell) != key, cell.c_str());
      } else {
        QVERIFY2(after.at(cell) == key, cell.c_str());
      }
    }
  }

  void verdictsSayOnlyWhatTheNumbersSupport() {
    const ExperimentClaim claim{"pre-trained", "random", {}, "pre-training helps"};
    const auto summary = [](const char* variant, int seeds, double mean, double sd) {
      ResultSummary s;
      s.variant = variant;
      s.task = "ner";
      s.metric = "f1";
      s.seeds = seeds;
      s.mean = mean;
      s.sd = sd;
      return s;
    };
    // +12.0 with a standard error of sqrt(2²/3 + 1²/3) = 1.29: an effect, the paper's way.
    ClaimVerdict verdict =
        judgeClaim(claim, summary("pre-trained", 3, 80, 2), summary("random", 3, 68, 1));
    QVERIFY(verdict.outcome == ClaimVerdict::Outcome::Supported);
    QVERIFY2(QString::fromStdString(verdict.text)
                 .contains(QStringLiteral("+12.0 ± 1.3 f1 points, 3 seeds each — same direction")),
             verdict.text.c_str());
    // −0.4 with a standard error of 0.9: nothing to claim.
    verdict =
        judgeClaim(claim, summary("pre-trained", 3, 70.0, 1.1), summary("random", 3, 70.4, 1.1));
    QVERIFY(verdict.outcome == ClaimVerdict::Outcome::Undecided);
    QVERIFY2(QString::fromStdString(verdict.text)
                 .contains(QStringLiteral("not distinguishable from zero")),
             verdict.text.c_str());
    // A clear effect the other way is said to be the opposite of the paper.
    verdict = judgeClaim(claim, summary("pre-trained", 3, 60, 1), summary("random", 3, 70, 1));
    QVERIFY(verdict.outcome == ClaimVerdict::Outcome::Contradicted);
    // One seed: no error estimate, no verdict.
    verdict = judgeClaim(claim, summary("pre-trained", 1, 90, 0), summary("random", 1, 10, 0));
    QVERIFY(verdict.outcome == ClaimVerdict::Outcome::Undecided);
    QVERIFY(QString::fromStdString(verdict.text).contains(QStringLiteral("no verdict")));
    verdict = judgeClaim(claim, summary("pre-trained", 0, 0, 0), summary("random", 3, 10, 1));
    QVERIFY(verdict.outcome == ClaimVerdict::Outcome::Missing);
  }

  void resultsSummariseTheFinishedCellsAndWriteTheReport() {
    QTemporaryDir dir;
    const std::string folder = dir.path().toStdString();
    const ExperimentRecipe recipe = parseExperimentRecipe(sampleRecipe(), "test");
    // Sentiment of "fine-tuned": accuracies 0.80, 0.90 over the two seeds; one cell failed.
    for (int seed = 0; seed < 2; ++seed) {
      CellResult result;
      result.key = finetuningCellOf(recipe, 0, 0, seed).key;
      result.finished = true;
      result.best = seed == 0 ? 0.80 : 0.90;
      result.seconds = 3;
      writeCellResult(folder, result);
    }
    CellResult failed;
    failed.key = finetuningCellOf(recipe, 2, 1, 0).key;
    failed.message = "out of memory";
    writeCellResult(folder, failed);
    QVERIFY(readCellResult(folder, failed.key).has_value());
    QVERIFY(!readCellResult(folder, "0123456789abcdef").has_value());

    const ExperimentResults results = summarizeExperiment(recipe, folder);
    QCOMPARE(results.cellsTotal, 14);
    QCOMPARE(results.cellsDone, 2);
    QCOMPARE(results.cellsFailed, 1);
    QCOMPARE(results.table.size(), size_t(3 * 2));
    const ResultSummary& first = results.table.front();
    QCOMPARE(first.variant, std::string("fine-tuned"));
    QCOMPARE(first.seeds, 2);
    QCOMPARE(first.mean, 85.0);  // in points
    QVERIFY(std::abs(first.sd - 7.0711) < 1e-3);
    QCOMPARE(results.verdicts.size(), size_t(2));  // the claim on both tasks

    writeExperimentReport(recipe, folder, results);
    std::ifstream csv(folder + "/results.csv");
    std::string header, line;
    std::getline(csv, header);
    QCOMPARE(header,
             std::string("variant,task,metric,seed,key,state,best,last,seconds,pretraining"));
    int rows = 0, done = 0, failedRows = 0;
    while (std::getline(csv, line)) {
      ++rows;
      done += line.find(",done,") != std::string::npos;
      failedRows += line.find(",failed,") != std::string::npos;
    }
    QCOMPARE(rows, 3 * 2 * 2);
    QCOMPARE(done, 2);
    QCOMPARE(failedRows, 1);
    std::ifstream md(folder + "/report.md");
    const std::string report((std::istreambuf_iterator<char>(md)),
                             std::istreambuf_iterator<char>());
    QVERIFY(report.find("# A sample") != std::string::npos);
    QVERIFY(report.find("| fine-tuned | sentiment | accuracy | 85.0 ± 7.1 | 2 |") !=
            std::string::npos);
    QVERIFY(report.find("2 of 14 cells finished, 1 failed") != std::string::npos);
    // The score figure: one bar per finished variant and task, no loss curves without
    // pre-training results.
    QVERIFY(report.find("![scores.svg](scores.svg)") != std::string::npos);
    QVERIFY(report.find("loss-curves.svg") == std::string::npos);
    std::ifstream svg(folder + "/scores.svg");
    const std::string figure((std::istreambuf_iterator<char>(svg)),
                             std::istreambuf_iterator<char>());
    QVERIFY(figure.rfind("<svg", 0) == 0);
    QVERIFY(figure.find("fine-tuned: 85.0 ± 7.1") != std::string::npos);
  }

  void builtInRecipesAreValid() {
    const std::vector<ExperimentRecipe> recipes = builtinExperiments();
    // The issue's six, the core claim first.
    std::vector<std::string> names;
    for (const ExperimentRecipe& recipe : recipes) names.push_back(recipe.name);
    QCOMPARE(names,
             (std::vector<std::string>{"pretraining-vs-random", "table5-pretraining-tasks",
                                       "table6-model-size", "table7-feature-based",
                                       "table8-masking-mixes", "figure5-pretraining-steps"}));
    for (const ExperimentRecipe& recipe : recipes) {
      // What the paper found, and what was measured here.
      QVERIFY2(recipe.about.find("at this scale") != std::string::npos, recipe.name.c_str());
      QVERIFY2(!recipe.claims.empty(), recipe.name.c_str());
      QCOMPARE(builtinExperiment(recipe.name).name, recipe.name);
    }
    QVERIFY(errorOf([] {
              builtinExperiment("nope");
            }).contains(QStringLiteral("pretraining-vs-random")));
  }
};

QTEST_APPLESS_MAIN(TestExperimentRecipe)
#include "test_experiment_recipe.moc"
