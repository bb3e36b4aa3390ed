#include "finetune_worker.h"

#include <QDir>
#include <exception>
#include <map>

#include "io/task_model_io.h"
#include "model/initialization.h"
#include "runtime/device.h"
#include "tasks/task_adapters.h"
#include "tasks/task_dataset_reader.h"
#include "text/tokenizer.h"
#include "train/finetuner.h"
#include "util/error.h"

namespace bertwb::ui {
namespace {

std::string local(const QString& path) {
  return path.toStdString();
}
QString q(const std::string& text) {
  return QString::fromStdString(text);
}

std::vector<std::string> splitTags(const std::string& joined) {
  std::vector<std::string> tags;
  size_t begin = 0;
  while (begin <= joined.size()) {
    const size_t end = std::min(joined.find(' ', begin), joined.size());
    if (end > begin) tags.push_back(joined.substr(begin, end - begin));
    begin = end + 1;
  }
  return tags;
}

// The confusion matrix or the per-type entity scores of the evaluation just made, from the
// adapter's per-example predictions (class names and space-joined tags, as the adapters
// write them). Regression, QA and multiple choice need nothing beyond their metrics.
void addDetails(FinetuneEvaluation& evaluation, const TaskAdapter& adapter, FinetuneTask task,
                const std::vector<std::string>& labels) {
  const std::vector<ExamplePrediction> predictions = adapter.predictions();
  evaluation.scoredExamples = static_cast<qint64>(predictions.size());
  if ((task == FinetuneTask::Classify || task == FinetuneTask::Pair) && !labels.empty()) {
    std::map<std::string, int> ids;
    for (size_t i = 0; i < labels.size(); ++i) ids[labels[i]] = static_cast<int>(i);
    std::vector<int> predicted, gold;
    for (const ExamplePrediction& p : predictions) {
      const auto predictedId = ids.find(p.predicted), goldId = ids.find(p.gold);
      if (predictedId == ids.end() || goldId == ids.end()) continue;  // an unlabelled row
      predicted.push_back(predictedId->second);
      gold.push_back(goldId->second);
    }
    evaluation.labels = labels;
    evaluation.classification =
        classificationReport(predicted, gold, static_cast<int>(labels.size()));
    evaluation.hasClassification = true;
  } else if (task == FinetuneTask::Tag) {
    std::vector<std::vector<std::string>> predicted, gold;
    for (const ExamplePrediction& p : predictions) {
      predicted.push_back(splitTags(p.predicted));
      gold.push_back(splitTags(p.gold));
      if (predicted.back().size() != gold.back().size()) return;  // not the format expected
    }
    evaluation.entities = entityReport(predicted, gold);
    evaluation.hasEntities = true;
  }
}

// The core's callbacks run on this worker thread; emitting a signal of an object whose
// receivers live on the GUI thread queues a copy of the value there.
class EventForwarder final : public FinetuneEvents {
 public:
  EventForwarder(FinetuneWorker* worker, const TaskAdapter& adapter, FinetuneTask task,
                 std::vector<std::string> labels, QString bestFolder, bool saves, int epochs)
      : worker_(worker),
        adapter_(adapter),
        task_(task),
        labels_(std::move(labels)),
        bestFolder_(std::move(bestFolder)),
        saves_(saves),
        epochs_(epochs) {}

  void onStep(const StepMetrics& m) override {
    FinetuneStep step;
    step.step = m.step;
    step.totalSteps = m.totalSteps;
    step.epoch = m.totalSteps > 0
                     ? static_cast<double>(m.step) * epochs_ / static_cast<double>(m.totalSteps)
                     : 0;
    step.loss = m.loss;
    step.learningRate = m.learningRate;
    step.sequencesPerSecond = m.sequencesPerSecond;
    step.etaSeconds = m.etaSeconds;
    Q_EMIT worker_->stepped(step);
  }

  void onEvaluation(const EvaluationEvent& e) override {
    FinetuneEvaluation evaluation;
    evaluation.step = e.step;
    evaluation.epoch = e.epoch;
    evaluation.best = e.best;
    evaluation.scores = e.scores;
    addDetails(evaluation, adapter_, task_, labels_);
    Q_EMIT worker_->evaluated(evaluation);
    // The loop saved OUT/best before reporting the evaluation.
    if (e.best && saves_) Q_EMIT worker_->modelSaved(bestFolder_);
  }

 private:
  FinetuneWorker* worker_;
  const TaskAdapter& adapter_;
  FinetuneTask task_;
  std::vector<std::string> labels_;
  QString bestFolder_;
  bool saves_;
  int epochs_;
};

// The head model the run starts from, with `labels` as its classes.
TaskLoadResult startingModel(const FinetuneJob& job, const Tokenizer& tokenizer,
                             const std::vector<std::string>& labels) {
  const FinetuneSettings& s = job.settings;
  const TaskKind kind = taskKindOf(s.task);
  const uint64_t seed = static_cast<uint64_t>(s.seed);
  if (s.start != FinetuneStart::Random) {
    if (s.startFolder.isEmpty()) throw Error("choose the checkpoint to start from");
    const int outputs = s.task == FinetuneTask::Regress ? 1 : 0;  // regression: one number
    return loadForTask(local(s.startFolder), kind, outputs, labels, seed);
  }
  BertConfig config = job.randomModel;
  config.vocab_size = tokenizer.vocabSize();
  if (tokenizer.specialTokenIds().pad >= 0) config.pad_token_id = tokenizer.specialTokenIds().pad;
  const std::vector<std::string> classes =
      s.task == FinetuneTask::Regress ? defaultLabelNames(1) : labels;
  TaskLoadResult result;
  result.model = makeTaskModel(config, kind, classes);
  initializeBertWeights(*result.model.module(), config.initializer_range, seed);
  return result;
}

FinetuneOptions runOptionsFor(const FinetuneJob& job) {
  const FinetuneSettings& s = job.settings;
  FinetuneOptions o;
  o.outputFolder = local(job.runFolder);
  o.epochs = s.epochs;
  o.batchSize = s.batchSize;
  o.learningRate = s.learningRate;
  o.warmupFraction = s.warmupFraction;
  o.evalEvery = s.evalEvery;
  o.frozenEncoder = s.frozenEncoder;
  o.seed = static_cast<uint64_t>(s.seed);
  o.logEvery = 1;  // the chart wants every step; fine-tuning runs are short
  return o;
}

}  // namespace

void registerFinetuneMetaTypes() {
  qRegisterMetaType<bertwb::ui::FinetuneStartInfo>();
  qRegisterMetaType<bertwb::ui::FinetuneStep>();
  qRegisterMetaType<bertwb::ui::FinetuneEvaluation>();
  qRegisterMetaType<bertwb::ui::FinetuneResult>();
}

FinetuneWorker::FinetuneWorker(FinetuneJob job, std::shared_ptr<CancelFlag> cancel)
    : job_(std::move(job)), cancel_(std::move(cancel)) {}

void FinetuneWorker::run() {
  try {
    const FinetuneSettings& s = job_.settings;
    if (s.trainFile.isEmpty() || s.devFile.isEmpty())
      throw Error("choose a training file and a dev file");
    Q_EMIT preparing(tr("Loading the tokenizer…"));
    // A checkpoint brings its own vocabulary; random weights use the workspace's.
    const QString tokenizerFolder =
        s.start == FinetuneStart::Random ? job_.workspaceTokenizer : s.startFolder;
    const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(local(tokenizerFolder));

    Q_EMIT preparing(tr("Reading the task files…"));
    const TaskColumns columns = s.columns();
    TaskDataset train = readTaskDataset(s.task, local(s.trainFile), columns);
    const std::vector<std::string> labels = datasetLabels(train);
    const TaskDataset dev = readTaskDataset(s.task, local(s.devFile), columns, labels);
    if (s.maxTrainExamples > 0) truncateDataset(train, static_cast<size_t>(s.maxTrainExamples));
    if (cancel_->isRequested()) throw Cancelled();

    Q_EMIT preparing(tr("Building the model…"));
    TaskLoadResult loaded = startingModel(job_, *tokenizer, labels);
    const std::vector<std::string> modelLabels = loaded.model.labels;
    const QString loadSummary = s.start == FinetuneStart::Random
                                    ? tr("every weight initialised at random")
                                    : q(loaded.summary());
    TaskAdapterOptions adapterOptions;
    adapterOptions.maxSeqLength = s.maxSeqLength;
    const std::unique_ptr<TaskAdapter> adapter = makeTaskAdapter(
        finetuneTaskName(s.task), std::move(loaded.model), *tokenizer, train, dev, adapterOptions);

    const FinetuneOptions options = runOptionsFor(job_);
    FineTuner tuner(*adapter, *tokenizer, options, selectDevice("auto"));
    FinetuneStartInfo info;
    info.totalSteps = tuner.totalSteps();
    info.trainExamples = static_cast<qint64>(datasetSize(train));
    info.devExamples = static_cast<qint64>(datasetSize(dev));
    info.trainingFeatures = static_cast<qint64>(adapter->trainingFeatures());
    info.architecture = q(adapter->architecture());
    info.loadSummary = loadSummary;
    for (const std::string& label : labels) info.labels << q(label);
    if (cancel_->isRequested()) throw Cancelled();
    Q_EMIT started(info);

    const QString bestFolder = QDir(job_.runFolder).filePath(QStringLiteral("best"));
    EventForwarder events(this, *adapter, s.task, modelLabels, bestFolder, options.saveModels,
                          options.epochs);
    const FinetuneOutcome outcome = tuner.run(&events, cancel_.get());
    if (outcome.run.end == RunEnd::Failed) throw Error(outcome.run.message);
    FinetuneResult result;
    result.end = outcome.run.end;
    result.message = q(outcome.run.message);
    result.step = outcome.run.step;
    result.bestStep = outcome.bestStep;
    result.best = outcome.best;
    if (QDir(bestFolder).exists()) result.bestFolder = bestFolder;
    if (outcome.run.end == RunEnd::Finished) {
      result.finalFolder = job_.runFolder;
      Q_EMIT modelSaved(job_.runFolder);
    }
    Q_EMIT finished(result);
  } catch (const Cancelled&) {
    FinetuneResult result;
    result.end = RunEnd::Cancelled;
    result.message = tr("stopped before training began");
    Q_EMIT finished(result);
  } catch (const std::exception& e) {
    Q_EMIT failed(q(e.what()));
  }
  Q_EMIT done();
}

}  // namespace bertwb::ui
