#include "finetune/finetune_panel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <cmath>

#include "finetune/finetune_charts.h"
#include "finetune/finetune_job.h"
#include "finetune/finetune_results.h"
#include "finetune/finetune_settings_form.h"
#include "finetune/finetune_task_import.h"
#include "finetune/misclassified_view.h"
#include "io/manifests.h"
#include "model/bert_config.h"
#include "runs/run_session.h"
#include "shell/json_bridge.h"
#include "shell/workspace.h"
#include "tasks/classification_metrics.h"
#include "tasks/entity_metrics.h"
#include "train/metrics_log.h"
#include "util/format.h"

namespace bertwb::ui {
namespace {

// A best accuracy within this of the majority class counts as no better than it.
constexpr double kBaselineMargin = 0.01;

const QString kSection = QStringLiteral("finetune");
const QString kLastRunKey = QStringLiteral("lastRun");
const QString kDefaultDemoTask = QStringLiteral("sentiment");
constexpr int kSettingsColumnWidth = 470;
constexpr int kChartsStretch = 1, kResultsStretch = 1;
constexpr int kChartsHeight = 430, kResultsHeight = 330;  // first sizes: the results need room

// "tasks/sentiment/train.tsv" → "sentiment"; "mrpc_train.csv" → "mrpc_train".
QString runBaseName(const FinetuneSettings& s) {
  const QFileInfo train(s.trainFile);
  QString base = train.fileName().startsWith(QLatin1String("train"), Qt::CaseInsensitive)
                     ? train.dir().dirName()
                     : train.completeBaseName();
  base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("-"));
  return base.isEmpty() || base == QLatin1String(".")
             ? QString::fromLatin1(finetuneTaskName(s.task))
             : base;
}

// A classification run's confusion matrix and per-class scores, counted again from its dev
// predictions (names → the run's label ids); none when they do not name the run's labels.
std::optional<ClassificationReport> reportFromPredictions(const QVector<DevPrediction>& rows,
                                                          const std::vector<std::string>& labels) {
  std::vector<int> predicted, gold;
  for (const DevPrediction& row : rows) {
    const auto p = std::find(labels.begin(), labels.end(), row.predicted.toStdString());
    const auto g = std::find(labels.begin(), labels.end(), row.gold.toStdString());
    if (p == labels.end() || g == labels.end()) return std::nullopt;
    predicted.push_back(static_cast<int>(p - labels.begin()));
    gold.push_back(static_cast<int>(g - labels.begin()));
  }
  if (gold.empty()) return std::nullopt;
  return classificationReport(predicted, gold, static_cast<int>(labels.size()));
}

// A tagging run's per-type entity scores, counted again from its dev predictions (each a
// space-separated tag per word); none without predictions.
std::optional<EntityReport> entityReportFromPredictions(const QVector<DevPrediction>& rows) {
  std::vector<std::vector<std::string>> predicted, gold;
  const auto tags = [](const QString& line) {
    std::vector<std::string> out;
    for (const QString& tag : line.split(QLatin1Char(' '), Qt::SkipEmptyParts))
      out.push_back(tag.toStdString());
    return out;
  };
  for (const DevPrediction& row : rows) {
    predicted.push_back(tags(row.predicted));
    gold.push_back(tags(row.gold));
  }
  if (gold.empty()) return std::nullopt;
  try {
    return entityReport(predicted, gold);
  } catch (const std::exception&) {
    return std::nullopt;  // an edited file: the per-type table stays empty, the rest shows
  }
}

}  // namespace

FinetunePanel::FinetunePanel(Workspace* workspace, QWidget* parent)
    : QWidget(parent), workspace_(workspace), session_(new RunSession(this)) {
  buildLayout();
  QString defaultsSource;
  FinetuneSettings defaults =
      defaultFinetuneSettings(FinetuneTask::Classify, workspace_->modelConfig(), &defaultsSource);
  // With no checkpoint yet, random weights are the start that works at once.
  if (form_->checkpointCount() == 0) defaults.start = FinetuneStart::Random;
  const QJsonObject saved = workspace_->section(kSection);
  FinetuneSettings restored = finetuneSettingsFromJson(saved, defaults);
  for (QString* path : {&restored.trainFile, &restored.devFile, &restored.startFolder})
    *path = workspace_->resolvePath(*path);
  setSettings(restored);
  if (saved.isEmpty()) form_->setDefaultsSource(defaultsSource);
  if (settings().trainFile.isEmpty()) import_->useDemoTask(kDefaultDemoTask);
  charts_->setRunsFolder(workspace_->finetunedFolder());
  // After a restart the stage shows the last run, not an empty chart.
  const QString lastRun = saved.value(kLastRunKey).toString();
  if (!lastRun.isEmpty()) showRun(lastRun);

  connect(import_, &FinetuneTaskImport::edited, this, &FinetunePanel::saveSettings);
  connect(import_, &FinetuneTaskImport::taskChanged, this, &FinetunePanel::onTaskChanged);
  connect(form_, &FinetuneSettingsForm::edited, this, &FinetunePanel::saveSettings);
  connect(form_, &FinetuneSettingsForm::defaultsRequested, this, &FinetunePanel::useModelDefaults);
  connect(startButton_, &QPushButton::clicked, this, &FinetunePanel::start);
  connect(stopButton_, &QPushButton::clicked, this, &FinetunePanel::requestStop);
  connect(session_, &RunSession::preparing, this, [this](const QString& message) {
    if (endState_.isEmpty()) setState(QStringLiteral("preparing: ") + message, true);
  });
  connect(session_, &RunSession::started, this, &FinetunePanel::onStarted);
  connect(session_, &RunSession::stepped, this, &FinetunePanel::onStep);
  connect(session_, &RunSession::evaluated, this, &FinetunePanel::onEvaluation);
  connect(session_, &RunSession::modelSaved, this, &FinetunePanel::modelSaved);
  connect(session_, &RunSession::finished, this, &FinetunePanel::onFinished);
  connect(session_, &RunSession::failed, this, [this](const QString& message) {
    endState_ = QStringLiteral("failed");
    showError(message);
  });
  connect(session_, &RunSession::stopped, this, &FinetunePanel::onStopped);
  connect(workspace_, &Workspace::modelConfigChanged, form_,
          &FinetuneSettingsForm::refreshCheckpoints);
  setState(QStringLiteral("idle"), false);
}

FinetunePanel::~FinetunePanel() = default;  // session_ (a child) stops and joins the run

void FinetunePanel::buildLayout() {
  import_ = new FinetuneTaskImport(workspace_->tasksFolder(), this);
  form_ = new FinetuneSettingsForm(workspace_, this);
  auto* taskBox = new QGroupBox(tr("Task and data"), this);
  auto* taskLayout = new QVBoxLayout(taskBox);
  taskLayout->addWidget(import_);
  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 6, 0);
  leftLayout->addWidget(taskBox, 1);
  leftLayout->addWidget(form_);
  auto* leftScroll = new QScrollArea(this);
  leftScroll->setWidget(left);
  leftScroll->setWidgetResizable(true);
  leftScroll->setFrameShape(QFrame::NoFrame);
  leftScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  leftScroll->setMinimumWidth(kSettingsColumnWidth);

  startButton_ = new QPushButton(tr("Start"), this);
  startButton_->setToolTip(
      tr("Fine-tune into a new run folder under finetuned/ with these settings."));
  stopButton_ = new QPushButton(tr("Stop"), this);
  stopButton_->setToolTip(tr("Stop after the current step; the best model so far stays in best/."));
  progress_ = new QProgressBar(this);
  progress_->setFormat(tr("no run yet"));
  progress_->setRange(0, 1);
  progress_->setValue(0);
  statusLabel_ = new QLabel(this);
  statusLabel_->setWordWrap(true);
  statusLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorLabel_ = new QLabel(this);
  errorLabel_->setWordWrap(true);
  errorLabel_->setStyleSheet(QStringLiteral("color: #aa1414;"));
  errorLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorLabel_->hide();
  baselineWarning_ = new QLabel(this);
  baselineWarning_->setWordWrap(true);
  baselineWarning_->setStyleSheet(QStringLiteral(
      "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a; padding: 6px; }"));
  baselineWarning_->hide();
  auto* controls = new QHBoxLayout;
  controls->addWidget(startButton_);
  controls->addWidget(stopButton_);
  controls->addWidget(progress_, 1);

  charts_ = new FinetuneCharts(this);
  results_ = new FinetuneResults(this);
  auto* resultsScroll = new QScrollArea(this);
  resultsScroll->setWidget(results_);
  resultsScroll->setWidgetResizable(true);
  resultsScroll->setFrameShape(QFrame::NoFrame);
  misclassified_ = new MisclassifiedView(this);
  resultTabs_ = new QTabWidget(this);
  resultTabs_->addTab(resultsScroll, tr("Scores"));
  resultTabs_->addTab(misclassified_, tr("Misclassified"));
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(charts_);
  splitter->addWidget(resultTabs_);
  splitter->setStretchFactor(0, kChartsStretch);
  splitter->setStretchFactor(1, kResultsStretch);
  splitter->setSizes({kChartsHeight, kResultsHeight});
  splitter->setChildrenCollapsible(false);

  auto* right = new QVBoxLayout;
  right->addLayout(controls);
  right->addWidget(statusLabel_);
  right->addWidget(errorLabel_);
  right->addWidget(baselineWarning_);
  right->addWidget(splitter, 1);
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(leftScroll);
  layout->addLayout(right, 1);
}

FinetuneSettings FinetunePanel::settings() const {
  FinetuneSettings s;
  import_->applyTo(s);
  form_->applyTo(s);
  return s;
}

void FinetunePanel::setSettings(const FinetuneSettings& s) {
  import_->setSettings(s);
  form_->setSettings(s);
}

void FinetunePanel::saveSettings() {
  QJsonObject json = finetuneSettingsToJson(settings());
  if (!runFolder_.isEmpty()) json[kLastRunKey] = runFolder_;
  workspace_->setSection(kSection, json);
}

BertConfig FinetunePanel::startModelConfig() const {
  // The model the run starts from: the chosen checkpoint's or imported folder's config.json;
  // random initialisation builds the workspace model.
  const QString folder = form_->startFolder();
  if (!folder.isEmpty()) {
    try {
      return loadConfigFile(QDir(folder).filePath(QStringLiteral("config.json")).toStdString());
    } catch (const std::exception&) {
      // Not readable (yet): the workspace model is the best guess; Start reports the folder.
    }
  }
  return workspace_->modelConfig();
}

void FinetunePanel::useModelDefaults() {
  FinetuneSettings s = settings();
  QString source;
  const FinetuneSettings defaults = defaultFinetuneSettings(s.task, startModelConfig(), &source);
  // The recipe's hyper-parameters; the task, its files, the start and the seed stay.
  const uint64_t seed = s.seed;
  static_cast<FinetuningRecipe&>(s) = static_cast<const FinetuningRecipe&>(defaults);
  s.seed = seed;
  form_->setSettings(s);
  form_->setDefaultsSource(source);
  saveSettings();
}

void FinetunePanel::onTaskChanged() {
  // QA reads question and context windows of 384 pieces (run_squad.py); the others 128.
  FinetuneSettings s = settings();
  s.maxSeqLength = defaultMaxSeqLength(s.task);
  form_->setSettings(s);
  saveSettings();
}

void FinetunePanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!session_->isRunning()) form_->refreshCheckpoints();
}

bool FinetunePanel::isRunning() const {
  return session_->isRunning();
}

void FinetunePanel::requestStop() {
  if (!session_->isRunning()) return;
  session_->requestStop();
  setState(QStringLiteral("stopping"), true);
}

bool FinetunePanel::waitUntilStopped(int milliseconds) {
  return session_->waitUntilStopped(milliseconds);
}

QString FinetunePanel::newRunFolder(const FinetuneSettings& s) const {
  const QDir finetuned(workspace_->finetunedFolder());
  const QString base = runBaseName(s);
  for (int n = 1;; ++n) {
    const QString folder = finetuned.filePath(QStringLiteral("%1-%2").arg(base).arg(n));
    if (!QFileInfo::exists(folder)) return folder;  // never train over an earlier run
  }
}

bool FinetunePanel::start() {
  if (session_->isRunning()) return false;
  errorLabel_->hide();
  baselineWarning_->hide();
  const FinetuneSettings s = settings();
  if (s.trainFile.isEmpty() || !QFileInfo::exists(s.trainFile) || s.devFile.isEmpty() ||
      !QFileInfo::exists(s.devFile)) {
    showError(tr("Choose a training file and a dev file that exist."));
    return false;
  }
  if (s.start != FinetuneStart::Random && s.startFolder.isEmpty()) {
    showError(s.start == FinetuneStart::Imported
                  ? tr("Choose the Hugging Face folder to start from.")
                  : tr("The workspace has no checkpoint yet: pre-train a model first, "
                       "or start from random weights."));
    return false;
  }
  if (s.start == FinetuneStart::Random && !workspace_->hasTokenizer()) {
    showError(
        tr("Random weights need the workspace's tokenizer: train one with the Model wizard (Model "
           "▸ Model Wizard…) first."));
    return false;
  }
  FinetuneJob job;
  job.settings = s;
  job.randomModel = workspace_->modelConfig();
  job.workspaceTokenizer = workspace_->tokenizerFolder();
  job.runFolder = newRunFolder(s);
  QDir().mkpath(job.runFolder);  // claims the name at once
  runFolder_ = job.runFolder;
  endState_.clear();
  evaluations_ = 0;
  charts_->reset(QString::fromLatin1(finetuneTaskName(job.settings.task)));
  charts_->setRunsFolder(workspace_->finetunedFolder(), runFolder_);
  results_->clear(tr("Results appear after the first evaluation on the dev set."));
  misclassified_->clear(
      tr("The dev examples the best model gets wrong appear here when the run "
         "ends."));
  progress_->setRange(0, 1);
  progress_->setValue(0);
  saveSettings();
  if (!session_->start(makeRunJob(job))) return false;
  setState(QStringLiteral("preparing"), true);
  return true;
}

void FinetunePanel::onStarted(const RunInfo& info) {
  precision_ = info.precisionReason;
  progress_->setFormat(tr("%v / %m steps"));
  progress_->setRange(0, static_cast<int>(info.totalSteps));
  progress_->setValue(0);
  QString text = tr("%1 → %2: %3 training examples (%4 sequences), %5 dev; %6 steps.")
                     .arg(QFileInfo(runFolder_).fileName(), info.architecture)
                     .arg(QString::fromStdString(formatCount(info.trainExamples)))
                     .arg(QString::fromStdString(formatCount(info.trainingFeatures)))
                     .arg(QString::fromStdString(formatCount(info.devExamples)))
                     .arg(info.totalSteps);
  text += QLatin1Char(' ') + tr("Training in %1.").arg(info.precisionReason);
  if (!info.loadSummary.isEmpty())
    text += QLatin1Char(' ') + info.loadSummary.left(1).toUpper() + info.loadSummary.mid(1) +
            QLatin1Char('.');
  statusLabel_->setToolTip(text);
  if (endState_.isEmpty())
    setState(QStringLiteral("running step 0/%1 · %2").arg(info.totalSteps).arg(precision_), true);
  statusLabel_->setText(text);
}

QString FinetunePanel::baselineWarning() const {
  return baselineWarning_->isHidden() ? QString() : baselineWarning_->text();
}

void FinetunePanel::warnWhenNoBetterThanBaseline(const EvaluationRecord& evaluation) {
  const double baseline = charts_->baseline();
  if (!evaluation.best || std::isnan(baseline) || evaluation.best->mainMetric != "accuracy" ||
      evaluation.best->main() > baseline + kBaselineMargin) {
    baselineWarning_->hide();
    return;
  }
  baselineWarning_->setText(
      tr("<b>No better than guessing.</b> The best dev accuracy (%1) does not beat always "
         "answering the most frequent class (%2). Likely causes: a learning rate too small for "
         "this model (try <i>Defaults for this model</i>), too few epochs, or a frozen encoder.")
          .arg(evaluation.best->main(), 0, 'f', 3)
          .arg(baseline, 0, 'f', 3));
  baselineWarning_->show();
}

void FinetunePanel::onStep(const StepMetrics& step) {
  charts_->addStep(step);
  progress_->setValue(static_cast<int>(step.step));
  if (session_->isRunning() && endState_.isEmpty())
    Q_EMIT runStateChanged(QStringLiteral("running step %1/%2 · %3")
                               .arg(step.step)
                               .arg(step.totalSteps)
                               .arg(precision_));
}

void FinetunePanel::onEvaluation(const EvaluationEvent& e) {
  ++evaluations_;
  charts_->addEvaluation(e.step, e.scores.main(), QString::fromStdString(e.scores.mainMetric),
                         e.best);
  // What a classifier must beat: always answering the dev set's most frequent class.
  if (e.details.classification && e.scores.mainMetric == "accuracy" &&
      std::isnan(charts_->baseline())) {
    const double majority = majorityClassAccuracy(*e.details.classification);
    charts_->setBaseline(majority, tr("majority class %1").arg(majority, 0, 'f', 3));
  }
  if (e.best) results_->showEvaluation(e);
  Q_EMIT evaluated(e.step);
}

void FinetunePanel::onFinished(const RunOutcome& r) {
  const bool finished = r.end == RunEnd::Finished;
  const EvaluationRecord& evaluation = r.evaluation;
  endState_ =
      (finished ? QStringLiteral("finished at step %1") : QStringLiteral("stopped at step %1"))
          .arg(r.step);
  QString text =
      finished ? tr("Finished %1 steps.").arg(r.step) : tr("Stopped at step %1.").arg(r.step);
  if (evaluation.best && !evaluation.bestFolder.empty())
    text += tr(" Best %1 %2 at step %3, saved in %4.")
                .arg(QString::fromStdString(evaluation.best->mainMetric))
                .arg(evaluation.best->main(), 0, 'f', 4)
                .arg(evaluation.bestStep)
                .arg(QDir(workspace_->folder())
                         .relativeFilePath(QString::fromStdString(evaluation.bestFolder)));
  statusLabel_->setText(text);
  warnWhenNoBetterThanBaseline(evaluation);
}

void FinetunePanel::onStopped() {
  if (endState_.isEmpty()) endState_ = QStringLiteral("stopped");
  // A run that failed or stopped before training wrote nothing: give its name back (rmdir
  // removes only an empty folder, so nothing written is ever lost).
  QDir().rmdir(runFolder_);
  if (QFileInfo::exists(runFolder_)) {
    misclassified_->showRun(runFolder_);
    rememberLastRun();
  }
  charts_->replotNow();
  setState(endState_, false);
  form_->refreshCheckpoints();
  Q_EMIT runFinished();
}

bool FinetunePanel::showRun(const QString& folder) {
  if (session_->isRunning()) return false;
  const FinetuneHistory history =
      readFinetuneMetrics(QDir(folder).filePath(QStringLiteral("metrics.jsonl")));
  if (history.lossSteps.isEmpty() && history.evalSteps.isEmpty()) return false;
  runFolder_ = folder;
  evaluations_ = static_cast<int>(history.evalSteps.size());
  // What the run was started with: its task here, its labels for the results below.
  const nlohmann::json settings =
      toNlohmann(readJsonObjectFile(QDir(folder).filePath(QString::fromLatin1(kRunSettingsFile))));
  const nlohmann::json started = settings.value("settings", nlohmann::json::object());
  const std::string task =
      started.is_object() && started.value("task", nlohmann::json()).is_string()
          ? started["task"].get<std::string>()
          : std::string();
  charts_->reset(QString::fromStdString(task));
  charts_->setRunsFolder(workspace_->finetunedFolder(), folder);
  for (int i = 0; i < history.lossSteps.size(); ++i) {
    StepMetrics step;
    step.step = static_cast<int64_t>(history.lossSteps[i]);
    step.loss = history.losses[i];
    charts_->addStep(step);
  }
  EvaluationRecord record;
  try {
    record = evaluationRecordFromJson(toNlohmann(
        readJsonObjectFile(QDir(folder).filePath(QString::fromLatin1(kEvalResultsManifest)))));
  } catch (const std::exception&) {
    // A stopped run has no final record: its curves and mistakes still show.
  }
  for (int i = 0; i < history.evalSteps.size(); ++i)
    charts_->addEvaluation(static_cast<qint64>(history.evalSteps[i]), history.evalValues[i],
                           history.mainMetric,
                           record.best && history.evalSteps[i] == record.bestStep);
  misclassified_->showRun(folder);
  if (record.best) {
    EvaluationEvent best;
    best.step = record.bestStep;
    best.best = true;
    best.scores = *record.best;
    const QVector<DevPrediction> rows =
        readDevPredictions(QDir(folder).filePath(QString::fromLatin1(kDevPredictionsFile)));
    best.details.scoredExamples = rows.size();
    if (task == "tag") {
      best.details.entities = entityReportFromPredictions(rows);
    } else if (settings.is_object() && settings.contains("labels") &&
               settings["labels"].is_array()) {
      best.details.labels = settings["labels"].get<std::vector<std::string>>();
      best.details.classification = reportFromPredictions(rows, best.details.labels);
    }
    results_->showEvaluation(best);
    if (best.details.classification && best.scores.mainMetric == "accuracy") {
      const double majority = majorityClassAccuracy(*best.details.classification);
      charts_->setBaseline(majority, tr("majority class %1").arg(majority, 0, 'f', 3));
    }
  } else {
    results_->clear(tr("This run stopped before its final scores were written."));
  }
  charts_->replotNow();
  statusLabel_->setText(
      tr("Showing %1 as it ended.").arg(QDir(workspace_->folder()).relativeFilePath(folder)));
  rememberLastRun();
  return true;
}

void FinetunePanel::rememberLastRun() {
  saveSettings();
}

void FinetunePanel::setState(const QString& state, bool running) {
  running_ = running;
  startButton_->setEnabled(!running);
  stopButton_->setEnabled(running && state != QLatin1String("stopping"));
  import_->setEnabled(!running);
  form_->setEnabled(!running);
  if (!running && state == QLatin1String("idle"))
    statusLabel_->setText(tr("Idle. Choose a task and press Start."));
  if (state.startsWith(QLatin1String("preparing")))
    statusLabel_->setText(state.mid(QStringLiteral("preparing: ").size()));
  Q_EMIT runStateChanged(state);
}

void FinetunePanel::showError(const QString& message) {
  errorLabel_->setText(message);
  errorLabel_->show();
  if (errorDialogs_) QMessageBox::warning(this, tr("Fine-tuning"), message);
}

QString FinetunePanel::errorText() const {
  return errorLabel_->isHidden()
             ? QString()
             : errorLabel_->text();  // hidden: no error (isVisible needs a shown window)
}
QString FinetunePanel::statusText() const {
  return statusLabel_->text();
}

}  // namespace bertwb::ui
