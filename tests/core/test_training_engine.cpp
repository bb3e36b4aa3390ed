// The training engine itself: pre-training and fine-tuning run the same phases in the same
// order; the precision policy (auto follows the hardware, explicit choices that cannot run
// are refused with a reason); bf16 autocast on the CPU follows fp32 closely, resumes
// exactly and writes fp32 checkpoints; fine-tuning gains checkpoints and exact resumption
// from the engine.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "data/corpus.h"
#include "data/instance_stream.h"
#include "finetune/task_adapters.h"
#include "io/safetensors.h"
#include "io/task_model_io.h"
#include "model/initialization.h"
#include "model/presets.h"
#include "tasks/glue_reader.h"
#include "test_support.h"
#include "train/demo_pretraining.h"
#include "train/run_setup.h"
#include "train/training_checkpoint.h"
#include "util/error.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

// bf16 keeps 8 significant bits, but a loss averages thousands of terms: over the first 10
// steps of the same run each logged loss stays within 1% of fp32's (measured on this small
// model: at most 0.01%).
constexpr double kBf16LossTolerance = 0.01;

std::vector<nlohmann::json> readLines(const std::string& outputFolder) {
  return bertwb::test::readJsonLines(outputFolder + "/metrics.jsonl");
}

std::vector<double> lossesOf(const std::string& outputFolder) {
  std::vector<double> losses;
  for (const auto& line : readLines(outputFolder))
    if (!line.value("eval", false)) losses.push_back(line.at("loss").get<double>());
  return losses;
}

class StopAt final : public TrainingEvents {
 public:
  StopAt(CancelFlag& flag, int64_t step) : flag_(flag), step_(step) {}
  void onStep(const StepMetrics& m) override {
    if (m.step == step_) flag_.request();
  }
  RunStart start;
  std::vector<EvaluationEvent> evaluations;
  void onStarted(const RunStart& s) override { start = s; }
  void onEvaluation(const EvaluationEvent& e) override { evaluations.push_back(e); }

 private:
  CancelFlag& flag_;
  int64_t step_;
};

PrecisionChoice choice(Precision precision) {
  return {precision, precisionName(precision)};
}

}  // namespace

class TestTrainingEngine : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  DemoPretrainingSetup setup_;
  std::unique_ptr<Tokenizer> tokenizer_;
  TokenizedCorpus corpus_;
  int runs_ = 0;

  std::string freshFolder(const char* name) {
    return dir_.filePath(QString("%1-%2").arg(name).arg(++runs_)).toStdString();
  }

  BertConfig smallConfig(bool dropout = true) const {
    BertConfig c = presetConfig("tiny", tokenizer_->vocabSize(), 64);
    c.hidden_size = 64;
    c.num_attention_heads = 2;
    c.intermediate_size = 128;
    if (!dropout) c.hidden_dropout_prob = c.attention_probs_dropout_prob = 0;
    return c;
  }

  BertForPreTraining freshModel(uint64_t seed = 7) const {
    BertForPreTraining model(smallConfig());
    initializeBertWeights(*model, model->config().initializer_range, seed);
    return model;
  }

  PretrainingRecipe shortRecipe(int64_t steps) const {
    PretrainingRecipe r;
    r.steps = steps;
    r.batchSize = 8;
    r.maxSeqLength = 64;
    r.learningRate = 1e-3;
    r.warmupSteps = 2;
    r.logEvery = 1;
    r.saveEvery = 0;
    r.probeEvery = 0;
    return r;
  }

  // A pre-training run of the small model: its metrics.jsonl and outcome.
  RunOutcome pretrain(const std::string& out, const PretrainingRecipe& r, Precision precision,
                      TrainingEvents* events = nullptr, const CancelFlag* cancel = nullptr,
                      bool resume = false, std::function<void(TrainingPhase)> phases = {}) {
    PretrainingSampler sampler(corpus_, samplerVocabulary(*tokenizer_), pretrainingDataOptions(r));
    CorpusInstanceStream data(sampler, 3);
    PretrainingObjective objective(freshModel(resume ? 99 : 7), *tokenizer_, data,
                                   pretrainingObjectiveOptions(r));
    TrainingRunOptions options = pretrainingRunOptions(r, out, choice(precision));
    options.phaseObserver = std::move(phases);
    TrainingEngine engine(objective, tokenizer_.get(), options, torch::kCPU);
    if (resume) engine.resumeFrom(engine.latestCheckpoint());
    return engine.run(events, cancel);
  }

  std::unique_ptr<TaskAdapter> sentimentAdapter(size_t examples) const {
    TextDataset train = readTextDataset(setup_.world.sentimentTrain, {});
    TextReadOptions devOptions;
    devOptions.labelSet = train.labels;
    TextDataset dev = readTextDataset(setup_.world.sentimentDev, devOptions);
    train.examples.resize(std::min(examples, train.examples.size()));
    dev.examples.resize(std::min<size_t>(64, dev.examples.size()));
    TaskModel model = makeTaskModel(smallConfig(), TaskKind::SequenceClassification, train.labels);
    initializeBertWeights(*model.module(), model.config.initializer_range, 5);
    TaskAdapterOptions options;
    options.maxSeqLength = 64;
    return makeTaskAdapter("classify", std::move(model), *tokenizer_, train, dev, options);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    setup_ = prepareDemoPretraining(dir_.filePath("demo").toStdString());
    tokenizer_ = loadTokenizer(setup_.tokenizerFolder);
    corpus_ = readCorpus({setup_.world.corpus}, *tokenizer_);
  }

  void bothObjectivesRunTheSamePhasesInOrder() {
    std::vector<TrainingPhase> pretraining, finetuning;
    PretrainingRecipe r = shortRecipe(3);
    r.accumulate = 2;
    QCOMPARE(pretrain(freshFolder("phases"), r, Precision::Fp32, nullptr, nullptr, false,
                      [&](TrainingPhase p) { pretraining.push_back(p); })
                 .end,
             RunEnd::Finished);

    auto adapter = sentimentAdapter(48);  // 3 steps of 2 micro-batches of 8
    FinetuningRecipe f;
    f.epochs = 1;
    f.batchSize = 8;
    f.accumulate = 2;
    f.logEvery = 1;
    FinetuningObjective objective(*adapter, finetuningObjectiveOptions(f));
    QCOMPARE(objective.totalSteps(), int64_t{3});
    TrainingRunOptions options =
        finetuningRunOptions(f, freshFolder("phases"), choice(Precision::Fp32), 3);
    options.writeModels = false;
    options.phaseObserver = [&](TrainingPhase p) { finetuning.push_back(p); };
    TrainingEngine engine(objective, tokenizer_.get(), options, torch::kCPU);
    QCOMPARE(engine.run().end, RunEnd::Finished);

    // Each step: schedule, data, (forward, backward) per micro-batch, clip, update, log.
    const std::vector<TrainingPhase> step = {
        TrainingPhase::Schedule, TrainingPhase::LoadData,      TrainingPhase::Forward,
        TrainingPhase::Backward, TrainingPhase::Forward,       TrainingPhase::Backward,
        TrainingPhase::Clip,     TrainingPhase::OptimizerStep, TrainingPhase::Log};
    std::vector<TrainingPhase> threeSteps;
    for (int i = 0; i < 3; ++i) threeSteps.insert(threeSteps.end(), step.begin(), step.end());
    // Pre-training ends with its checkpoint; fine-tuning evaluates at the epoch's end.
    std::vector<TrainingPhase> expectedPretraining = threeSteps, expectedFinetuning = threeSteps;
    expectedPretraining.push_back(TrainingPhase::Checkpoint);
    expectedFinetuning.push_back(TrainingPhase::Evaluate);
    auto names = [](const std::vector<TrainingPhase>& phases) {
      QStringList list;
      for (TrainingPhase p : phases) list << trainingPhaseName(p);
      return list.join(' ');
    };
    QCOMPARE(names(pretraining), names(expectedPretraining));
    QCOMPARE(names(finetuning), names(expectedFinetuning));
  }

  void autoPrecisionFollowsTheHardware() {
    const torch::Device cpu(torch::kCPU);
    PrecisionSupport native;
    native.nativeBf16 = true;
    native.hardware = "AVX512-BF16";
    PrecisionSupport none;
    none.hardware = "no AVX512-BF16 or AMX";

    const PrecisionChoice withBf16 = resolvePrecision(PrecisionRequest::Auto, cpu, native);
    QCOMPARE(withBf16.precision, Precision::Bf16);
    QVERIFY(QString::fromStdString(withBf16.reason).contains("AVX512-BF16"));
    const PrecisionChoice without = resolvePrecision(PrecisionRequest::Auto, cpu, none);
    QCOMPARE(without.precision, Precision::Fp32);
    QVERIFY2(QString::fromStdString(without.reason).contains("slower"), without.reason.c_str());

    // fp32 always runs; an explicit bf16 without native support and fp16 on a CPU are refused.
    QCOMPARE(resolvePrecision(PrecisionRequest::Fp32, cpu, native).precision, Precision::Fp32);
    QCOMPARE(resolvePrecision(PrecisionRequest::Bf16, cpu, native).precision, Precision::Bf16);
    const QString refused = errorOf([&] { resolvePrecision(PrecisionRequest::Bf16, cpu, none); });
    QVERIFY2(refused.contains("emulated") && refused.contains("--precision fp32"),
             qPrintable(refused));
    QVERIFY(
        errorOf([&] { resolvePrecision(PrecisionRequest::Fp16, cpu, native); }).contains("CUDA"));
    QVERIFY(errorOf([] { precisionRequestFromName("fp8"); }).contains("auto, fp32, bf16 or fp16"));

    // This machine's own answer is one of the two, with a reason.
    const PrecisionChoice here = resolvePrecision(PrecisionRequest::Auto, cpu);
    qInfo("this CPU: %s", here.reason.c_str());
    QCOMPARE(here.precision == Precision::Bf16, detectPrecisionSupport(cpu).nativeBf16);
  }

  void autocastScopeLowersMatrixProductsAndRestores() {
    torch::nn::Linear linear(8, 4);
    const torch::Tensor x = torch::randn({2, 8});
    {
      AutocastScope outer(torch::kCPU, Precision::Bf16);
      QCOMPARE(linear(x).scalar_type(), torch::kBFloat16);
      {
        AutocastScope fp32(torch::kCPU, Precision::Fp32);  // does nothing: still lowered
        QCOMPARE(linear(x).scalar_type(), torch::kBFloat16);
      }
      QCOMPARE(linear(x).scalar_type(), torch::kBFloat16);
    }
    QCOMPARE(linear(x).scalar_type(), torch::kFloat32);

    // The model under bf16: attention weights and hidden states come back fp32 (LayerNorm
    // and softmax in fp32), MLM logits at the masked positions in bf16.
    BertForPreTraining model = freshModel();
    model->eval();
    const torch::Tensor ids = torch::randint(5, 100, {2, 16}, torch::kInt64);
    torch::NoGradGuard noGrad;
    AutocastScope autocast(torch::kCPU, Precision::Bf16);
    ForwardOptions options;
    options.outputAttentions = true;
    const PreTrainingOutput out = model->forward(BertInputs{ids, {}, {}}, torch::Tensor(), options);
    QCOMPARE(out.bert.lastHiddenState.scalar_type(), torch::kFloat32);
    QCOMPARE(out.bert.attentions.front().scalar_type(), torch::kFloat32);
    QVERIFY(
        torch::allclose(out.bert.attentions.front().sum(-1), torch::ones({2, 2, 16}), 1e-4, 1e-4));
  }

  void bf16LossesFollowFp32() {
    const PretrainingRecipe r = shortRecipe(10);
    const std::string fp32 = freshFolder("fp32"), bf16 = freshFolder("bf16");
    QCOMPARE(pretrain(fp32, r, Precision::Fp32).end, RunEnd::Finished);
    CancelFlag unused;
    StopAt never(unused, -1);
    QCOMPARE(pretrain(bf16, r, Precision::Bf16, &never).end, RunEnd::Finished);
    QCOMPARE(QString::fromStdString(never.start.precision), QString("bf16"));
    const std::vector<double> a = lossesOf(fp32), b = lossesOf(bf16);
    QCOMPARE(a.size(), size_t{10});
    QCOMPARE(b.size(), size_t{10});
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]) / a[i]);
    qInfo("bf16 vs fp32 over 10 steps: largest relative loss difference %.4f%%", 100 * worst);
    QVERIFY2(worst < kBf16LossTolerance, qPrintable(QString::number(worst)));
    QVERIFY(worst > 0);  // it did run in bf16
    QCOMPARE(QString::fromStdString(readLines(bf16).back().at("precision").get<std::string>()),
             QString("bf16"));
  }

  void bf16ResumesExactlyAndSavesFp32() {
    const PretrainingRecipe r = shortRecipe(6);
    const std::string whole = freshFolder("bf16-whole"), split = freshFolder("bf16-split");
    QCOMPARE(pretrain(whole, r, Precision::Bf16).end, RunEnd::Finished);
    CancelFlag cancel;
    StopAt stopAt(cancel, 3);
    QCOMPARE(pretrain(split, r, Precision::Bf16, &stopAt, &cancel).end, RunEnd::Cancelled);
    QCOMPARE(pretrain(split, r, Precision::Bf16, nullptr, nullptr, /*resume=*/true).end,
             RunEnd::Finished);
    const std::vector<double> a = lossesOf(whole), b = lossesOf(split);
    QCOMPARE(b.size(), a.size());
    for (size_t i = 0; i < a.size(); ++i)
      QVERIFY2(std::abs(a[i] - b[i]) < 1e-6,
               qPrintable(QString("step %1: %2 vs %3").arg(i + 1).arg(a[i]).arg(b[i])));

    // Every tensor on disk is fp32 (master weights), and the state records the precision.
    const auto checkpoints = listTrainingCheckpoints(split);
    QVERIFY(!checkpoints.empty());
    for (const std::string& folder : {checkpoints.back().folder, split}) {
      SafetensorsReader weights(folder + "/model.safetensors");
      for (const SafetensorsEntry& entry : weights.entries())
        QCOMPARE(QString::fromStdString(entry.dtype), QString("F32"));
    }
    const TrainerState state = loadTrainerState(checkpoints.back().folder);
    QCOMPARE(QString::fromStdString(state.run.at("precision").get<std::string>()), QString("bf16"));
  }

  void fineTuningResumesExactlyThroughTheEngine() {
    FinetuningRecipe f;
    f.epochs = 2;
    f.batchSize = 16;
    f.learningRate = 1e-3;
    f.logEvery = 1;
    auto run = [&](const std::string& out, bool resume, TrainingEvents* events,
                   const CancelFlag* cancel) {
      auto adapter = sentimentAdapter(64);  // 4 steps an epoch
      FinetuningObjective objective(*adapter, finetuningObjectiveOptions(f));
      TrainingRunOptions options =
          finetuningRunOptions(f, out, choice(Precision::Fp32), objective.totalSteps());
      options.checkpoints = true;
      TrainingEngine engine(objective, tokenizer_.get(), options, torch::kCPU);
      if (resume) engine.resumeFrom(engine.latestCheckpoint());
      return engine.run(events, cancel);
    };
    const std::string whole = freshFolder("ft-whole"), split = freshFolder("ft-split");
    CancelFlag unused;
    StopAt events(unused, -1);
    const RunOutcome reference = run(whole, false, &events, nullptr);
    QCOMPARE(reference.end, RunEnd::Finished);
    // An evaluation at each epoch's end, with the classification details the views draw.
    QCOMPARE(static_cast<int>(events.evaluations.size()), 2);
    QCOMPARE(events.evaluations.back().step, int64_t{8});
    QCOMPARE(events.evaluations.back().epoch, 2.0);
    QVERIFY(events.evaluations.back().details.classification.has_value());
    QCOMPARE(events.evaluations.back().details.labels.size(), size_t{2});
    QCOMPARE(events.evaluations.back().details.scoredExamples, int64_t{64});
    CancelFlag cancel;
    StopAt stopAt(cancel, 3);  // mid-epoch
    QCOMPARE(run(split, false, &stopAt, &cancel).end, RunEnd::Cancelled);
    const RunOutcome resumed = run(split, true, nullptr, nullptr);
    QCOMPARE(resumed.end, RunEnd::Finished);
    const std::vector<double> a = lossesOf(whole), b = lossesOf(split);
    QCOMPARE(a.size(), size_t{8});
    QCOMPARE(b.size(), a.size());
    for (size_t i = 0; i < a.size(); ++i) QVERIFY(std::abs(a[i] - b[i]) < 1e-6);
    QVERIFY(reference.evaluation.best && resumed.evaluation.best);
    QCOMPARE(resumed.evaluation.best->main(), reference.evaluation.best->main());
    QCOMPARE(resumed.evaluation.bestStep, reference.evaluation.bestStep);
    QVERIFY(std::filesystem::exists(split + "/best/model.safetensors"));
    QVERIFY(std::filesystem::exists(split + "/eval_results.json"));
  }

  // The instances' settings are part of the run: recorded in trainer_state.json, and a resume
  // asked to make its instances otherwise is refused, naming the setting and the step.
  void aResumeWithOtherMaskingIsRefusedByName() {
    const std::string out = freshFolder("masking");
    PretrainingRecipe r = shortRecipe(2);
    r.maskedLmProb = 0.3;
    r.randomTokenShare = 0.05;
    QCOMPARE(pretrain(out, r, Precision::Fp32).end, RunEnd::Finished);
    const TrainerState state = loadTrainerState(out + "/checkpoint-000002");
    QCOMPARE(state.run["data"]["masked_lm_prob"].get<double>(), 0.3);
    QCOMPARE(state.run["data"]["random_token_share"].get<double>(), 0.05);
    QCOMPARE(state.run["data"]["max_predictions_per_seq"].get<int>(), 20);

    r.steps = 4;
    r.randomTokenShare = 0.1;
    const QString refused =
        errorOf([&] { pretrain(out, r, Precision::Fp32, nullptr, nullptr, true); });
    QVERIFY2(refused.contains("(step 2)") &&
                 refused.contains("data.random_token_share 0.05, this run asks for 0.1"),
             qPrintable(refused));
  }

  // Two runs on one folder: the second is refused at once, naming the first, and the first
  // is untouched; a crashed holder's lock is gone with it (the kernel drops it).
  void aSecondRunOnTheSameFolderIsRefused() {
    const std::string out = freshFolder("locked");
    const PretrainingRecipe r = shortRecipe(2);
    PretrainingSampler sampler(corpus_, samplerVocabulary(*tokenizer_), pretrainingDataOptions(r));
    CorpusInstanceStream data(sampler, 3);
    PretrainingObjective first(freshModel(), *tokenizer_, data, pretrainingObjectiveOptions(r));
    TrainingEngine running(first, tokenizer_.get(),
                           pretrainingRunOptions(r, out, choice(Precision::Fp32)), torch::kCPU);
    CorpusInstanceStream otherData(sampler, 3);
    PretrainingObjective second(freshModel(), *tokenizer_, otherData,
                                pretrainingObjectiveOptions(r));
    const QString refused = errorOf([&] {
      TrainingEngine(second, tokenizer_.get(),
                     pretrainingRunOptions(r, out, choice(Precision::Fp32)), torch::kCPU);
    });
    QVERIFY2(refused.contains("is in use by process"), qPrintable(refused));
    QCOMPARE(running.run().end, RunEnd::Finished);
  }

  // A failure inside a step (here: the data source breaks at step 4) saves the last
  // completed step first and says so; resuming continues from it as if nothing had happened.
  void aFailureSavesTheLastCompletedStep() {
    class BreakingSource final : public InstanceSource {
     public:
      BreakingSource(InstanceSource& inner, uint64_t breakAt) : inner_(inner), breakAt_(breakAt) {}
      PretrainingInstance next() override {
        if (inner_.position() == breakAt_) throw Error("instances.jsonl:1001: not valid JSON");
        return inner_.next();
      }
      uint64_t position() const override { return inner_.position(); }
      void skipTo(uint64_t position) override { inner_.skipTo(position); }
      int64_t epoch() const override { return inner_.epoch(); }

     private:
      InstanceSource& inner_;
      uint64_t breakAt_;
    };
    PretrainingRecipe r = shortRecipe(6);
    const std::string whole = freshFolder("unbroken"), broken = freshFolder("broken");
    QCOMPARE(pretrain(whole, r, Precision::Fp32).end, RunEnd::Finished);
    PretrainingSampler sampler(corpus_, samplerVocabulary(*tokenizer_), pretrainingDataOptions(r));
    {
      CorpusInstanceStream data(sampler, 3);
      BreakingSource breaking(data, /*breakAt=*/3 * 8 + 5);  // in the middle of step 4's batch
      PretrainingObjective objective(freshModel(), *tokenizer_, breaking,
                                     pretrainingObjectiveOptions(r));
      TrainingEngine engine(objective, tokenizer_.get(),
                            pretrainingRunOptions(r, broken, choice(Precision::Fp32)), torch::kCPU);
      const RunOutcome outcome = engine.run();
      QCOMPARE(outcome.end, RunEnd::Failed);
      QVERIFY2(QString::fromStdString(outcome.message).contains("instances.jsonl:1001") &&
                   QString::fromStdString(outcome.message).contains("checkpoint-000003"),
               outcome.message.c_str());
    }
    QCOMPARE(listTrainingCheckpoints(broken).back().step, int64_t{3});
    QCOMPARE(pretrain(broken, r, Precision::Fp32, nullptr, nullptr, /*resume=*/true).end,
             RunEnd::Finished);
    const std::vector<double> a = lossesOf(whole), b = lossesOf(broken);
    QCOMPARE(b.size(), a.size());
    for (size_t i = 0; i < a.size(); ++i) QVERIFY(std::abs(a[i] - b[i]) < 1e-6);
  }
};

QTEST_GUILESS_MAIN(TestTrainingEngine)
#include "test_training_engine.moc"
