// The experiment runner end to end on a test-sized recipe: every cell runs and is recorded,
// the report is written, a second run reuses every finished cell, an edited override reruns
// only its cells, a cell stopped half-way runs again from its start, a failing cell does not
// stop the others, and a folder holding someone's files is refused.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "experiments/experiment_runner.h"
#include "test_support.h"
#include "tiny_experiment_recipe.h"
#include "util/error.h"

using namespace bertwb;
using bertwb::test::errorOf;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json tinyRecipe() {
  return bertwb::test::tinyExperimentRecipe();
}

// Asks the experiment to stop at the first training step of its first cell.
class StopAtFirstStep final : public ExperimentEvents {
 public:
  explicit StopAtFirstStep(CancelFlag& cancel) : cancel_(cancel) {}
  void onCellStep(const ExperimentCell&, const StepMetrics&) override { cancel_.request(); }

 private:
  CancelFlag& cancel_;
};

// Asks the experiment to stop once a pre-training has logged `step`.
class StopAtPretrainingStep final : public ExperimentEvents {
 public:
  StopAtPretrainingStep(CancelFlag& cancel, int64_t step) : cancel_(cancel), step_(step) {}
  void onCellStep(const ExperimentCell& cell, const StepMetrics& metrics) override {
    if (cell.kind == CellKind::Pretraining && metrics.step >= step_) cancel_.request();
  }

 private:
  CancelFlag& cancel_;
  int64_t step_;
};

}  // namespace

class TestExperimentRunner : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  ExperimentOutcome run(const json& recipe, const std::string& folder,
                        ExperimentEvents* events = nullptr, const CancelFlag* cancel = nullptr) {
    ExperimentRunOptions options;
    options.folder = folder;
    return runExperiment(parseExperimentRecipe(recipe, "test"), options, events, cancel);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    torch::set_num_threads(std::max(1u, std::thread::hardware_concurrency()));
  }

  void everyCellRunsOnceAndTheReportIsWritten() {
    const std::string folder = dir_.filePath("first").toStdString();
    const ExperimentOutcome first = run(tinyRecipe(), folder);
    QCOMPARE(first.total, 3);
    QCOMPARE(first.ran, 3);
    QCOMPARE(first.failed, 0);
    QVERIFY(!first.cancelled);
    for (const char* file : {"recipe.json", "results.csv", "report.md", "data/tokenizer/vocab.txt",
                             "loss-curves.svg", "scores.svg"})
      QVERIFY2(fs::exists(fs::path(folder) / file), file);
    QVERIFY(!fs::exists(fs::path(folder) / "score-by-step.svg"));  // no variant has a fromStep
    // Demo sentiment is about half positive: always answering the training cut's most
    // frequent class scores near 50 on dev.
    QCOMPARE(first.results.baselines.size(), size_t(1));
    QCOMPARE(first.results.baselines[0].variant, std::string("majority class"));
    QVERIFY2(first.results.baselines[0].mean > 40 && first.results.baselines[0].mean < 60,
             std::to_string(first.results.baselines[0].mean).c_str());

    const ExperimentRecipe recipe = parseExperimentRecipe(tinyRecipe(), "test");
    const std::vector<ExperimentCell> cells = planExperimentCells(recipe);
    const auto pretraining = readCellResult(folder, cells[0].key);
    QVERIFY(pretraining && pretraining->finished);
    QCOMPARE(pretraining->lossCurve.size(), size_t(3));  // steps 2, 4, 6
    QVERIFY(pretraining->finalLoss && *pretraining->finalLoss > 0);
    QVERIFY(fs::exists(fs::path(pretraining->runFolder) / "config.json"));  // the model kept
    for (size_t i = 1; i < cells.size(); ++i) {
      const auto tuned = readCellResult(folder, cells[i].key);
      QVERIFY(tuned && tuned->finished && tuned->best);
      QVERIFY(*tuned->best >= 0 && *tuned->best <= 1);
      QVERIFY(fs::exists(fs::path(tuned->runFolder) / "metrics.jsonl"));
    }
    QCOMPARE(first.results.table.size(), size_t(2));
    QCOMPARE(first.results.table[0].seeds, 1);
    QCOMPARE(first.results.verdicts.size(), size_t(1));

    // Run again: nothing to do. Edit the random variant's fine-tuning: only its cell runs.
    const ExperimentOutcome again = run(tinyRecipe(), folder);
    QCOMPARE(again.ran, 0);
    QCOMPARE(again.cached, 3);
    json edited = tinyRecipe();
    edited["variants"][1]["finetuning"] = {{"learningRate", 5e-4}};
    const ExperimentOutcome afterEdit = run(edited, folder);
    QCOMPARE(afterEdit.ran, 1);
    QCOMPARE(afterEdit.cached, 2);
  }

  void aStoppedCellRunsAgainFromItsStart() {
    const std::string folder = dir_.filePath("stopped").toStdString();
    CancelFlag cancel;
    StopAtFirstStep stopper(cancel);
    const ExperimentOutcome stopped = run(tinyRecipe(), folder, &stopper, &cancel);
    QVERIFY(stopped.cancelled);
    QCOMPARE(stopped.ran, 0);
    const ExperimentRecipe recipe = parseExperimentRecipe(tinyRecipe(), "test");
    QVERIFY(!readCellResult(folder, planExperimentCells(recipe)[0].key).has_value());
    const ExperimentOutcome resumed = run(tinyRecipe(), folder);
    QCOMPARE(resumed.ran, 3);
    QCOMPARE(resumed.failed, 0);
  }

  // A pre-training that keeps checkpoints goes on from its newest after a stop (its loss curve
  // whole, from the first logged step), and a variant fine-tunes from its checkpoint at an
  // earlier step (Figure 5's points along one run). Every pre-trained variant's perplexity is
  // summarised.
  void checkpointsResumeAPretrainingAndFeedFromStep() {
    json recipe = tinyRecipe();
    recipe["pretraining"]["steps"] = 8;
    recipe["pretraining"]["saveEvery"] = 4;
    recipe["pretraining"]["keepLast"] = 0;
    recipe["variants"] = json::array({{{"name", "early"}, {"fromStep", 4}}, {{"name", "late"}}});
    recipe["claims"] = json::array();
    const std::string folder = dir_.filePath("checkpoints").toStdString();
    CancelFlag cancel;
    StopAtPretrainingStep stopper(cancel, 6);
    const ExperimentOutcome stopped = run(recipe, folder, &stopper, &cancel);
    QVERIFY(stopped.cancelled);
    const ExperimentRecipe parsed = parseExperimentRecipe(recipe, "test");
    const std::string runFolder = cellFolder(folder, pretrainingCellOf(parsed, 0, 0).key) + "/run";
    QVERIFY(fs::exists(runFolder + "/checkpoint-000004"));

    const ExperimentOutcome resumed = run(recipe, folder);
    QCOMPARE(resumed.ran, 3);  // the resumed pre-training and two fine-tunings
    QCOMPARE(resumed.failed, 0);
    const auto pretraining = readCellResult(folder, pretrainingCellOf(parsed, 0, 0).key);
    QVERIFY(pretraining && pretraining->finished);
    QCOMPARE(pretraining->lossCurve.front().first, int64_t(2));  // the part before the stop too
    QCOMPARE(pretraining->lossCurve.back().first, int64_t(8));
    QVERIFY(fs::exists(runFolder + "/checkpoint-000004"));  // keepLast 0 keeps them all
    const auto early = readCellResult(folder, finetuningCellOf(parsed, 0, 0, 0).key);
    const auto late = readCellResult(folder, finetuningCellOf(parsed, 1, 0, 0).key);
    QVERIFY(early && early->finished && late && late->finished);
    // Different starting weights: the first logged fine-tuning loss differs.
    QVERIFY(early->lossCurve.front().second != late->lossCurve.front().second);

    // Figure 5's picture: the score against the step the variant started from.
    std::ifstream steps(folder + "/score-by-step.svg");
    std::stringstream picture;
    picture << steps.rdbuf();
    QVERIFY(picture.str().find("<polyline") != std::string::npos);
    QVERIFY(picture.str().find(">early: ") != std::string::npos);

    QCOMPARE(resumed.results.pretraining.size(), size_t(2));
    const ResultSummary& perplexity = resumed.results.pretraining.front();
    QCOMPARE(perplexity.metric, std::string("mlm perplexity"));
    QCOMPARE(perplexity.seeds, 1);
    // "early" starts from step 4, and its perplexity is the loss logged there.
    double atStep4 = 0;
    for (const auto& [step, loss] : pretraining->lossCurve)
      if (step == 4) atStep4 = loss;
    QVERIFY(std::abs(perplexity.mean - std::exp(atStep4)) < 1e-6);
    QVERIFY(std::abs(resumed.results.pretraining.back().mean - std::exp(*pretraining->finalLoss)) <
            1e-6);
  }

  void aFailingCellDoesNotStopTheOthers() {
    json recipe = tinyRecipe();
    recipe["variants"][1]["finetuning"] = {{"precision", "fp16"}};  // CUDA only: fails on CPU
    const std::string folder = dir_.filePath("failing").toStdString();
    const ExperimentOutcome outcome = run(recipe, folder);
    QCOMPARE(outcome.ran, 3);
    QCOMPARE(outcome.failed, 1);
    QCOMPARE(outcome.results.cellsDone, 2);
    QCOMPARE(outcome.results.cellsFailed, 1);
    const auto failed =
        readCellResult(folder, planExperimentCells(parseExperimentRecipe(recipe, "test"))[2].key);
    QVERIFY(failed && !failed->finished);
    QVERIFY2(QString::fromStdString(failed->message).contains(QStringLiteral("fp16")),
             failed->message.c_str());
  }

  void leftToRightAndSingleSegmentVariantsRun() {
    json recipe = tinyRecipe();
    recipe["variants"][1] = {
        {"name", "ltr"}, {"objective", "ltr"}, {"pretraining", {{"nsp", false}}}};
    recipe["variants"].push_back(
        {{"name", "single"}, {"segments", "single"}, {"pretraining", {{"nsp", false}}}});
    recipe["claims"][0]["worse"] = "ltr";
    const std::string folder = dir_.filePath("ltr").toStdString();
    const ExperimentOutcome outcome = run(recipe, folder);
    QCOMPARE(outcome.ran, 6);  // three pre-trainings, three fine-tunings
    QCOMPARE(outcome.failed, 0);
    const ExperimentRecipe parsed = parseExperimentRecipe(recipe, "test");
    const auto ltr = readCellResult(folder, pretrainingCellOf(parsed, 1, 0).key);
    QVERIFY(ltr && ltr->finished && ltr->finalLoss);
    std::ifstream config(ltr->runFolder + "/config.json");
    const json saved = json::parse(config);
    QCOMPARE(saved.value("is_decoder", false), true);
    const auto tuned = readCellResult(folder, finetuningCellOf(parsed, 1, 0, 0).key);
    QVERIFY(tuned && tuned->finished && tuned->best);
    QCOMPARE(tuned->settings.value("causal", false), true);
    // The single-segment variant pre-trained (its instances: test_pretraining_data).
    const auto single = readCellResult(folder, pretrainingCellOf(parsed, 2, 0).key);
    QVERIFY(single && single->finished && single->finalLoss);
    QCOMPARE(single->settings.value("segments", ""), std::string("single"));
  }

  // Feature-based NER (paper Table 7) shares the fine-tuned variant's pre-training; the
  // layer combinations are for taggers, and another task says so.
  void featureBasedVariantsTagFromTheirLayers() {
    json recipe = tinyRecipe();
    recipe["tasks"] = json::array(
        {{{"task", "ner"}, {"trainExamples", 32}}, {{"task", "sentiment"}, {"trainExamples", 32}}});
    recipe["variants"][1] = {{"name", "concat"}, {"features", "concat-last-four"}};
    recipe["variants"].push_back(
        {{"name", "bilstm"}, {"features", "last"}, {"featureHead", "bilstm"}});
    recipe["claims"][0]["worse"] = "concat";
    const std::string folder = dir_.filePath("features").toStdString();
    const ExperimentOutcome outcome = run(recipe, folder);
    QCOMPARE(outcome.total, 7);   // one shared pre-training, six fine-tunings
    QCOMPARE(outcome.failed, 2);  // sentiment is no tagging task
    const ExperimentRecipe parsed = parseExperimentRecipe(recipe, "test");
    const auto tagged = readCellResult(folder, finetuningCellOf(parsed, 1, 0, 0).key);
    QVERIFY(tagged && tagged->finished && tagged->best);
    const auto refused = readCellResult(folder, finetuningCellOf(parsed, 1, 1, 0).key);
    QVERIFY(refused && !refused->finished);
    QVERIFY2(QString::fromStdString(refused->message).contains(QStringLiteral("feed a tagger")),
             refused->message.c_str());
    // The paper's BiLSTM tagger, on the last layer.
    const auto bilstm = readCellResult(folder, finetuningCellOf(parsed, 2, 0, 0).key);
    QVERIFY(bilstm && bilstm->finished && bilstm->best);
    QCOMPARE(bilstm->settings.value("featureHead", ""), std::string("bilstm"));
  }

  void someonesFolderIsRefused() {
    const QString folder = dir_.filePath("notes");
    QVERIFY(QDir().mkpath(folder));
    std::ofstream(folder.toStdString() + "/notes.txt") << "mine";
    QVERIFY(errorOf([&] {
              run(tinyRecipe(), folder.toStdString());
            }).contains(QStringLiteral("must not overwrite")));
    QVERIFY(fs::exists(folder.toStdString() + "/notes.txt"));
  }
};

QTEST_GUILESS_MAIN(TestExperimentRunner)
#include "test_experiment_runner.moc"
