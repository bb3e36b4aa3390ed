// The pieces of the pre-training loop, each against its definition: the learning-rate
// schedule, AdamW's weight-decay exclusions, the MLM + NSP loss, checkpoint bookkeeping.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "data/collator.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "model/presets.h"
#include "test_support.h"
#include "train/lr_schedule.h"
#include "train/optimizer.h"
#include "train/pretraining_loss.h"
#include "train/training_checkpoint.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

BertConfig smallConfig() {
  BertConfig config = presetConfig("tiny", 120, 64);
  config.hidden_size = 32;
  config.num_attention_heads = 2;
  config.intermediate_size = 64;
  return config;
}

PretrainingInstance instance(std::vector<int32_t> tokens, std::vector<MaskedPosition> masked,
                             bool randomNext) {
  PretrainingInstance i;
  i.tokens = std::move(tokens);
  i.segmentIds.assign(i.tokens.size(), 0);
  i.masked = std::move(masked);
  i.isRandomNext = randomNext;
  return i;
}

}  // namespace

class TestTrainingParts : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void linearScheduleWarmsUpThenDecaysToZero() {
    const LrSchedule s{1e-3, 10, 100, LrScheduleKind::Linear};
    QCOMPARE(learningRateAt(s, 0), 1e-4);  // the first step already moves
    QCOMPARE(learningRateAt(s, 4), 5e-4);
    QCOMPARE(learningRateAt(s, 9), 1e-3);
    QCOMPARE(learningRateAt(s, 10), 1e-3);
    QVERIFY(std::abs(learningRateAt(s, 55) - 0.5e-3) < 1e-12);
    QVERIFY(std::abs(learningRateAt(s, 99) - 1e-3 / 90) < 1e-12);
    QCOMPARE(learningRateAt(s, 100), 0.0);
    QCOMPARE(learningRateAt(s, 150), 0.0);  // past the end: stays at 0
  }

  void cosineAndConstantSchedules() {
    const LrSchedule cosine{2e-4, 0, 100, LrScheduleKind::Cosine};
    QCOMPARE(learningRateAt(cosine, 0), 2e-4);
    QVERIFY(std::abs(learningRateAt(cosine, 50) - 1e-4) < 1e-12);
    QVERIFY(learningRateAt(cosine, 100) < 1e-12);
    const LrSchedule constant{3e-5, 4, 100, LrScheduleKind::Constant};
    QCOMPARE(learningRateAt(constant, 1), 1.5e-5);
    QCOMPARE(learningRateAt(constant, 80), 3e-5);
    QCOMPARE(lrScheduleKindFromName("cosine"), LrScheduleKind::Cosine);
    QVERIFY(errorOf([] { lrScheduleKindFromName("exp"); }).contains("linear, constant or cosine"));
  }

  void weightDecaySkipsLayerNormAndBiasesByName() {
    QVERIFY(excludedFromWeightDecay("bert.encoder.layer.0.attention.output.LayerNorm.weight"));
    QVERIFY(excludedFromWeightDecay("bert.encoder.layer.0.attention.self.query.bias"));
    QVERIFY(excludedFromWeightDecay("cls.predictions.bias"));
    QVERIFY(excludedFromWeightDecay("bert.embeddings.LayerNorm.gamma"));
    QVERIFY(!excludedFromWeightDecay("bert.embeddings.word_embeddings.weight"));
    QVERIFY(!excludedFromWeightDecay("bert.encoder.layer.1.intermediate.dense.weight"));

    BertForPreTraining model(smallConfig());
    const ParameterSplit split = splitForWeightDecay(*model);
    for (const auto& name : split.noDecayNames)
      QVERIFY2(
          name.find("bias") != std::string::npos || name.find("LayerNorm") != std::string::npos,
          name.c_str());
    for (const auto& name : split.decayNames)
      QVERIFY2(!excludedFromWeightDecay(name), name.c_str());
    // Tiny: per layer 6 weight matrices; plus 3 embedding tables, pooler, MLM transform, NSP.
    QCOMPARE(static_cast<int>(split.decayNames.size()), 2 * 6 + 3 + 1 + 1 + 1);
    // The tied decoder is the word-embedding table: trained once, not twice.
    int64_t unique = 0;
    for (const auto& p : split.decay) unique += p.numel();
    for (const auto& p : split.noDecay) unique += p.numel();
    int64_t all = 0;
    for (const auto& p : model->parameters()) all += p.numel();
    QCOMPARE(unique, all);
  }

  void adamWDecaysOnlyTheDecayGroup() {
    BertForPreTraining model(smallConfig());
    initializeBertWeights(*model, 0.02, 1);
    torch::nn::init::constant_(model->bert->embeddings->LayerNorm->weight, 0.5);
    AdamWSettings settings;
    settings.learningRate = 0.1;
    settings.weightDecay = 0.5;
    auto optimizer = makeAdamW(*model, settings);
    const std::string queryName = "bert.encoder.layer.0.attention.self.query.weight";
    const torch::Tensor query = model->named_parameters()[queryName].detach().clone();
    const torch::Tensor layerNorm = model->bert->embeddings->LayerNorm->weight.detach().clone();
    for (auto& p : model->parameters())
      p.mutable_grad() = torch::zeros_like(p);  // only decay moves weights
    optimizer->step();
    // Decoupled decay: w ← w − lr·λ·w = w·(1 − 0.05).
    QVERIFY(torch::allclose(model->named_parameters()[queryName], query * 0.95, 1e-6, 1e-7));
    QVERIFY(torch::equal(model->bert->embeddings->LayerNorm->weight, layerNorm));
    setLearningRate(*optimizer, 0.25);
    for (const auto& group : optimizer->param_groups())
      QCOMPARE(static_cast<const torch::optim::AdamWOptions&>(group.options()).lr(), 0.25);
    // BERT's Adam settings.
    const auto& options =
        static_cast<const torch::optim::AdamWOptions&>(optimizer->param_groups()[0].options());
    QCOMPARE(options.eps(), 1e-6);
    QCOMPARE(std::get<0>(options.betas()), 0.9);
    QCOMPARE(std::get<1>(options.betas()), 0.999);
  }

  void lossIsCrossEntropyAtMaskedPositionsOnly() {
    torch::manual_seed(3);
    // Two sequences; the first predicts 2 positions, the second 1 (one padded slot).
    const auto batch = collatePretraining(
        {instance({2, 10, 11, 3, 12, 3}, {{1, 40, MaskKind::Mask}, {4, 41, MaskKind::Keep}}, false),
         instance({2, 13, 3, 14, 15, 3}, {{3, 42, MaskKind::Random}}, true)},
        0);
    PreTrainingOutput output;
    output.predictionLogits = torch::randn({2, 2, 120});
    output.seqRelationshipLogits = torch::randn({2, 2});
    const auto loss = pretrainingLoss(output, batch, true, {3, 2});
    const auto logSoftmax = torch::log_softmax(output.predictionLogits, -1);
    const double expectedMlm =
        -(logSoftmax[0][0][40].item<double>() + logSoftmax[0][1][41].item<double>() +
          logSoftmax[1][0][42].item<double>()) /
        3;
    const auto nspLog = torch::log_softmax(output.seqRelationshipLogits, -1);
    const double expectedNsp = -(nspLog[0][0].item<double>() + nspLog[1][1].item<double>()) / 2;
    QVERIFY(std::abs(loss.mlm.item<double>() - expectedMlm) < 1e-5);
    QVERIFY(std::abs(loss.nsp.item<double>() - expectedNsp) < 1e-5);
    QVERIFY(std::abs(loss.total.item<double>() - expectedMlm - expectedNsp) < 1e-5);
    QCOMPARE(loss.mlmCount, int64_t{3});  // the padded slot is never predicted
    QCOMPARE(loss.nspCount, int64_t{2});

    const auto noNsp = pretrainingLoss(output, batch, false, {3, 2});
    QCOMPARE(noNsp.nsp.item<double>(), 0.0);
    QVERIFY(std::abs(noNsp.total.item<double>() - expectedMlm) < 1e-5);
  }

  void checkpointsAreListedPrunedAndStagingIgnored() {
    QTemporaryDir dir;
    const std::string out = dir.path().toStdString();
    BertForPreTraining model(smallConfig());
    auto optimizer = makeAdamW(*model, {});
    for (int64_t step : {10, 20, 30}) {
      TrainerState state;
      state.step = step;
      state.data = {{"data_position", static_cast<uint64_t>(step) * 8}};
      saveTrainingCheckpoint(out, model->config(), *model, "BertForPreTraining", nullptr,
                             *optimizer, state, {torch::kCPU});
    }
    // A save killed half-way leaves a hidden staging folder, and a folder with no state
    // file is not a checkpoint: neither is ever picked for resuming.
    std::filesystem::create_directories(out + "/.checkpoint-000040.partial");
    std::filesystem::create_directories(out + "/checkpoint-000050");
    auto list = listTrainingCheckpoints(out);
    QCOMPARE(static_cast<int>(list.size()), 3);
    QCOMPARE(list.back().step, int64_t{30});
    QCOMPARE(loadTrainerState(list.back().folder).data.at("data_position").get<uint64_t>(),
             uint64_t{240});
    pruneTrainingCheckpoints(out, 2);
    list = listTrainingCheckpoints(out);
    QCOMPARE(static_cast<int>(list.size()), 2);
    QCOMPARE(list.front().step, int64_t{20});
    // An incomplete staging folder with no checkpoint of its step to restore is cleared away.
    recoverCheckpointFolders(out);
    QVERIFY(!std::filesystem::exists(out + "/.checkpoint-000040.partial"));
    // A same-step save replaces the checkpoint whole (swapped in one step), leaving nothing behind.
    TrainerState again;
    again.step = 30;
    again.data = {{"data_position", 241}};
    saveTrainingCheckpoint(out, model->config(), *model, "BertForPreTraining", nullptr, *optimizer,
                           again, {torch::kCPU});
    QCOMPARE(loadTrainerState(list.back().folder).data.at("data_position").get<int>(), 241);
    for (const auto& entry : std::filesystem::directory_iterator(out))
      QVERIFY2(entry.path().filename().string().rfind(".checkpoint", 0) != 0, entry.path().c_str());
    QCOMPARE(checkpointFolderName(7), std::string("checkpoint-000007"));

    // A checkpoint written before the training engine kept the data position at the top level.
    std::ofstream(list.back().folder + "/trainer_state.json")
        << R"({"step": 30, "data_position": 240, "epoch": 1})";
    const TrainerState legacy = loadTrainerState(list.back().folder);
    QCOMPARE(legacy.data.at("data_position").get<uint64_t>(), uint64_t{240});
    QCOMPARE(legacy.data.at("epoch").get<int64_t>(), int64_t{1});

    std::filesystem::remove(list.back().folder + "/trainer_state.json");
    std::ofstream(list.back().folder + "/trainer_state.json") << "{\"step\": ";
    QVERIFY(errorOf([&] { loadTrainerState(list.back().folder); }).contains("trainer_state.json"));
  }

  // Every state a kill can leave a checkpoint save or prune in: afterwards a run finds complete
  // checkpoints or none, never a half one, and nothing complete is thrown away.
  void killPointsLeaveCompleteOrAbsentCheckpoints() {
    namespace fs = std::filesystem;
    QTemporaryDir dir;
    const fs::path out(dir.path().toStdString());
    auto fakeCheckpoint = [](const fs::path& folder, int64_t step) {
      fs::create_directories(folder);
      for (const char* file :
           {"config.json", "model.safetensors", "optimizer.pt", "rng_state.safetensors"})
        std::ofstream(folder / file) << "x";
      std::ofstream(folder / "trainer_state.json") << R"({"step": )" << step << "}";
    };
    // (a) Killed between the two renames of a same-step save where the file system cannot
    //     swap: only the aside copy and the new staging copy exist, both whole.
    fakeCheckpoint(out / checkpointAsideName(30), 30);
    fakeCheckpoint(out / checkpointStagingName(30), 30);
    // (b) Killed after a swap, before the old contents (now at the staging name) were deleted.
    fakeCheckpoint(out / checkpointFolderName(20), 20);
    fakeCheckpoint(out / checkpointStagingName(20), 20);
    // (c) Killed while a staging folder was being written: half a checkpoint, hidden.
    fs::create_directories(out / checkpointStagingName(40));
    std::ofstream(out / checkpointStagingName(40) / "config.json") << "{}";
    // (d) Killed half-way through pruning: renamed to a hidden name first, so never listed.
    fs::create_directories(out / ".checkpoint-000010.pruning");
    std::ofstream(out / ".checkpoint-000010.pruning" / "config.json") << "{}";
    // (e) A checkpoint-* folder someone emptied partly: not a checkpoint.
    fakeCheckpoint(out / checkpointFolderName(50), 50);
    fs::remove(out / checkpointFolderName(50) / "optimizer.pt");

    auto steps = [&] {
      std::vector<int64_t> found;
      for (const TrainingCheckpoint& c : listTrainingCheckpoints(out.string()))
        found.push_back(c.step);
      return found;
    };
    QCOMPARE(steps(), (std::vector<int64_t>{20}));  // before recovery: only what is whole and named
    recoverCheckpointFolders(out.string());
    QCOMPARE(steps(), (std::vector<int64_t>{20, 30}));  // (a) restored, (b) kept
    QVERIFY(isCompleteCheckpoint((out / checkpointFolderName(30)).string()));
    for (const auto& entry : fs::directory_iterator(out))
      QVERIFY2(entry.path().filename().string()[0] != '.', entry.path().c_str());  // leftovers gone
    QVERIFY(fs::exists(out / checkpointFolderName(50)));  // someone's incomplete folder: left alone

    // Pruning keeps the newest and never leaves a half-deleted checkpoint-* behind.
    fakeCheckpoint(out / checkpointFolderName(60), 60);
    pruneTrainingCheckpoints(out.string(), 1);
    QCOMPARE(steps(), (std::vector<int64_t>{60}));
  }
};

QTEST_GUILESS_MAIN(TestTrainingParts)
#include "test_training_parts.moc"
