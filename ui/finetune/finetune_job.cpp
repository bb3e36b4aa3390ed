#include "finetune/finetune_job.h"

#include <QCoreApplication>
#include <filesystem>

#include "finetune/prediction_file.h"
#include "finetune/task_adapters.h"
#include "io/checkpoint.h"
#include "io/manifests.h"
#include "io/task_model_io.h"
#include "io/tokenizer_fit.h"
#include "model/initialization.h"
#include "runtime/device.h"
#include "shell/json_bridge.h"
#include "tasks/task_dataset_reader.h"
#include "text/tokenizer.h"
#include "train/run_setup.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb::ui {
namespace {

QString finetuneText(const char* text) {
  return QCoreApplication::translate("FinetuneJob", text);
}

// The head model the run starts from, with `labels` as its classes.
TaskLoadResult startingModel(const FinetuneJob& job, const Tokenizer& tokenizer,
                             const std::vector<std::string>& labels) {
  const FinetuneSettings& s = job.settings;
  const TaskKind kind = taskKindOf(s.task);
  if (s.start != FinetuneStart::Random) {
    if (s.startFolder.isEmpty()) throw Error("choose the checkpoint to start from");
    const int outputs = s.task == FinetuneTask::Regress ? 1 : 0;  // regression: one number
    return loadForTask(s.startFolder.toStdString(), kind, outputs, labels, s.seed);
  }
  BertConfig config = job.randomModel;
  config.vocab_size = tokenizer.vocabSize();
  if (tokenizer.specialTokenIds().pad >= 0) config.pad_token_id = tokenizer.specialTokenIds().pad;
  const std::vector<std::string> classes =
      s.task == FinetuneTask::Regress ? defaultLabelNames(1) : labels;
  TaskLoadResult result;
  result.model = makeTaskModel(config, kind, classes);
  initializeBertWeights(*result.model.module(), config.initializer_range, s.seed);
  return result;
}

class FinetuneRunJob final : public RunJob {
 public:
  explicit FinetuneRunJob(FinetuneJob job) : job_(std::move(job)) {}
  QString threadName() const override { return QStringLiteral("finetuning"); }

  void execute(RunContext& context) override {
    const FinetuneSettings& s = job_.settings;
    if (s.trainFile.isEmpty() || s.devFile.isEmpty())
      throw Error("choose a training file and a dev file");
    const torch::Device device = selectDevice("auto");
    const PrecisionChoice precision =
        resolvePrecision(precisionRequestFromName(s.precision), device);

    context.preparing(finetuneText("Loading the tokenizer…"));
    // A checkpoint brings its own vocabulary; random weights use the workspace's.
    const QString tokenizerFolder =
        s.start == FinetuneStart::Random ? job_.workspaceTokenizer : s.startFolder;
    const std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(tokenizerFolder.toStdString());
    if (s.start != FinetuneStart::Random)  // the checkpoint's tokenizer must be its model's
      checkTokenizerFitsModel(*tokenizer, inspectCheckpoint(s.startFolder.toStdString()).config,
                              s.startFolder.toStdString());

    context.preparing(finetuneText("Reading the task files…"));
    const TaskColumns columns = s.columns();
    TaskDataset train = readTaskDataset(s.task, s.trainFile.toStdString(), columns);
    const std::vector<std::string> labels = datasetLabels(train);
    const TaskDataset dev = readTaskDataset(s.task, s.devFile.toStdString(), columns, labels);
    if (s.maxTrainExamples > 0) truncateDataset(train, static_cast<size_t>(s.maxTrainExamples));
    if (context.cancel()->isRequested()) throw Cancelled();

    context.preparing(finetuneText("Building the model…"));
    TaskLoadResult loaded = startingModel(job_, *tokenizer, labels);
    RunInfo info;
    info.loadSummary = s.start == FinetuneStart::Random
                           ? finetuneText("every weight initialised at random")
                           : QString::fromStdString(loaded.summary());
    TaskAdapterOptions adapterOptions;
    adapterOptions.maxSeqLength = s.maxSeqLength;
    const std::unique_ptr<TaskAdapter> adapter = makeTaskAdapter(
        finetuneTaskName(s.task), std::move(loaded.model), *tokenizer, train, dev, adapterOptions);
    FinetuningObjective objective(*adapter, finetuningObjectiveOptions(s));
    TrainingEngine engine(
        objective, tokenizer.get(),
        finetuningRunOptions(s, job_.runFolder.toStdString(), precision, objective.totalSteps()),
        device);
    info.trainExamples = static_cast<qint64>(datasetSize(train));
    info.devExamples = static_cast<qint64>(datasetSize(dev));
    info.trainingFeatures = static_cast<qint64>(adapter->trainingFeatures());
    info.architecture = QString::fromStdString(adapter->architecture());
    for (const std::string& label : labels) info.labels << QString::fromStdString(label);
    context.describe(info);
    // The run's folder records what it was started with (the engine holds its lock now).
    const std::filesystem::path folder = job_.runFolder.toStdString();
    nlohmann::json record = {{"kind", "finetuning"},
                             {"settings", toNlohmann(finetuneSettingsToJson(s))},
                             {"device", device.str()},
                             {"precision", precisionName(precision.precision)},
                             {"labels", labels}};
    writeFileAtomically((folder / kRunSettingsFile).string(), record.dump(2) + "\n");
    if (context.cancel()->isRequested()) throw Cancelled();
    const RunOutcome outcome = engine.run(&context.events(), context.cancel(), context.pause());

    // The best model's answers on the dev set, example by example, for the results' list of
    // misclassified examples. A failure here costs only that list: the run is saved.
    if (outcome.end != RunEnd::Failed && !outcome.evaluation.bestFolder.empty()) {
      try {
        std::vector<ExamplePrediction> predictions;
        scoreSavedModel(outcome.evaluation.bestFolder, s.task, *tokenizer, dev, labels,
                        adapterOptions, device, precision, s.evalBatchSize, s.seed, &predictions);
        writePredictionsFile((folder / kDevPredictionsFile).string(), predictions);
      } catch (const std::exception&) {
      }
    }
  }

 private:
  FinetuneJob job_;
};

}  // namespace

std::unique_ptr<RunJob> makeRunJob(const FinetuneJob& job) {
  return std::make_unique<FinetuneRunJob>(job);
}

}  // namespace bertwb::ui
