#include "shell/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "attention/attention_panel.h"
#include "attention/embedding_panel.h"
#include "data/data_panel.h"
#include "experiments/experiments_panel.h"
#include "finetune/finetune_panel.h"
#include "masking/masking_panel.h"
#include "model/model_stage_page.h"
#include "model/model_stats.h"
#include "model/model_summary_widget.h"
#include "playground/playground_panel.h"
#include "pretrain/pretrain_panel.h"
#include "shell/background_job.h"
#include "shell/guide_bar.h"
#include "shell/help_window.h"
#include "shell/model_picker.h"
#include "shell/predictor_service.h"
#include "shell/presentation_mode.h"
#include "shell/run_history_dialog.h"
#include "shell/stage_placeholder.h"
#include "shell/stage_table.h"
#include "shell/workspace.h"
#include "util/error.h"
#include "util/format.h"
#include "widgets/elided_label.h"

namespace bertwb::ui {
namespace {

constexpr int kRecentWorkspaces = 8;
const char* const kRecentKey = "workspace/recent";
// The workspace being opened, until it has run a while (MainWindow::kOpenConfirmationMs).
const char* const kOpeningKey = "workspace/opening";
// The stage list at 100% (presentation mode scales it with the text).
constexpr int kStageListWidth = 170, kStageItemWidth = 160, kStageItemHeight = 34;
// Where the workspace keeps the presentation size.
const QString kViewSection = QStringLiteral("view");
const QString kPresentationScaleKey = QStringLiteral("presentationScale");
// How long closing the window waits for a running training step to end and save.
constexpr int kStopOnCloseMilliseconds = 120000;

}  // namespace

MainWindow::MainWindow(const QString& deviceDescription, QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("BERT Workbench"));
  stageList_ = new QListWidget(this);
  stageList_->setFixedWidth(kStageListWidth);
  for (int i = 0; i < stageCount(); ++i) {
    const StageSpec& spec = stageTable()[i];
    auto* item = new QListWidgetItem(stageLabel(spec), stageList_);
    item->setToolTip(stageTip(spec));
    item->setSizeHint(QSize(kStageItemWidth, kStageItemHeight));
  }
  stages_ = new QStackedWidget(this);
  connect(stageList_, &QListWidget::currentRowChanged, stages_, &QStackedWidget::setCurrentIndex);
  demoJob_ = new BackgroundJob(this);
  predictorService_ = new PredictorService(this);

  auto* central = new QWidget(this);
  banner_ = new QLabel(central);
  banner_->setWordWrap(true);
  banner_->setTextFormat(Qt::RichText);
  banner_->setStyleSheet(
      QStringLiteral("QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a; "
                     "padding: 6px; }"));
  banner_->hide();
  connect(banner_, &QLabel::linkActivated, this, &MainWindow::onBannerLink);
  guideBar_ = new GuideBar(central);
  connect(guideBar_, &GuideBar::goTo, this, [this](StageId stage, int tab) {
    showStage(stage);
    if (auto* tabs = qobject_cast<QTabWidget*>(stagePage(stage))) tabs->setCurrentIndex(tab);
  });
  connect(stageList_, &QListWidget::currentRowChanged, this, &MainWindow::followPageInGuide);
  auto* rows = new QHBoxLayout;
  rows->addWidget(stageList_);
  rows->addWidget(stages_, 1);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(banner_);
  layout->addWidget(guideBar_);
  layout->addLayout(rows, 1);
  setCentralWidget(central);

  deviceLabel_ = new QLabel(tr("Device: %1").arg(deviceDescription), this);
  // Run states carry folder paths: elided, so no status ever widens the window (the model's
  // line is short and bounded: L, H, A and a count).
  modelLabel_ = new QLabel(this);
  runLabel_ = new ElidedLabel(tr("No run"), this);
  statusBar()->addWidget(deviceLabel_);
  statusBar()->addWidget(runLabel_, 1);
  statusBar()->addPermanentWidget(modelLabel_);

  presentation_ = new PresentationMode(this);
  connect(presentation_, &PresentationMode::scaleChanged, this, &MainWindow::onPresentationScale);
  buildMenus();
  rebuildStages();
  // The first start begins at the beginning, with the way through the stages shown.
  showStage(StageId::Data);
  resize(1200, 800);
  restoreLayout();
  if (GuideBar::startHereWanted()) guideBar_->showStartHere();
}

MainWindow::~MainWindow() {
  // Pages talk to the workspace while they are destroyed; let them go first.
  delete stages_;
  stages_ = nullptr;
}

void MainWindow::buildMenus() {
  auto* fileMenu = menuBar()->addMenu(tr("&File"));
  fileMenu->addAction(tr("&New Workspace…"), QKeySequence::New, this, &MainWindow::newWorkspace);
  fileMenu->addAction(tr("&Open Workspace…"), QKeySequence::Open, this,
                      &MainWindow::chooseWorkspace);
  recentMenu_ = fileMenu->addMenu(tr("Open &Recent"));
  fileMenu->addAction(tr("Open &Demo Workspace"), this, [this] { openDemoWorkspace(); });
  fileMenu->addSeparator();
  fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  refreshRecentMenu();

  auto* viewMenu = menuBar()->addMenu(tr("&View"));
  for (int i = 0; i < stageCount(); ++i) {
    const StageSpec& spec = stageTable()[i];
    QAction* go =
        viewMenu->addAction(stageTitle(spec), this, [this, id = spec.id] { showStage(id); });
    go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
  }
  viewMenu->addSeparator();
  QAction* history = viewMenu->addAction(tr("Run &History…"), this, [this] { showRunHistory(); });
  history->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
  history->setToolTip(
      tr("Every pre-training and fine-tuning run of the workspace, with its "
         "settings; two runs side by side."));
  viewMenu->addSeparator();
  presentationAction_ =
      viewMenu->addAction(tr("&Presentation Mode"), presentation_, &PresentationMode::toggle);
  presentationAction_->setCheckable(true);
  presentationAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
  presentationAction_->setToolTip(
      tr("Larger text and thicker chart lines for a projector; remembered with the workspace."));
  QAction* larger =
      viewMenu->addAction(tr("&Larger Text"), presentation_, &PresentationMode::larger);
  // Ctrl+= as well: on most keyboards "+" needs Shift.
  larger->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
  QAction* smaller =
      viewMenu->addAction(tr("&Smaller Text"), presentation_, &PresentationMode::smaller);
  smaller->setShortcut(QKeySequence::ZoomOut);
  QAction* normal =
      viewMenu->addAction(tr("&Normal Size"), this, [this] { presentation_->setScale(1.0); });
  normal->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  auto* modelMenu = menuBar()->addMenu(tr("&Model"));
  QAction* wizard = modelMenu->addAction(tr("Model &Wizard…"), this, [this] {
    if (!modelPage_) return;
    showStage(StageId::Model);
    modelPage_->openWizard();
  });
  wizard->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));

  auto* helpMenu = menuBar()->addMenu(tr("&Help"));
  QAction* guide =
      helpMenu->addAction(tr("&User Guide"), this, [this] { showHelp(HelpWindow::Page::Guide); });
  guide->setShortcut(QKeySequence::HelpContents);
  helpMenu->addAction(tr("&Glossary"), this, [this] { showHelp(HelpWindow::Page::Glossary); });
  helpMenu->addAction(tr("&Keyboard Shortcuts"), this,
                      [this] { showHelp(HelpWindow::Page::Shortcuts); });
  helpMenu->addSeparator();
  helpMenu->addAction(tr("&Start Here"), guideBar_, &GuideBar::showStartHere);
  helpMenu->addAction(tr("&Tour"), guideBar_, &GuideBar::startTour)
      ->setToolTip(tr("One full loop on the demo, a few sentences a step; leave it any time and "
                      "Help ▸ Tour continues where you left."));
  helpMenu->addSeparator();
  helpMenu->addAction(tr("&About"), this, [this] {
    QMessageBox::about(this, tr("About BERT Workbench"),
                       tr("BERT Workbench builds, pre-trains, fine-tunes and explains BERT models "
                          "(Devlin et al., 2019)."));
  });
}

namespace {

// Each stage scrolls inside the window rather than setting its minimum size: on a small screen
// (1024×768) a stage scrolls; at 1280×720 every stage fits without sideways scrolling (the
// projector test checks it), and no page can widen the window.
QScrollArea* scrollable(QWidget* page) {
  auto* area = new QScrollArea;
  area->setWidget(page);
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  return area;
}

}  // namespace

QWidget* MainWindow::stagePage(StageId stage) const {
  auto* area = qobject_cast<QScrollArea*>(stages_->widget(static_cast<int>(stage)));
  return area ? area->widget() : nullptr;
}

void MainWindow::rebuildStages() {
  const int current = std::max(0, stageList_->currentRow());
  while (stages_->count() > 0) {
    QWidget* page = stages_->widget(0);
    stages_->removeWidget(page);
    delete page;
  }
  modelPage_ = nullptr;
  pretrainPanel_ = nullptr;
  pretrainTabs_ = nullptr;
  finetunePanel_ = nullptr;
  playgroundPanel_ = nullptr;
  attentionPanel_ = nullptr;
  embeddingPanel_ = nullptr;
  experimentsPanel_ = nullptr;
  if (!workspace_) {
    const QString waiting =
        tr("Opening a workspace… (File ▸ Open Workspace, or the demo workspace)");
    for (int i = 0; i < stageCount(); ++i)
      stages_->addWidget(scrollable(new StagePlaceholder(stageTitle(stageTable()[i]), waiting)));
  } else {
    for (int i = 0; i < stageCount(); ++i)
      stages_->addWidget(scrollable(buildStagePage(stageTable()[i].id, workspace_.get())));
    connectStagePages();
  }
  stages_->setCurrentIndex(current);
  updateStatus();
}

ModelSummaryWidget* MainWindow::modelSummary() const {
  return modelPage_ ? modelPage_->summary() : nullptr;
}

QWidget* MainWindow::buildStagePage(StageId stage, Workspace* w) {
  // No default: the compiler names a stage that has a table row but no page.
  switch (stage) {
    case StageId::Data:
      return new DataPanel(w);
    case StageId::Model:
      modelPage_ = new ModelStagePage(w);
      return modelPage_;
    case StageId::PreTrain: {
      pretrainTabs_ = new QTabWidget;
      pretrainTabs_->addTab(new MaskingPanel(w), tr("Masking && NSP"));
      pretrainPanel_ = new PretrainPanel(w);
      pretrainTabs_->addTab(pretrainPanel_, tr("Training"));
      return pretrainTabs_;
    }
    case StageId::FineTune:
      finetunePanel_ = new FinetunePanel(w);
      return finetunePanel_;
    case StageId::Playground:
      playgroundPanel_ = new PlaygroundPanel(w, predictorService_);
      return playgroundPanel_;
    case StageId::Attention: {
      auto* tabs = new QTabWidget;
      attentionPanel_ = new AttentionPanel(predictorService_, w);
      embeddingPanel_ = new EmbeddingPanel(predictorService_);
      tabs->addTab(attentionPanel_, tr("Attention"));
      tabs->addTab(embeddingPanel_, tr("Embeddings"));
      return tabs;
    }
    case StageId::Experiments:
      experimentsPanel_ = new ExperimentsPanel(w);
      return experimentsPanel_;
  }
  return nullptr;
}

void MainWindow::connectStagePages() {
  connect(workspace_.get(), &Workspace::modelConfigChanged, this, &MainWindow::updateStatus);
  // Masking & NSP and Training are two steps of the guide.
  connect(pretrainTabs_, &QTabWidget::currentChanged, this, &MainWindow::followPageInGuide);
  const auto showRunState = [this](const QString& state) { runLabel_->setFullText(state); };
  connect(pretrainPanel_, &PretrainPanel::runStateChanged, this, showRunState);
  // Pre-training trains the workspace model: it stays as it is until the run has ended.
  // The Masking & NSP tab beside the Training tab edits the run's instance settings.
  connect(pretrainPanel_, &PretrainPanel::dataSettingsRequested, this,
          [this] { pretrainTabs_->setCurrentIndex(0); });
  connect(pretrainPanel_, &PretrainPanel::runningChanged, this, [this](bool running) {
    if (workspace_) workspace_->setModelLockedBy(running ? tr("Pre-training") : QString());
  });
  connect(finetunePanel_, &FinetunePanel::runStateChanged, this, showRunState);
  // A model a run just saved is offered in the playground at once.
  connect(finetunePanel_, &FinetunePanel::modelSaved, playgroundPanel_->modelPicker(),
          &ModelPicker::refresh);
  connect(pretrainPanel_, &PretrainPanel::checkpointListed, playgroundPanel_->modelPicker(),
          &ModelPicker::refresh);
  // The attention view follows what is typed in the playground.
  connect(playgroundPanel_, &PlaygroundPanel::inputChanged, attentionPanel_,
          &AttentionPanel::setInput);
  attentionPanel_->setInput(playgroundPanel_->currentTextA(), playgroundPanel_->currentTextB());
  connect(experimentsPanel_, &ExperimentsPanel::runStateChanged, this, showRunState);
  // A cell opens in the stage that shows its kind of run, as it ended.
  connect(experimentsPanel_, &ExperimentsPanel::showRunRequested, this,
          [this](const QString& folder, bool pretraining) {
            showRun(folder,
                    pretraining ? RunRecord::Kind::Pretraining : RunRecord::Kind::Finetuning);
          });
}

void MainWindow::showStage(StageId stage) {
  stageList_->setCurrentRow(static_cast<int>(stage));
}

StageId MainWindow::currentStage() const {
  return static_cast<StageId>(std::clamp(stageList_->currentRow(), 0, stageCount() - 1));
}

bool MainWindow::openWorkspace(const QString& folder) {
  try {
    setWorkspace(Workspace::open(folder));
    return true;
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return false;
  }
}

void MainWindow::setWorkspace(std::unique_ptr<Workspace> workspace) {
  if (!runningWork().isEmpty()) {
    showError(tr("Stop the %1 run before opening another workspace.").arg(runningWork().toLower()));
    return;
  }
  // The old pages hold pointers into the old workspace: delete them before it goes.
  std::unique_ptr<Workspace> previous = std::move(workspace_);
  workspace_ = std::move(workspace);
  rebuildStages();
  previous.reset();
  setWindowTitle(tr("%1 — BERT Workbench").arg(workspace_->name()));
  // The size the class last saw this workspace at; the new pages' plots follow it.
  presentation_->setScale(
      workspace_->section(kViewSection).value(kPresentationScaleKey).toDouble(1.0));
  presentation_->restyle();
  // Only a workspace that has run a while becomes the one the next start opens: one that
  // crashes the program while opening must not be reopened at every start.
  const QString folder = workspace_->folder();
  rememberWorkspace(folder);
  QSettings().setValue(QString::fromLatin1(kOpeningKey), folder);
  QTimer::singleShot(kOpenConfirmationMs, this, [this, folder] { confirmOpened(folder); });
  banner_->hide();
  Workspace* opened = workspace_.get();
  connect(opened, &Workspace::saveFailed, this, [this](const QString& reason) {
    showBanner(
        tr("<b>This workspace can no longer be saved</b> (%1). It is read-only for now: what you "
           "see stays "
           "on screen, but nothing more is written to it. Free some space or fix the folder's "
           "permissions, then open it again.")
            .arg(reason.toHtmlEscaped()));
  });
  if (opened->isReadOnly()) {
    showBanner(tr("<b>This workspace is read-only</b> (%1).")
                   .arg(opened->readOnlyReason().toHtmlEscaped()));
  } else if (!opened->loadWarnings().isEmpty()) {
    showBanner(tr("<b>workspace.json had values of the wrong type</b> (%1): they were replaced by "
                  "defaults. The "
                  "file as it was is kept beside it as workspace.json.unreadable-DATE.")
                   .arg(opened->loadWarnings().join(QStringLiteral(", ")).toHtmlEscaped()));
  }
}

RunHistoryDialog* MainWindow::showRunHistory() {
  if (!workspace_) return nullptr;
  // One per workspace: a workspace opened since has other runs.
  if (runHistory_ && runHistory_->property("workspace").toString() != workspace_->folder()) {
    delete runHistory_;
    runHistory_ = nullptr;
  }
  if (!runHistory_) {
    runHistory_ =
        new RunHistoryDialog(workspace_->runsFolder(), workspace_->finetunedFolder(), this);
    runHistory_->setProperty("workspace", workspace_->folder());
    connect(runHistory_, &RunHistoryDialog::showRunRequested, this,
            [this](const QString& folder, RunRecord::Kind kind) { showRun(folder, kind); });
  } else {
    runHistory_->refresh();
  }
  runHistory_->show();
  runHistory_->raise();
  return runHistory_;
}

bool MainWindow::showRun(const QString& folder, RunRecord::Kind kind) {
  if (kind == RunRecord::Kind::Pretraining) {
    showStage(StageId::PreTrain);
    pretrainTabs_->setCurrentWidget(pretrainPanel_);
    if (pretrainPanel_->showRun(folder)) return true;
  } else {
    showStage(StageId::FineTune);
    if (finetunePanel_->showRun(folder)) return true;
  }
  showError(tr("The run in '%1' cannot be shown now (a run is training, or it logged nothing).")
                .arg(folder));
  return false;
}

HelpWindow* MainWindow::showHelp(HelpWindow::Page page) {
  if (!help_) help_ = new HelpWindow(this);
  help_->showPage(page);
  return help_;
}

void MainWindow::followPageInGuide() {
  const StageId stage = currentStage();
  const auto* tabs = qobject_cast<const QTabWidget*>(stagePage(stage));
  guideBar_->setPage(stage, tabs ? tabs->currentIndex() : 0);
}

void MainWindow::onPresentationScale(double scale) {
  presentationAction_->setChecked(presentation_->isOn());
  stageList_->setFixedWidth(static_cast<int>(kStageListWidth * scale));
  for (int i = 0; i < stageList_->count(); ++i)
    stageList_->item(i)->setSizeHint(QSize(static_cast<int>(kStageItemWidth * scale),
                                           static_cast<int>(kStageItemHeight * scale)));
  if (!workspace_) return;
  QJsonObject view = workspace_->section(kViewSection);
  view[kPresentationScaleKey] = scale;
  workspace_->setSection(kViewSection, view);
}

void MainWindow::confirmOpened(const QString& folder) {
  if (!workspace_ || workspace_->folder() != folder) return;  // another one opened meanwhile
  QSettings settings;
  if (settings.value(QString::fromLatin1(kOpeningKey)).toString() == folder)
    settings.remove(QString::fromLatin1(kOpeningKey));
  settings.setValue(QStringLiteral("workspace/last"), folder);
}

void MainWindow::showBanner(const QString& html) {
  banner_->setText(html);
  banner_->show();
}

QString MainWindow::bannerText() const {
  return banner_->isHidden() ? QString() : banner_->text();
}

void MainWindow::onBannerLink(const QString& link) {
  if (link == QLatin1String("open")) {
    if (openWorkspace(bannerFolder_)) banner_->hide();
  } else if (link == QLatin1String("demo")) {
    banner_->hide();
    openDemoWorkspace();
  } else if (link == QLatin1String("choose")) {
    chooseWorkspace();
  }
}

void MainWindow::openDemoWorkspace(const QString& folder) {
  const QString target = folder.isEmpty() ? Workspace::defaultDemoFolder() : folder;
  if (Workspace::isWorkspace(target)) {
    openWorkspace(target);
    return;
  }
  if (demoJob_->isRunning()) return;
  delete demoProgress_;
  demoProgress_ = new QProgressDialog(tr("Writing the demo world and training its vocabulary…"),
                                      tr("Cancel"), 0, 1000, this);
  demoProgress_->setWindowTitle(tr("Demo workspace"));
  demoProgress_->setMinimumDuration(300);
  connect(demoProgress_, &QProgressDialog::canceled, demoJob_, &BackgroundJob::cancel);
  auto created = std::make_shared<std::unique_ptr<Workspace>>();
  connect(demoJob_, &BackgroundJob::progressed, demoProgress_,
          [this](double fraction, const QString& message, double) {
            if (fraction >= 0) demoProgress_->setValue(static_cast<int>(fraction * 1000));
            demoProgress_->setLabelText(message);
          });
  auto finished = [this] {
    demoJob_->disconnect(this);
    if (demoProgress_) demoProgress_->deleteLater();
    demoProgress_ = nullptr;
  };
  connect(demoJob_, &BackgroundJob::succeeded, this, [this, created, finished] {
    finished();
    if (*created) setWorkspace(std::move(*created));
  });
  connect(demoJob_, &BackgroundJob::failed, this, [this, finished](const QString& message) {
    finished();
    showError(tr("The demo workspace could not be made: %1").arg(message));
  });
  connect(demoJob_, &BackgroundJob::cancelled, this, finished);
  demoJob_->start(tr("Demo workspace"),
                  [created, target](const ProgressCallback& progress, const CancelFlag& cancel) {
                    *created = Workspace::createDemo(target, progress, &cancel);
                  });
}

void MainWindow::openStartupWorkspace() {
  QSettings settings;
  const QString interrupted = settings.value(QString::fromLatin1(kOpeningKey)).toString();
  if (!interrupted.isEmpty()) {
    // The last session ended while this workspace was opening: perhaps it crashed the program.
    settings.remove(QString::fromLatin1(kOpeningKey));
    bannerFolder_ = interrupted;
    showBanner(
        tr("The last session ended while <b>%1</b> was opening, so it was not opened again. "
           "<a href=\"open\">Open it anyway</a> · <a href=\"demo\">Open the demo workspace</a> · "
           "<a href=\"choose\">Choose another workspace…</a>")
            .arg(interrupted.toHtmlEscaped()));
    return;
  }
  const QString last = settings.value(QStringLiteral("workspace/last")).toString();
  if (!last.isEmpty() && Workspace::isWorkspace(last) && openWorkspace(last)) return;
  openDemoWorkspace();
}

void MainWindow::newWorkspace() {
  const QString folder =
      QFileDialog::getExistingDirectory(this, tr("New workspace: choose an empty folder"));
  if (folder.isEmpty()) return;
  try {
    setWorkspace(Workspace::create(folder, QFileInfo(folder).fileName()));
    showStage(StageId::Data);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
}

void MainWindow::chooseWorkspace() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Open workspace"));
  if (!folder.isEmpty()) openWorkspace(folder);
}

void MainWindow::rememberWorkspace(const QString& folder) {
  QSettings settings;
  QStringList recent = settings.value(QString::fromLatin1(kRecentKey)).toStringList();
  recent.removeAll(folder);
  recent.prepend(folder);
  while (recent.size() > kRecentWorkspaces) recent.removeLast();
  settings.setValue(QString::fromLatin1(kRecentKey), recent);
  refreshRecentMenu();
}

void MainWindow::refreshRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = QSettings().value(QString::fromLatin1(kRecentKey)).toStringList();
  for (const QString& folder : recent) {
    QAction* action =
        recentMenu_->addAction(folder, this, [this, folder] { openWorkspace(folder); });
    action->setEnabled(Workspace::isWorkspace(folder));
  }
  recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::updateStatus() {
  if (!workspace_) {
    modelLabel_->setText(tr("No workspace"));
    return;
  }
  const BertConfig& c = workspace_->modelConfig();
  modelLabel_->setText(
      tr("Model: L=%1 H=%2 A=%3, %4 parameters")
          .arg(c.num_hidden_layers)
          .arg(c.hidden_size)
          .arg(c.num_attention_heads)
          .arg(QString::fromStdString(formatCount(countParameters(c).withPretrainingHeads()))));
}

QString MainWindow::runState() const {
  return runLabel_->fullText();
}

void MainWindow::restoreLayout() {
  QSettings settings;
  if (settings.contains("window/geometry"))
    restoreGeometry(settings.value("window/geometry").toByteArray());
  if (settings.contains("window/state")) restoreState(settings.value("window/state").toByteArray());
  // By name, so a stage added or moved later does not reopen the wrong page.
  if (const auto stage = stageNamed(settings.value("window/stage").toString())) showStage(*stage);
}

void MainWindow::showError(const QString& message) {
  if (reportError_) {
    reportError_(message);
    return;
  }
  QMessageBox::warning(this, tr("BERT Workbench"), message);
}

QString MainWindow::runningWork() const {
  if (pretrainPanel_ && pretrainPanel_->isRunning()) return tr("Pre-training");
  if (finetunePanel_ && finetunePanel_->isRunning()) return tr("Fine-tuning");
  if (experimentsPanel_ && experimentsPanel_->isRunning()) return tr("Experiment");
  return {};
}

bool MainWindow::stopRuns() {
  // Both are asked first so they stop in parallel; a pre-training stop saves a checkpoint.
  if (pretrainPanel_ && pretrainPanel_->isRunning()) pretrainPanel_->requestStop();
  if (finetunePanel_ && finetunePanel_->isRunning()) finetunePanel_->requestStop();
  if (experimentsPanel_ && experimentsPanel_->isRunning()) experimentsPanel_->requestStop();
  const bool pretrainStopped =
      !pretrainPanel_ || pretrainPanel_->waitUntilStopped(kStopOnCloseMilliseconds);
  const bool finetuneStopped =
      !finetunePanel_ || finetunePanel_->waitUntilStopped(kStopOnCloseMilliseconds);
  const bool experimentStopped =
      !experimentsPanel_ || experimentsPanel_->waitUntilStopped(kStopOnCloseMilliseconds);
  return pretrainStopped && finetuneStopped && experimentStopped;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  const QString work = runningWork();
  if (!work.isEmpty()) {
    const bool stop = confirmClose_ ? confirmClose_()
                                    : QMessageBox::question(
                                          this, tr("%1 is running").arg(work),
                                          tr("A %1 run is in progress. Stop it, save what it has "
                                             "and quit?")
                                              .arg(work.toLower())) == QMessageBox::Yes;
    if (!stop) {
      event->ignore();
      return;
    }
    if (!stopRuns()) {
      showError(tr("The run did not stop in time; the window stays open."));
      event->ignore();
      return;
    }
  }
  if (demoJob_->isRunning()) {
    demoJob_->cancel();
    demoJob_->wait(30000);
  }
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  settings.setValue("window/stage", QString::fromLatin1(stageSpec(currentStage()).name));
  // A normal close confirms the workspace even within its first seconds.
  if (workspace_) confirmOpened(workspace_->folder());
  event->accept();
}

}  // namespace bertwb::ui
