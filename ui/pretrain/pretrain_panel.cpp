#include "pretrain/pretrain_panel.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTextDocument>
#include <QVBoxLayout>
#include <algorithm>

#include "pretrain/checkpoint_list.h"
#include "pretrain/pretrain_job.h"
#include "pretrain/pretrain_settings_form.h"
#include "pretrain/probe_view.h"
#include "pretrain/training_charts.h"
#include "runs/run_session.h"
#include "shell/workspace.h"
#include "util/format.h"
#include "widgets/display_units.h"
#include "widgets/elided_label.h"

namespace bertwb::ui {
namespace {

const QString& kSection = kPretrainSection;
const QString kLastRunKey = QStringLiteral("lastRun");
const QString kDemoCorpusFile =
    QStringLiteral("pretrain.txt");  // where the demo world puts its corpus
constexpr int kSettingsColumnWidth = 330;
constexpr int kProbeColumnWidth = 280;  // with the others, fits a 1280-px window

QString demoCorpusPath(const Workspace& workspace) {
  const QString path = QDir(workspace.corpusFolder()).filePath(kDemoCorpusFile);
  return workspace.isDemo() && QFileInfo::exists(path) ? path : QString();
}

}  // namespace

PretrainPanel::PretrainPanel(Workspace* workspace, QWidget* parent)
    : QWidget(parent), workspace_(workspace), session_(new RunSession(this)) {
  buildLayout();
  const QJsonObject saved = workspace_->section(kSection);
  // A run stopped in an earlier session (no final model yet) can be resumed after a restart.
  const QString lastRun = saved.value(kLastRunKey).toString();
  const bool lastRunFinished =
      QFileInfo::exists(QDir(lastRun).filePath(QStringLiteral("model.safetensors")));
  if (!lastRun.isEmpty() && !checkpointFolders(lastRun).isEmpty() && !lastRunFinished) {
    runFolder_ = lastRun;
    lastRunResumable_ = true;
    refreshCheckpoints();
  }
  const QString demo = demoCorpusPath(*workspace_);
  setSettings(pretrainSettingsFromJson(
      saved, defaultPretrainSettings(workspace_->modelConfig(), !demo.isEmpty(), demo)));
  runSettings_ = settings();
  charts_->setRunsFolder(workspace_->runsFolder(), runFolder_);
  // After a restart the stage shows the last run's curves, not an empty chart.
  if (!lastRun.isEmpty()) showRun(lastRun);
  form_->setMaxSequenceLimit(workspace_->modelConfig().max_position_embeddings);
  charts_->setVocabularySize(workspace_->modelConfig().vocab_size);
  connect(workspace_, &Workspace::modelConfigChanged, this, [this] {
    form_->setMaxSequenceLimit(workspace_->modelConfig().max_position_embeddings);
    charts_->setVocabularySize(workspace_->modelConfig().vocab_size);
  });

  connect(workspace_, &Workspace::sectionChanged, this, [this](const QString& key) {
    if (key == kSection && !savingSettings_) followWorkspaceRecipe();
  });
  connect(dataSummary_, &QLabel::linkActivated, this, &PretrainPanel::dataSettingsRequested);
  connect(form_, &PretrainSettingsForm::edited, this, &PretrainPanel::saveSettings);
  connect(probeView_, &ProbeView::probesEdited, this, &PretrainPanel::saveSettings);
  connect(startButton_, &QPushButton::clicked, this, &PretrainPanel::start);
  connect(pauseButton_, &QPushButton::clicked, this, &PretrainPanel::pause);
  connect(resumeButton_, &QPushButton::clicked, this, &PretrainPanel::resume);
  connect(stopButton_, &QPushButton::clicked, this, &PretrainPanel::requestStop);
  connect(defaultsButton_, &QPushButton::clicked, this, &PretrainPanel::restoreDefaults);

  connect(session_, &RunSession::preparing, this, [this](const QString& message) {
    if (state_ != State::Stopping)
      setState(State::Preparing, QStringLiteral("preparing: ") + message);
  });
  connect(session_, &RunSession::started, this, [this](const RunInfo& info) {
    step_ = info.step;
    totalSteps_ = info.totalSteps;
    precision_ = info.precisionReason;
    precisionName_ = info.precision;
    progress_->setRange(0, static_cast<int>(info.totalSteps));
    progress_->setValue(static_cast<int>(info.step));
    statusLabel_->setFullText(tr("Training on %1 in %2.").arg(info.device, info.precisionReason));
    if (state_ != State::Stopping) setState(State::Running, runningDescription());
  });
  connect(session_, &RunSession::stepped, this, &PretrainPanel::onStep);
  connect(session_, &RunSession::probed, this, [this](const ProbeResult& probe) {
    probeView_->showResult(probe);
    Q_EMIT probesUpdated(probe.step);
  });
  connect(session_, &RunSession::checkpointSaved, this, [this](const QString& folder, qint64) {
    refreshCheckpoints();
    Q_EMIT checkpointListed(folder);
  });
  connect(session_, &RunSession::finished, this, &PretrainPanel::onFinished);
  connect(session_, &RunSession::failed, this, &PretrainPanel::onFailed);
  connect(session_, &RunSession::stopped, this, &PretrainPanel::onStopped);
  updateButtons();
}

PretrainPanel::~PretrainPanel() = default;  // session_ (a child) stops and joins the run

void PretrainPanel::buildLayout() {
  form_ = new PretrainSettingsForm(this);
  defaultsButton_ = new QPushButton(tr("Defaults for this model"), this);
  defaultsButton_->setToolTip(
      tr("Reset the settings to the defaults for the workspace's model size."));
  auto* settingsBox = new QGroupBox(tr("Hyper-parameters"), this);
  auto* settingsLayout = new QVBoxLayout(settingsBox);
  settingsLayout->addWidget(form_);
  dataSummary_ = new QLabel(this);
  dataSummary_->setWordWrap(true);
  dataSummary_->setTextFormat(Qt::RichText);
  dataSummary_->setToolTip(
      tr("How the run makes its masked-LM and next-sentence instances. The Masking & NSP tab "
         "shows them on real instances and is where they are changed."));
  settingsLayout->addWidget(dataSummary_);
  settingsLayout->addWidget(defaultsButton_);
  settingsLayout->addStretch(1);
  auto* settingsScroll = new QScrollArea(this);
  settingsScroll->setWidget(settingsBox);
  settingsScroll->setWidgetResizable(true);
  settingsScroll->setFrameShape(QFrame::NoFrame);
  // As wide as the form needs (plus a vertical scroll bar): it scrolls down, never sideways.
  settingsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  settingsScroll->setMinimumWidth(
      std::max(kSettingsColumnWidth, settingsBox->minimumSizeHint().width() +
                                         settingsScroll->verticalScrollBar()->sizeHint().width()));

  startButton_ = new QPushButton(tr("Start"), this);
  startButton_->setToolTip(
      tr("Start a new run from freshly initialised weights with these settings."));
  pauseButton_ = new QPushButton(tr("Pause"), this);
  pauseButton_->setToolTip(tr("Hold training between two steps; nothing is lost."));
  resumeButton_ = new QPushButton(tr("Resume"), this);
  resumeButton_->setToolTip(
      tr("Continue a paused run, or a stopped run from its newest checkpoint (same data "
         "order, optimizer state and random generators: as if it had never stopped)."));
  stopButton_ = new QPushButton(tr("Stop"), this);
  stopButton_->setToolTip(
      tr("Stop after the current step and save a checkpoint you can resume from."));
  progress_ = new QProgressBar(this);
  progress_->setFormat(tr("%v / %m steps"));
  progress_->setRange(0, 1);
  progress_->setValue(0);
  statusLabel_ = new ElidedLabel(tr("Idle."), this);  // a run folder may be long
  statusLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorLabel_ = new QLabel(this);
  errorLabel_->setWordWrap(true);
  errorLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errorLabel_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
  errorLabel_->hide();
  charts_ = new TrainingCharts(this);

  auto* buttons = new QHBoxLayout;
  for (QPushButton* button : {startButton_, pauseButton_, resumeButton_, stopButton_})
    buttons->addWidget(button);
  buttons->addWidget(progress_, 1);
  auto* centre = new QWidget(this);
  auto* centreLayout = new QVBoxLayout(centre);
  centreLayout->setContentsMargins(0, 0, 0, 0);
  centreLayout->addLayout(buttons);
  centreLayout->addWidget(statusLabel_);
  centreLayout->addWidget(errorLabel_);
  centreLayout->addWidget(charts_, 1);

  probeView_ = new ProbeView(this);
  auto* probeBox = new QGroupBox(tr("Probes: watch the model learn"), this);
  auto* probeLayout = new QVBoxLayout(probeBox);
  probeLayout->addWidget(probeView_);
  checkpointList_ = new CheckpointList(this);
  auto* checkpointBox = new QGroupBox(tr("Checkpoints"), this);
  auto* checkpointLayout = new QVBoxLayout(checkpointBox);
  checkpointLayout->addWidget(checkpointList_);
  auto* right = new QWidget(this);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(probeBox, 3);
  rightLayout->addWidget(checkpointBox, 1);
  right->setMinimumWidth(kProbeColumnWidth);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(settingsScroll);
  splitter->addWidget(centre);
  splitter->addWidget(right);
  splitter->setStretchFactor(1, 1);
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(splitter);
}

bool PretrainPanel::isRunning() const {
  return session_->isRunning();
}
void PretrainPanel::requestStop() {
  if (!session_->isRunning()) return;
  session_->requestStop();
  setState(State::Stopping, QStringLiteral("stopping"));
}
bool PretrainPanel::waitUntilStopped(int milliseconds) {
  return session_->waitUntilStopped(milliseconds);
}

PretrainSettings PretrainPanel::settings() const {
  PretrainSettings s = form_->settings();
  s.probeTexts = probeView_->fillMaskTexts();
  s.probeNspA = probeView_->nspTextA();
  s.probeNspB = probeView_->nspTextB();
  return s;
}

void PretrainPanel::setSettings(const PretrainSettings& settings) {
  form_->setSettings(settings);
  probeView_->setProbes(settings.probeTexts, settings.probeNspA, settings.probeNspB);
  saveSettings();
}

void PretrainPanel::saveSettings() {
  QJsonObject json = pretrainSettingsToJson(settings());
  if (!runFolder_.isEmpty()) json[kLastRunKey] = runFolder_;
  savingSettings_ = true;
  try {
    workspace_->setSection(kSection, json);
  } catch (const std::exception& e) {
    // Not worth interrupting the user: the settings are still on screen.
    errorLabel_->setText(tr("Could not save the settings: %1").arg(fromStd(e.what())));
    errorLabel_->show();
  }
  savingSettings_ = false;
  showDataSummary();
}

void PretrainPanel::followWorkspaceRecipe() {
  const PretrainSettings current = settings();
  const PretrainSettings saved = pretrainSettingsFromJson(workspace_->section(kSection), current);
  if (saved != current) form_->setSettings(saved);  // no save: it is the saved state
  showDataSummary();
}

QString PretrainPanel::dataSummaryText() const {
  QTextDocument document;
  document.setHtml(dataSummary_->text());
  return document.toPlainText();
}

void PretrainPanel::showDataSummary() {
  const PretrainSettings s = settings();
  const auto percent = [](double share) { return QString::number(share * kPercent, 'g', 3); };
  dataSummary_->setText(
      tr("<b>Instances</b> (<a href='masking'>set in Masking &amp; NSP</a>): %1% of tokens "
         "predicted (%2% [MASK], %3% random, %4% kept), at most %5 a sequence; %6% short "
         "sequences; whole-word masking %7.")
          .arg(percent(s.maskedLmProb), percent(s.maskTokenShare), percent(s.randomTokenShare),
               percent(std::max(0.0, 1.0 - s.maskTokenShare - s.randomTokenShare)))
          .arg(s.maxPredictionsPerSeq)
          .arg(percent(s.shortSeqProb), s.wholeWordMask ? tr("on") : tr("off")));
}

void PretrainPanel::restoreDefaults() {
  const QString demo = demoCorpusPath(*workspace_);
  setSettings(defaultPretrainSettings(workspace_->modelConfig(), !demo.isEmpty(), demo));
}

bool PretrainPanel::showRun(const QString& folder) {
  if (session_->isRunning()) return false;
  const QVector<StepMetrics> history =
      readMetricsJsonl(QDir(folder).filePath(QStringLiteral("metrics.jsonl")));
  if (history.isEmpty()) return false;
  const bool finished =
      QFileInfo::exists(QDir(folder).filePath(QStringLiteral("model.safetensors")));
  if (folder != runFolder_) lastRunResumable_ = !finished && !checkpointFolders(folder).isEmpty();
  runFolder_ = folder;
  charts_->reset(history);
  charts_->setRunsFolder(workspace_->runsFolder(), folder);
  charts_->replotNow();
  refreshCheckpoints();
  step_ = history.last().step;
  totalSteps_ = history.last().totalSteps;
  progress_->setRange(0, static_cast<int>(std::max<qint64>(1, totalSteps_)));
  progress_->setValue(static_cast<int>(step_));
  const QString name = QDir(workspace_->folder()).relativeFilePath(folder);
  statusLabel_->setFullText(
      finished ? tr("Showing %1: finished at step %2.").arg(name).arg(step_)
               : tr("Showing %1: stopped at step %2%3")
                     .arg(name)
                     .arg(step_)
                     .arg(lastRunResumable_ ? tr("; Resume continues it.") : QStringLiteral(".")));
  updateButtons();
  saveSettings();  // remembered as the last run
  return true;
}

QString PretrainPanel::newRunFolder(const QString& name) const {
  const QDir runs(workspace_->runsFolder());
  const QString base =
      name.isEmpty() ? QStringLiteral("run-") +
                           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))
                     : name;
  // Two starts within one second (or a reused name) must not share a folder.
  QString candidate = base;
  for (int n = 2; runs.exists(candidate) && !checkpointFolders(runs.filePath(candidate)).isEmpty();
       ++n)
    candidate = base + QStringLiteral("-%1").arg(n);
  return runs.filePath(candidate);
}

bool PretrainPanel::start() {
  if (session_->isRunning()) return false;
  const PretrainSettings s = settings();
  return launch(s, newRunFolder(s.runName), /*resume=*/false);
}

void PretrainPanel::pause() {
  if (state_ != State::Running) return;
  session_->setPaused(true);
  setState(State::Paused, QStringLiteral("paused at step %1/%2").arg(step_).arg(totalSteps_));
}

bool PretrainPanel::isPauseHolding() const {
  return state_ == State::Paused && session_->isHoldingPause();
}

bool PretrainPanel::canResumeStoppedRun() const {
  return !session_->isRunning() && lastRunResumable_ && !checkpointFolders(runFolder_).isEmpty();
}

bool PretrainPanel::resume() {
  if (state_ == State::Paused) {
    session_->setPaused(false);
    setState(State::Running, runningDescription());
    return true;
  }
  if (!canResumeStoppedRun()) return false;
  return launch(runSettings_, runFolder_, /*resume=*/true);
}

bool PretrainPanel::launch(const PretrainSettings& settings, const QString& runFolder,
                           bool resume) {
  PretrainJob job;
  job.settings = settings;
  job.model = workspace_->modelConfig();
  job.tokenizerFolder = workspace_->tokenizerFolder();
  job.corpusFiles = workspace_->corpusFiles();
  job.runFolder = runFolder;
  job.resume = resume;
  runSettings_ = settings;
  runFolder_ = runFolder;
  lastRunResumable_ = false;
  step_ = 0;
  totalSteps_ = settings.steps;
  errorLabel_->hide();
  probeView_->clearResult();
  // A resumed run's chart continues its history up to the checkpoint it resumes from (the
  // trainer trims metrics.jsonl to that step).
  QVector<StepMetrics> past;
  if (resume) {
    const QStringList checkpoints = checkpointFolders(runFolder);
    const qint64 from = checkpoints.isEmpty() ? 0 : checkpointStep(checkpoints.last());
    for (const StepMetrics& m :
         readMetricsJsonl(QDir(runFolder).filePath(QStringLiteral("metrics.jsonl"))))
      if (m.step <= from) past.push_back(m);
  }
  charts_->reset(past);
  charts_->setRunsFolder(workspace_->runsFolder(), runFolder);
  refreshCheckpoints();
  saveSettings();
  if (!session_->start(makeRunJob(job))) return false;
  Q_EMIT runningChanged(true);
  probeView_->setEditable(false);
  form_->setEnabled(false);
  setState(State::Preparing, QStringLiteral("preparing"));
  return true;
}

void PretrainPanel::onStep(const StepMetrics& m) {
  step_ = m.step;
  totalSteps_ = m.totalSteps;
  charts_->addStep(m);
  progress_->setRange(0, static_cast<int>(m.totalSteps));
  progress_->setValue(static_cast<int>(m.step));
  statusLabel_->setFullText(
      tr("Step %1 of %2 · loss %3 · %4 tokens/s in %5 · ETA %6")
          .arg(fromStd(formatCount(m.step)), fromStd(formatCount(m.totalSteps)))
          .arg(m.loss, 0, 'f', 3)
          .arg(fromStd(formatCount(static_cast<int64_t>(m.tokensPerSecond))), precisionName_,
               fromStd(formatSeconds(m.etaSeconds))));
  // The precision is in the text; the elided label keeps its full text as the tooltip.
  if (state_ == State::Running) setState(State::Running, runningDescription());
  Q_EMIT progressed(m.step, m.totalSteps);
}

void PretrainPanel::onFinished(const RunOutcome& outcome) {
  step_ = outcome.step;
  const bool stopped = outcome.end == RunEnd::Cancelled;
  lastRunResumable_ = stopped && !outcome.lastCheckpoint.empty();
  statusLabel_->setFullText(
      stopped ? tr("Stopped at step %1. %2")
                    .arg(outcome.step)
                    .arg(lastRunResumable_ ? tr("Resume continues from the newest checkpoint.")
                                           : QString())
              : tr("Finished: %1").arg(fromStd(outcome.message)));
  refreshCheckpoints();
  if (!stopped) checkpointList_->addFinalModel(outcome.step);
  Q_EMIT runEnded(stopped ? QStringLiteral("stopped") : QStringLiteral("finished"));
  setState(State::Idle, stopped ? QStringLiteral("stopped at step %1").arg(outcome.step)
                                : QStringLiteral("finished at step %1").arg(outcome.step));
}

void PretrainPanel::onFailed(const QString& message) {
  lastRunResumable_ = !checkpointFolders(runFolder_).isEmpty();
  errorLabel_->setText(tr("Pre-training failed: %1").arg(message));
  errorLabel_->show();
  statusLabel_->setFullText(tr("Failed at step %1.").arg(step_));
  if (errorDialogs_) {
    // Not exec(): the run's thread is still winding down and the window must stay live.
    auto* box = new QMessageBox(QMessageBox::Critical, tr("Pre-training failed"), message,
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
  Q_EMIT failed(message);
  Q_EMIT runEnded(QStringLiteral("failed"));
  setState(State::Idle, QStringLiteral("failed"));
}

void PretrainPanel::onStopped() {
  probeView_->setEditable(true);
  form_->setEnabled(true);
  if (state_ != State::Idle) setState(State::Idle, QStringLiteral("idle"));
  updateButtons();
  Q_EMIT runningChanged(false);
}

QString PretrainPanel::runningDescription() const {
  QString text = QStringLiteral("running step %1/%2").arg(step_).arg(totalSteps_);
  if (!precision_.isEmpty()) text += QStringLiteral(" · ") + precision_;
  return text;
}

void PretrainPanel::setState(State state, const QString& description) {
  state_ = state;
  if (state == State::Preparing)
    statusLabel_->setFullText(description.mid(description.indexOf(QLatin1Char(':')) + 1).trimmed());
  updateButtons();
  Q_EMIT runStateChanged(description);
}

void PretrainPanel::updateButtons() {
  const bool running = session_->isRunning();
  startButton_->setEnabled(!running);
  defaultsButton_->setEnabled(!running);
  pauseButton_->setEnabled(state_ == State::Running);
  resumeButton_->setEnabled(state_ == State::Paused || canResumeStoppedRun());
  stopButton_->setEnabled(running && state_ != State::Stopping);
}

void PretrainPanel::refreshCheckpoints() {
  checkpointList_->showRun(runFolder_);
}

QStringList PretrainPanel::checkpointNames() const {
  return checkpointList_->checkpointNames();
}

QString PretrainPanel::errorText() const {
  return errorLabel_->isHidden() ? QString() : errorLabel_->text();
}

}  // namespace bertwb::ui
