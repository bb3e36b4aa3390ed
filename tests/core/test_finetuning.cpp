// Fine-tuning end to end on the demo world's four tasks: a Tiny model trained from random
// weights for a test-sized budget clearly beats each task's trivial baseline on dev; a
// frozen-encoder run leaves every bert.* weight as it was; a run writes step and evaluation
// lines to metrics.jsonl and keeps the best model with its scores in OUT/best.
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "finetune/task_adapters.h"
#include "io/checkpoint.h"
#include "io/task_model_io.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "model/presets.h"
#include "tasks/conll_reader.h"
#include "tasks/glue_reader.h"
#include "tasks/squad_metrics.h"
#include "tasks/squad_reader.h"
#include "test_support.h"
#include "train/demo_pretraining.h"
#include "train/run_setup.h"

using namespace bertwb;
using bertwb::test::errorOf;
using bertwb::test::readJsonLines;

namespace {

// Test-sized budgets, chosen by measurement on 2 CPU cores (see the report in each test).
constexpr uint64_t kWeightSeed = 7;
constexpr size_t kClassificationTrainExamples = 2000;  // the whole demo training set
constexpr size_t kTaggingTrainSentences = 1200;
constexpr size_t kQaTrainQuestions = 2100;  // all of the demo's 2,088
constexpr size_t kQaDevQuestions = 300;
constexpr int kQaMaxSeqLength = 128;  // the demo contexts are short: one window each
constexpr int kQaDocStride = 64;
// How clearly the model must beat its baseline.
constexpr double kClassificationMargin = 0.15;  // accuracy over the majority share
constexpr double kEntityF1Floor = 0.5;          // "all O" scores 0
constexpr double kQaF1Margin = 40.0;  // SQuAD F1 points over "the first word" (measured: 87 vs 0)

template <typename T>
std::vector<T> firstOf(const std::vector<T>& items, size_t count) {
  return std::vector<T>(items.begin(),
                        items.begin() + static_cast<std::ptrdiff_t>(std::min(count, items.size())));
}

double majorityShare(const TextDataset& dev) {
  std::map<std::string, int> counts;
  for (const TextExample& example : dev.examples) ++counts[example.label];
  int most = 0;
  for (const auto& [label, count] : counts) most = std::max(most, count);
  return static_cast<double>(most) / static_cast<double>(dev.examples.size());
}

// SQuAD F1 of always answering the context's first word.
double firstWordF1(const QaDataset& dev) {
  std::vector<std::pair<QaExample, std::string>> scored;
  for (const QaExample& example : dev.examples)
    scored.emplace_back(example, example.context.substr(0, example.context.find(' ')));
  return squadScores(scored).f1;
}

struct RunSettings {
  int epochs = 3;
  double learningRate = 1e-3;
  int batchSize = 32;
  bool frozenEncoder = false;
  std::string outputFolder;  // empty: nothing saved but metrics.jsonl in a scratch folder
  int64_t evalEvery = 0;
};

}  // namespace

class TestFinetuning : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  DemoPretrainingSetup setup_;
  std::unique_ptr<Tokenizer> tokenizer_;
  std::string checkpoint_;  // a fresh Tiny BertForPreTraining with the demo tokenizer
  int scratchRuns_ = 0;

  // The paper's fine-tuning recipe with the test's budget, through the training engine in fp32.
  RunOutcome fineTune(TaskAdapter& adapter, const RunSettings& settings) {
    FinetuningRecipe recipe;
    recipe.epochs = settings.epochs;
    recipe.learningRate = settings.learningRate;
    recipe.batchSize = settings.batchSize;
    recipe.frozenEncoder = settings.frozenEncoder;
    recipe.evalEvery = settings.evalEvery;
    const std::string out =
        settings.outputFolder.empty()
            ? dir_.filePath(QString("scratch-%1").arg(++scratchRuns_)).toStdString()
            : settings.outputFolder;
    FinetuningObjective objective(adapter, finetuningObjectiveOptions(recipe));
    TrainingRunOptions options =
        finetuningRunOptions(recipe, out, PrecisionChoice{}, objective.totalSteps());
    options.writeModels = !settings.outputFolder.empty();
    TrainingEngine tuner(objective, tokenizer_.get(), options, torch::Device(torch::kCPU));
    const auto start = std::chrono::steady_clock::now();
    RunOutcome outcome = tuner.run();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const TaskMetrics best = outcome.evaluation.best.value_or(TaskMetrics());
    qInfo("%s: %lld steps in %.1f s, best %s %.4f", adapter.architecture().c_str(),
          static_cast<long long>(outcome.step), seconds, best.mainMetric.c_str(), best.main());
    return outcome;
  }

  std::unique_ptr<TaskAdapter> adapterFor(const std::string& task, const TaskDataset& train,
                                          const TaskDataset& dev,
                                          const std::vector<std::string>& labels,
                                          TaskAdapterOptions options = {}) {
    const std::optional<FinetuneTask> known = finetuneTaskFromName(task);
    const TaskKind kind = known ? taskKindOf(*known) : TaskKind::SequenceClassification;
    TaskLoadResult loaded = loadForTask(checkpoint_, kind, 0, labels);
    return makeTaskAdapter(task, std::move(loaded.model), *tokenizer_, train, dev, options);
  }

  std::pair<TextDataset, TextDataset> readTexts(const std::string& trainPath,
                                                const std::string& devPath, bool pair) {
    TextReadOptions read;
    if (pair) read.columnB = ColumnChoice::at(1);
    TextDataset train = readTextDataset(trainPath, read);
    read.labelSet = train.labels;
    TextDataset dev = readTextDataset(devPath, read);
    train.examples = firstOf(train.examples, kClassificationTrainExamples);
    return {train, dev};
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    torch::set_num_threads(std::max(1u, std::thread::hardware_concurrency()));
    setup_ = prepareDemoPretraining(dir_.filePath("demo").toStdString());
    tokenizer_ = loadTokenizer(setup_.tokenizerFolder);
    QVERIFY(tokenizer_->vocabSize() <=
            kDemoVocabularySize);  // the trainer stops when no pair repeats
    const BertConfig config = presetConfig("tiny", tokenizer_->vocabSize());
    BertForPreTraining model(config);
    initializeBertWeights(*model, config.initializer_range, kWeightSeed);
    checkpoint_ = dir_.filePath("tiny").toStdString();
    saveCheckpoint(checkpoint_, config, *model, "BertForPreTraining", std::nullopt,
                   tokenizer_.get());
  }

  void sentimentBeatsMajority() {
    const auto [train, dev] =
        readTexts(setup_.world.sentimentTrain, setup_.world.sentimentDev, false);
    auto adapter = adapterFor("classify", train, dev, train.labels);
    const RunOutcome outcome = fineTune(*adapter, {});
    QCOMPARE(outcome.end, RunEnd::Finished);
    const double baseline = majorityShare(dev);
    qInfo("sentiment dev accuracy %.3f, majority share %.3f",
          outcome.evaluation.best->values.at("accuracy"), baseline);
    QVERIFY(outcome.evaluation.best->values.at("accuracy") > baseline + kClassificationMargin);
    QCOMPARE(adapter->predictions().size(), dev.examples.size());
  }

  void entailmentBeatsMajority() {
    const auto [train, dev] =
        readTexts(setup_.world.entailmentTrain, setup_.world.entailmentDev, true);
    auto adapter = adapterFor("pair", train, dev, train.labels);
    const RunOutcome outcome = fineTune(*adapter, {});
    QCOMPARE(outcome.end, RunEnd::Finished);
    const double baseline = majorityShare(dev);
    qInfo("entailment dev accuracy %.3f, majority share %.3f",
          outcome.evaluation.best->values.at("accuracy"), baseline);
    QVERIFY(outcome.evaluation.best->values.at("accuracy") > baseline + kClassificationMargin);
  }

  void nerBeatsAllOutside() {
    TaggedDataset train = readTaggedDataset(setup_.world.nerTrain);
    TaggedReadOptions read;
    read.labelSet = train.labels;
    const TaggedDataset dev = readTaggedDataset(setup_.world.nerDev, read);
    train.sentences = firstOf(train.sentences, kTaggingTrainSentences);
    auto adapter = adapterFor("tag", train, dev, train.labels);
    const RunOutcome outcome = fineTune(*adapter, {});
    QCOMPARE(outcome.end, RunEnd::Finished);
    qInfo("NER dev entity F1 %.3f (all-O baseline 0)", outcome.evaluation.best->values.at("f1"));
    QVERIFY(outcome.evaluation.best->values.at("f1") > kEntityF1Floor);
  }

  void qaBeatsFirstWord() {
    QaDataset train = readQaDataset(setup_.world.qaTrain);
    QaDataset dev = readQaDataset(setup_.world.qaDev);
    train.examples = firstOf(train.examples, kQaTrainQuestions);
    dev.examples = firstOf(dev.examples, kQaDevQuestions);
    TaskAdapterOptions options;
    options.maxSeqLength = kQaMaxSeqLength;
    options.docStride = kQaDocStride;
    auto adapter = adapterFor("qa", train, dev, {}, options);
    // Span pointing learns slower from scratch than classification: a higher rate and smaller
    // batches (measured on 2 cores: 1e-3 × 32 for 3 epochs reaches F1 ~23). At 2e-3 × 16 the
    // model takes off during the third epoch, at a step that depends on the weights' seed:
    // after 3 epochs F1 was 32, 65 and 56 for seeds 7, 8 and 9; after 4 epochs 86.7, 87.5 and
    // 87.2 (~50 s), so the test trains 4.
    RunSettings settings;
    settings.epochs = 4;
    settings.learningRate = 2e-3;
    settings.batchSize = 16;
    const RunOutcome outcome = fineTune(*adapter, settings);
    QCOMPARE(outcome.end, RunEnd::Finished);
    const double baseline = firstWordF1(dev);
    qInfo("QA dev F1 %.1f (EM %.1f), first-word baseline F1 %.1f",
          outcome.evaluation.best->values.at("f1"), outcome.evaluation.best->values.at("exact"),
          baseline);
    QVERIFY(outcome.evaluation.best->values.at("f1") > baseline + kQaF1Margin);
  }

  void frozenEncoderChangesOnlyTheHead() {
    auto [train, dev] = readTexts(setup_.world.sentimentTrain, setup_.world.sentimentDev, false);
    train.examples = firstOf(train.examples, 256);
    auto adapter = adapterFor("classify", train, dev, train.labels);
    std::map<std::string, torch::Tensor> before;
    for (const auto& p : adapter->model().named_parameters())
      before[p.key()] = p.value().detach().clone();
    RunSettings settings;
    settings.epochs = 1;
    settings.frozenEncoder = true;
    QCOMPARE(fineTune(*adapter, settings).end, RunEnd::Finished);
    int encoderWeights = 0, headWeightsChanged = 0;
    for (const auto& p : adapter->model().named_parameters()) {
      const bool same = torch::equal(before.at(p.key()), p.value());
      if (p.key().rfind("bert.", 0) == 0) {
        ++encoderWeights;
        QVERIFY2(same, p.key().c_str());
      } else if (!same) {
        ++headWeightsChanged;
      }
    }
    QVERIFY(encoderWeights > 0);
    QVERIFY(headWeightsChanged > 0);  // the head did train
  }

  void runWritesMetricsAndBestModel() {
    auto [train, dev] = readTexts(setup_.world.sentimentTrain, setup_.world.sentimentDev, false);
    train.examples = firstOf(train.examples, 320);
    auto adapter = adapterFor("classify", train, dev, train.labels);
    RunSettings settings;
    settings.epochs = 1;
    settings.evalEvery = 5;
    settings.outputFolder = dir_.filePath("run").toStdString();
    QCOMPARE(fineTune(*adapter, settings).end, RunEnd::Finished);
    int stepLines = 0, evalLines = 0;
    for (const nlohmann::json& line : readJsonLines(settings.outputFolder + "/metrics.jsonl")) {
      if (line.value("eval", false)) {
        ++evalLines;
        QVERIFY(line.contains("accuracy"));
      } else if (line.contains("loss")) {
        ++stepLines;
      }
    }
    QVERIFY(stepLines >= 1);
    QCOMPARE(evalLines, 2);  // steps 5 and 10 (the epoch's end)
    const std::filesystem::path best = std::filesystem::path(settings.outputFolder) / "best";
    QVERIFY(std::filesystem::exists(best / "config.json"));
    const nlohmann::json results = nlohmann::json::parse(std::ifstream(best / "eval_results.json"));
    QCOMPARE(results.value("main_metric", std::string()), std::string("accuracy"));
    // The saved best model reloads as a classifier with the data's labels.
    QCOMPARE(loadForTask(best.string(), TaskKind::SequenceClassification).model.labels,
             train.labels);
  }

  void wrongDataOrLabelsAreErrors() {
    const auto [train, dev] =
        readTexts(setup_.world.sentimentTrain, setup_.world.sentimentDev, false);
    QVERIFY(errorOf([&] {
              adapterFor("tag", train, dev, {"O", "B-PER", "I-PER"});
            }).contains("CoNLL"));
    QVERIFY(errorOf([&] {
              adapterFor("classify", train, dev, {"neg", "pos"});
            }).contains("labels"));
    QVERIFY(
        errorOf([&] { adapterFor("sing", train, dev, train.labels); }).contains("unknown task"));
  }
};

QTEST_GUILESS_MAIN(TestFinetuning)
#include "test_finetuning.moc"
