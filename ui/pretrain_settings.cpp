#include "pretrain_settings.h"

#include <QJsonArray>
#include <algorithm>

#include "train/demo_setup.h"

namespace bertwb::ui {
namespace {

// Desktop-sized defaults. The paper trains 1,000,000 steps of 256 sequences; a first run on
// a workstation should show learning within minutes, so the run is shorter and the batch is
// smaller, with the paper's shape of schedule (warm-up over the first 1%, then linear decay).
constexpr qint64 kDefaultSteps = 1000;
constexpr int kDefaultBatch = 32;
constexpr int kPaperSeqLength = 128;   // paper §A.2: 128 tokens for 90% of the steps
constexpr double kWarmupShare = 0.01;  // paper: 10,000 warm-up steps of 1,000,000
constexpr double kSaveShare = 0.25;    // four checkpoints a run: a crash loses little
constexpr qint64 kDefaultLogEvery = 10;
constexpr qint64 kDefaultProbeEvery = 50;

// Peak learning rate by model width. 1e-4 is the paper's for Base and Large; narrow models
// tolerate (and need, to learn in a short run) larger steps: the demo measured 2e-3 for Tiny.
constexpr int kNarrowHidden = 256;  // Tiny, Mini, Small (Turc et al.'s compact BERTs)
constexpr int kMediumHidden = 512;  // Medium
constexpr double kNarrowLearningRate = 1e-3;
constexpr double kMediumLearningRate = 5e-4;
constexpr double kPaperLearningRate = 1e-4;

const QString kSteps = QStringLiteral("steps"), kBatch = QStringLiteral("batchSize"),
              kSeq = QStringLiteral("maxSeqLength"), kLr = QStringLiteral("learningRate"),
              kWarmup = QStringLiteral("warmupSteps"), kSchedule = QStringLiteral("schedule"),
              kAccumulate = QStringLiteral("accumulate"), kSeed = QStringLiteral("seed"),
              kSaveEvery = QStringLiteral("saveEvery"), kNsp = QStringLiteral("nsp"),
              kLogEvery = QStringLiteral("logEvery"), kProbeEvery = QStringLiteral("probeEvery"),
              kRunName = QStringLiteral("runName"), kProbes = QStringLiteral("probeTexts"),
              kNspA = QStringLiteral("probeNspA"), kNspB = QStringLiteral("probeNspB");

// JSON numbers are doubles: 64-bit counts up to 2^53 survive, which is plenty for steps.
qint64 integer(const QJsonObject& json, const QString& key, qint64 fallback) {
  return json.contains(key)
             ? static_cast<qint64>(json.value(key).toDouble(static_cast<double>(fallback)))
             : fallback;
}

}  // namespace

bool PretrainSettings::operator==(const PretrainSettings& o) const {
  return steps == o.steps && batchSize == o.batchSize && maxSeqLength == o.maxSeqLength &&
         learningRate == o.learningRate && warmupSteps == o.warmupSteps && schedule == o.schedule &&
         accumulate == o.accumulate && seed == o.seed && saveEvery == o.saveEvery && nsp == o.nsp &&
         logEvery == o.logEvery && probeEvery == o.probeEvery && runName == o.runName &&
         probeTexts == o.probeTexts && probeNspA == o.probeNspA && probeNspB == o.probeNspB;
}

PretrainSettings defaultPretrainSettings(const BertConfig& model, bool demoWorkspace,
                                         const QString& demoCorpusPath) {
  PretrainSettings s;
  s.steps = kDefaultSteps;
  s.batchSize = kDefaultBatch;
  s.maxSeqLength = std::min(kPaperSeqLength, model.max_position_embeddings);
  s.learningRate = model.hidden_size <= kNarrowHidden   ? kNarrowLearningRate
                   : model.hidden_size <= kMediumHidden ? kMediumLearningRate
                                                        : kPaperLearningRate;
  s.warmupSteps = std::max<qint64>(1, static_cast<qint64>(s.steps * kWarmupShare));
  s.saveEvery = static_cast<qint64>(s.steps * kSaveShare);
  s.logEvery = kDefaultLogEvery;
  s.probeEvery = kDefaultProbeEvery;
  if (demoWorkspace) {
    // The demo's measured recipe (demo_pretraining.h); its learning rate suits narrow models only.
    const DemoRecipe demo = demoRecipe(kDefaultSteps);
    s.batchSize = demo.batchSize;
    s.maxSeqLength = demo.maxSeqLength;
    s.warmupSteps = demo.warmupSteps;
    s.logEvery = demo.logEvery;
    s.probeEvery = demo.probeEvery;
    if (model.hidden_size <= kNarrowHidden) s.learningRate = demo.learningRate;
    if (!demoCorpusPath.isEmpty()) {
      try {
        const DemoProbeTexts probes = demoProbeTexts(demoCorpusPath.toStdString());
        for (const auto& text : probes.fillMask) s.probeTexts << QString::fromStdString(text);
        s.probeNspA = QString::fromStdString(probes.nspTextA);
        s.probeNspB = QString::fromStdString(probes.nspTextB);
      } catch (const std::exception&) {
        // No probes is a fine default: the corpus may have been edited since.
      }
    }
  }
  return s;
}

QJsonObject pretrainSettingsToJson(const PretrainSettings& s) {
  QJsonObject j;
  j[kSteps] = static_cast<double>(s.steps);
  j[kBatch] = s.batchSize;
  j[kSeq] = s.maxSeqLength;
  j[kLr] = s.learningRate;
  j[kWarmup] = static_cast<double>(s.warmupSteps);
  j[kSchedule] = s.schedule;
  j[kAccumulate] = s.accumulate;
  j[kSeed] = static_cast<double>(s.seed);
  j[kSaveEvery] = static_cast<double>(s.saveEvery);
  j[kNsp] = s.nsp;
  j[kLogEvery] = static_cast<double>(s.logEvery);
  j[kProbeEvery] = static_cast<double>(s.probeEvery);
  j[kRunName] = s.runName;
  j[kProbes] = QJsonArray::fromStringList(s.probeTexts);
  j[kNspA] = s.probeNspA;
  j[kNspB] = s.probeNspB;
  return j;
}

PretrainSettings pretrainSettingsFromJson(const QJsonObject& j, PretrainSettings s) {
  s.steps = integer(j, kSteps, s.steps);
  s.batchSize = static_cast<int>(integer(j, kBatch, s.batchSize));
  s.maxSeqLength = static_cast<int>(integer(j, kSeq, s.maxSeqLength));
  s.learningRate = j.value(kLr).toDouble(s.learningRate);
  s.warmupSteps = integer(j, kWarmup, s.warmupSteps);
  s.schedule = j.value(kSchedule).toString(s.schedule);
  s.accumulate = static_cast<int>(integer(j, kAccumulate, s.accumulate));
  s.seed = static_cast<quint64>(integer(j, kSeed, static_cast<qint64>(s.seed)));
  s.saveEvery = integer(j, kSaveEvery, s.saveEvery);
  s.nsp = j.value(kNsp).toBool(s.nsp);
  s.logEvery = integer(j, kLogEvery, s.logEvery);
  s.probeEvery = integer(j, kProbeEvery, s.probeEvery);
  s.runName = j.value(kRunName).toString(s.runName);
  if (j.contains(kProbes)) {
    s.probeTexts.clear();
    for (const auto& value : j.value(kProbes).toArray()) s.probeTexts << value.toString();
  }
  s.probeNspA = j.value(kNspA).toString(s.probeNspA);
  s.probeNspB = j.value(kNspB).toString(s.probeNspB);
  return s;
}

}  // namespace bertwb::ui
