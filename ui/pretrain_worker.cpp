#include "pretrain_worker.h"

#include <exception>

#include "data/corpus.h"
#include "data/corpus_view.h"
#include "data/instance_stream.h"
#include "data/pretraining_sampler.h"
#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "runtime/device.h"
#include "runtime/precision.h"
#include "text/tokenizer.h"
#include "train/pretrainer.h"
#include "train/training_checkpoint.h"
#include "util/error.h"

namespace bertwb::ui {
namespace {

// The core's callbacks run on this worker thread; emitting a signal of an object whose
// receivers live on the GUI thread queues a copy of the value there.
class SignalForwarder final : public TrainingEvents {
 public:
  explicit SignalForwarder(PretrainWorker* worker) : worker_(worker) {}
  void onStep(const StepMetrics& metrics) override { Q_EMIT worker_->stepped(metrics); }
  void onProbe(const ProbeResult& probe) override { Q_EMIT worker_->probed(probe); }
  void onCheckpoint(const std::string& folder, int64_t step) override {
    Q_EMIT worker_->checkpointSaved(QString::fromStdString(folder), step);
  }
  void onFinished(const RunOutcome& outcome) override {
    if (outcome.end == RunEnd::Failed) {
      Q_EMIT worker_->failed(QString::fromStdString(outcome.message));
    } else {
      Q_EMIT worker_->finished(outcome);
    }
  }

 private:
  PretrainWorker* worker_;
};

std::string local(const QString& path) {
  return path.toStdString();
}

PretrainingRunOptions runOptionsFor(const PretrainJob& job, bool cuda) {
  const PretrainSettings& s = job.settings;
  PretrainingRunOptions o;
  o.outputFolder = local(job.runFolder);
  o.steps = s.steps;
  o.batchSize = s.batchSize;
  o.accumulate = s.accumulate;
  o.maxSeqLength = s.maxSeqLength;
  o.adam.learningRate = s.learningRate;
  o.warmupSteps = s.warmupSteps;
  o.schedule = lrScheduleKindFromName(s.schedule.toStdString());
  o.nsp = s.nsp;
  // bf16 halves the memory traffic on a GPU at no loss of range; CPUs train in fp32.
  o.precision = cuda ? Precision::Bf16 : Precision::Fp32;
  o.seed = s.seed;
  o.logEvery = s.logEvery;
  o.saveEvery = s.saveEvery;
  o.probeEvery = s.probeEvery;
  for (const QString& text : s.probeTexts)
    if (!text.trimmed().isEmpty()) o.probes.fillMaskTexts.push_back(text.trimmed().toStdString());
  if (!s.probeNspA.trimmed().isEmpty() && !s.probeNspB.trimmed().isEmpty()) {
    o.probes.nspTextA = s.probeNspA.trimmed().toStdString();
    o.probes.nspTextB = s.probeNspB.trimmed().toStdString();
  }
  return o;
}

}  // namespace

void registerPretrainMetaTypes() {
  qRegisterMetaType<bertwb::StepMetrics>();
  qRegisterMetaType<bertwb::ProbeResult>();
  qRegisterMetaType<bertwb::RunOutcome>();
}

PretrainWorker::PretrainWorker(PretrainJob job, std::shared_ptr<CancelFlag> cancel,
                               std::shared_ptr<PauseFlag> pause)
    : job_(std::move(job)), cancel_(std::move(cancel)), pause_(std::move(pause)) {}

void PretrainWorker::run() {
  try {
    const PretrainSettings& s = job_.settings;
    if (job_.corpusFiles.isEmpty())
      throw Error(
          "the workspace has no corpus (no .txt files in its corpus folder); add text in the Data "
          "stage");
    Q_EMIT preparing(tr("Loading the tokenizer…"));
    const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(local(job_.tokenizerFolder));

    std::vector<std::string> files;
    for (const QString& file : job_.corpusFiles) files.push_back(local(file));
    const ProgressCallback progress = [this](const Progress& p) {
      Q_EMIT preparing(tr("Reading the corpus: %1").arg(QString::fromStdString(p.message)));
    };
    const TokenizedCorpus corpus = readCorpus(files, *tokenizer, {}, progress, cancel_.get());
    const std::unique_ptr<CorpusView> view = viewOf(corpus);

    BertConfig config = job_.model;
    config.vocab_size = tokenizer->vocabSize();
    if (tokenizer->specialTokenIds().pad >= 0)
      config.pad_token_id = tokenizer->specialTokenIds().pad;
    if (s.maxSeqLength > config.max_position_embeddings) {
      throw Error("the maximum sequence length " + std::to_string(s.maxSeqLength) +
                  " is longer than the model's " + std::to_string(config.max_position_embeddings) +
                  " positions; lower it");
    }
    PretrainingDataOptions dataOptions;
    dataOptions.maxSeqLength = s.maxSeqLength;
    dataOptions.seed = s.seed;
    const PretrainingSampler sampler(*view, samplerVocabulary(*tokenizer), dataOptions);
    CorpusInstanceStream stream(sampler, s.seed);

    Q_EMIT preparing(tr("Building the model…"));
    BertForPreTraining model(config);
    initializeBertWeights(*model, config.initializer_range, s.seed);
    const torch::Device device = selectDevice("auto");
    Pretrainer trainer(std::move(model), *tokenizer, stream, runOptionsFor(job_, device.is_cuda()),
                       device);

    // Never train over a run the user has without being asked to continue it.
    const std::string newest = trainer.latestCheckpoint();
    if (job_.resume) {
      if (newest.empty())
        throw Error("'" + local(job_.runFolder) + "' holds no checkpoint to resume from");
      Q_EMIT preparing(tr("Resuming from %1…").arg(QString::fromStdString(newest)));
      trainer.resumeFrom(newest);
    } else if (!newest.empty()) {
      throw Error("'" + local(job_.runFolder) +
                  "' already holds a run; resume it or choose another run name");
    }
    if (cancel_->isRequested()) throw Cancelled();
    Q_EMIT started(trainer.step(), s.steps);
    SignalForwarder events(this);
    trainer.run(&events, cancel_.get(), pause_.get());  // ends with onFinished → finished/failed
  } catch (const Cancelled&) {
    RunOutcome outcome;
    outcome.end = RunEnd::Cancelled;
    outcome.message = "stopped before training began";
    Q_EMIT finished(outcome);
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  }
  Q_EMIT done();
}

}  // namespace bertwb::ui
