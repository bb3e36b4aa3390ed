#include "pretrain/pretrain_job.h"

#include <QCoreApplication>

#include "data/corpus.h"
#include "data/corpus_view.h"
#include "data/instance_stream.h"
#include "data/pretraining_sampler.h"
#include "io/checkpoint.h"
#include "io/manifests.h"
#include "model/bert_config.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "runtime/device.h"
#include "shell/json_bridge.h"
#include "text/tokenizer.h"
#include "train/checkpoint_folders.h"
#include "train/run_setup.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb::ui {
namespace {

QString pretrainText(const char* text) {
  return QCoreApplication::translate("PretrainJob", text);
}

ProbeSet probesOf(const PretrainSettings& s) {
  ProbeSet probes;
  for (const QString& text : s.probeTexts)
    if (!text.trimmed().isEmpty()) probes.fillMaskTexts.push_back(text.trimmed().toStdString());
  if (!s.probeNspA.trimmed().isEmpty() && !s.probeNspB.trimmed().isEmpty()) {
    probes.nspTextA = s.probeNspA.trimmed().toStdString();
    probes.nspTextB = s.probeNspB.trimmed().toStdString();
  }
  return probes;
}

class PretrainRunJob final : public RunJob {
 public:
  explicit PretrainRunJob(PretrainJob job) : job_(std::move(job)) {}
  QString threadName() const override { return QStringLiteral("pretraining"); }

  void execute(RunContext& context) override {
    const PretrainSettings& s = job_.settings;
    if (job_.corpusFiles.isEmpty())
      throw Error(
          "the workspace has no corpus (no .txt files in its corpus folder); add text in the Data "
          "stage");
    // Resolved first: an impossible choice (bf16 on a CPU without it) fails before the slow part.
    const torch::Device device = selectDevice("auto");
    const PrecisionChoice precision =
        resolvePrecision(precisionRequestFromName(s.precision), device);

    // A resumed run continues the model and tokenizer it started with (its checkpoint holds
    // both), whatever the Model stage shows now; a new run takes the workspace's.
    std::string resumeFrom;
    if (job_.resume) {
      const std::vector<TrainingCheckpoint> checkpoints =
          listTrainingCheckpoints(job_.runFolder.toStdString());
      if (checkpoints.empty())
        throw Error("'" + job_.runFolder.toStdString() + "' holds no checkpoint to resume from");
      resumeFrom = checkpoints.back().folder;
    }
    const std::string tokenizerFolder =
        resumeFrom.empty() ? job_.tokenizerFolder.toStdString() : resumeFrom;

    context.preparing(pretrainText("Loading the tokenizer…"));
    const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(tokenizerFolder);
    std::vector<std::string> files;
    for (const QString& file : job_.corpusFiles) files.push_back(file.toStdString());
    const ProgressCallback progress = [&context](const Progress& p) {
      context.preparing(
          pretrainText("Reading the corpus: %1").arg(QString::fromStdString(p.message)));
    };
    const TokenizedCorpus corpus = readCorpus(files, *tokenizer, {}, progress, context.cancel());
    const std::unique_ptr<CorpusView> view = viewOf(corpus);

    BertConfig config =
        resumeFrom.empty() ? job_.model : loadConfigFile(resumeFrom + "/" + kConfigFileName);
    config.vocab_size = tokenizer->vocabSize();
    if (tokenizer->specialTokenIds().pad >= 0)
      config.pad_token_id = tokenizer->specialTokenIds().pad;
    if (s.maxSeqLength > config.max_position_embeddings) {
      throw Error("the maximum sequence length " + std::to_string(s.maxSeqLength) +
                  " is longer than the model's " + std::to_string(config.max_position_embeddings) +
                  " positions; lower it");
    }
    const PretrainingSampler sampler(*view, samplerVocabulary(*tokenizer),
                                     pretrainingDataOptions(s));
    CorpusInstanceStream stream(sampler, s.seed);

    context.preparing(pretrainText("Building the model…"));
    BertForPreTraining model(config);
    initializeBertWeights(*model, config.initializer_range, s.seed);
    PretrainingObjective objective(std::move(model), *tokenizer, stream,
                                   pretrainingObjectiveOptions(s, probesOf(s)));
    TrainingEngine engine(objective, tokenizer.get(),
                          pretrainingRunOptions(s, job_.runFolder.toStdString(), precision),
                          device);

    // Never train over a run the user has without being asked to continue it.
    if (job_.resume) {
      context.preparing(pretrainText("Resuming from %1…").arg(QString::fromStdString(resumeFrom)));
      engine.resumeFrom(resumeFrom);
    } else if (!engine.latestCheckpoint().empty()) {
      throw Error("'" + job_.runFolder.toStdString() +
                  "' already holds a run; resume it or choose another run name");
    } else {
      // A new run's folder records what it was started with (the engine holds its lock).
      std::vector<std::string> corpus;
      for (const QString& file : job_.corpusFiles) corpus.push_back(file.toStdString());
      const nlohmann::json record = {{"kind", "pretraining"},
                                     {"settings", toNlohmann(pretrainSettingsToJson(s))},
                                     {"model", nlohmann::json::parse(configToJson(config))},
                                     {"corpus", corpus},
                                     {"device", device.str()},
                                     {"precision", precisionName(precision.precision)}};
      writeFileAtomically(job_.runFolder.toStdString() + "/" + kRunSettingsFile,
                          record.dump(2) + "\n");
    }
    if (context.cancel()->isRequested()) throw Cancelled();
    engine.run(&context.events(), context.cancel(), context.pause());
  }

 private:
  PretrainJob job_;
};

}  // namespace

std::unique_ptr<RunJob> makeRunJob(const PretrainJob& job) {
  return std::make_unique<PretrainRunJob>(job);
}

}  // namespace bertwb::ui
