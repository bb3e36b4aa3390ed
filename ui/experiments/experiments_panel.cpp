#include "experiments/experiments_panel.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "experiments/experiment_charts.h"
#include "experiments/experiment_estimate.h"
#include "experiments/experiment_library.h"
#include "experiments/experiment_overview.h"
#include "experiments/experiment_plots.h"
#include "experiments/experiment_queue_view.h"
#include "experiments/experiment_recipe_editor.h"
#include "experiments/experiment_results_view.h"
#include "experiments/experiment_session.h"
#include "experiments/experiment_text.h"
#include "io/manifests.h"
#include "shell/workspace.h"
#include "util/error.h"
#include "widgets/display_units.h"
#include "widgets/elided_label.h"

namespace bertwb::ui {
namespace {

const QString kExperimentsSection = QStringLiteral("experiments");
constexpr int kPngScale = 2;  // figures exported at twice their SVG size: sharp when printed

// Renders an SVG figure of the report as a PNG beside it; false when it cannot.
bool writePngOfSvg(const QString& svgPath, const QString& pngPath) {
  QSvgRenderer renderer(svgPath);
  if (!renderer.isValid()) return false;
  QImage image(renderer.defaultSize() * kPngScale, QImage::Format_ARGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  renderer.render(&painter);
  painter.end();
  QSaveFile file(pngPath);
  if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG")) return false;
  return file.commit();
}

}  // namespace

ExperimentsPanel::ExperimentsPanel(Workspace* workspace, QWidget* parent)
    : QWidget(parent),
      workspace_(workspace),
      library_(new ExperimentLibrary(workspace->experimentsFolder())),
      session_(new ExperimentSession(this)) {
  buildLayout();
  connect(session_, &ExperimentSession::preparing, this,
          [this](const QString& message) { status_->setFullText(message); });
  connect(session_, &ExperimentSession::planned, this, &ExperimentsPanel::onPlanned);
  connect(session_, &ExperimentSession::cellStarted, this, &ExperimentsPanel::onCellStarted);
  connect(session_, &ExperimentSession::cellStepped, this, &ExperimentsPanel::onCellStepped);
  connect(session_, &ExperimentSession::cellFinished, this, &ExperimentsPanel::onCellFinished);
  connect(session_, &ExperimentSession::finished, this, &ExperimentsPanel::onFinished);
  connect(session_, &ExperimentSession::failed, this, &ExperimentsPanel::showError);
  connect(session_, &ExperimentSession::stopped, this, &ExperimentsPanel::onStopped);
  current_ = workspace_->section(kExperimentsSection).value(QStringLiteral("current")).toString();
  refreshPicker();
}

ExperimentsPanel::~ExperimentsPanel() {
  delete session_;  // stops and waits before the views it reports to go
  session_ = nullptr;
  delete library_;
}

void ExperimentsPanel::buildLayout() {
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Experiment:")));
  picker_ = new QComboBox;
  picker_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  picker_->setMinimumContentsLength(20);
  top->addWidget(picker_, 1);
  duplicateButton_ = new QPushButton(tr("Duplicate && edit…"));
  duplicateButton_->setToolTip(
      tr("A copy of this recipe under a new name, to change in a form or as JSON"));
  editButton_ = new QPushButton(tr("Edit…"));
  editButton_->setToolTip(
      tr("Edit this workspace experiment (built-ins are duplicated first); "
         "only the cells whose settings change run again"));
  exportButton_ = new QPushButton(tr("Export report…"));
  exportButton_->setToolTip(
      tr("report.md, results.csv, the recipe and the figures (SVG and PNG) into a new folder"));
  for (QPushButton* button : {duplicateButton_, editButton_, exportButton_}) top->addWidget(button);
  layout->addLayout(top);

  auto* runRow = new QHBoxLayout;
  startButton_ = new QPushButton(tr("Start"));
  startButton_->setDefault(true);
  pauseButton_ = new QPushButton(tr("Pause"));
  stopButton_ = new QPushButton(tr("Stop"));
  stopButton_->setToolTip(
      tr("Stops after the current step; the unfinished cell runs again on resume"));
  for (QPushButton* button : {startButton_, pauseButton_, stopButton_}) runRow->addWidget(button);
  estimate_ = new QLabel;
  runRow->addWidget(estimate_);
  progress_ = new QProgressBar;
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  progress_->setMaximumWidth(160);
  runRow->addWidget(progress_);
  runRow->addStretch(1);
  layout->addLayout(runRow);
  status_ = new ElidedLabel(this, Qt::ElideRight);
  layout->addWidget(status_);
  error_ = new QLabel;
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #b00020;"));
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->hide();
  layout->addWidget(error_);

  tabs_ = new QTabWidget;
  about_ = new QTextBrowser;
  about_->setOpenLinks(false);
  tabs_->addTab(about_, tr("About"));
  queue_ = new ExperimentQueueView;
  tabs_->addTab(queue_, tr("Cells"));
  results_ = new ExperimentResultsView;
  tabs_->addTab(results_, tr("Results"));
  lossChart_ = new ExperimentLossChart;
  tabs_->addTab(lossChart_, tr("Loss curves"));
  scoreChart_ = new ExperimentScoreChart;
  tabs_->addTab(scoreChart_, tr("Scores"));
  layout->addWidget(tabs_, 1);

  connect(picker_, &QComboBox::currentIndexChanged, this, [this] {
    if (loading_ || isRunning()) return;
    current_ = picker_->currentData().toString();
    workspace_->setSection(kExperimentsSection, QJsonObject{{QStringLiteral("current"), current_}});
    loadCurrent();
  });
  connect(duplicateButton_, &QPushButton::clicked, this, &ExperimentsPanel::duplicateCurrent);
  connect(editButton_, &QPushButton::clicked, this, [this] { editRecipe(recipe_, false); });
  connect(startButton_, &QPushButton::clicked, this, [this] { start(); });
  connect(pauseButton_, &QPushButton::clicked, this, [this] { setPaused(!isPaused()); });
  connect(stopButton_, &QPushButton::clicked, this, &ExperimentsPanel::requestStop);
  connect(exportButton_, &QPushButton::clicked, this, [this] {
    const QString parent = QFileDialog::getExistingDirectory(this, tr("Export the report into"));
    if (parent.isEmpty()) return;
    const QString folder = exportReport(parent);
    if (!folder.isEmpty()) status_->setFullText(tr("Report exported to %1").arg(folder));
  });
  connect(queue_, &ExperimentQueueView::openRunRequested, this,
          &ExperimentsPanel::showRunRequested);
}

namespace {

QString pickerLabel(const ExperimentEntry& entry) {
  QString label = entry.title;
  if (!entry.builtin) label += QObject::tr("  (workspace)");
  if (entry.cellsDone > 0) label += QObject::tr("  · %n cell(s) done", nullptr, entry.cellsDone);
  return label;
}

}  // namespace

void ExperimentsPanel::refreshPicker() {
  loading_ = true;
  picker_->clear();
  for (const ExperimentEntry& entry : library_->entries()) {
    picker_->addItem(pickerLabel(entry), entry.name);
    picker_->setItemData(picker_->count() - 1, entry.name, Qt::ToolTipRole);
  }
  int index = picker_->findData(current_);
  if (index < 0) index = 0;
  picker_->setCurrentIndex(index);
  current_ = picker_->currentData().toString();
  loading_ = false;
  loadCurrent();
}

QStringList ExperimentsPanel::experimentNames() const {
  QStringList names;
  for (int i = 0; i < picker_->count(); ++i) names << picker_->itemData(i).toString();
  return names;
}

bool ExperimentsPanel::selectExperiment(const QString& name) {
  const int index = picker_->findData(name);
  if (index < 0 || isRunning()) return false;
  if (index == picker_->currentIndex()) return true;
  picker_->setCurrentIndex(index);  // → loadCurrent
  return true;
}

QString ExperimentsPanel::currentFolder() const {
  return current_.isEmpty() ? QString() : library_->folderOf(current_);
}

void ExperimentsPanel::loadCurrent() {
  error_->hide();
  cells_.clear();
  estimates_.clear();
  recipe_ = ExperimentRecipe();
  if (current_.isEmpty()) {
    updateButtons();
    return;
  }
  try {
    recipe_ = library_->recipe(current_);
  } catch (const Error& e) {
    queue_->setPlan(recipe_, {}, QString());
    showError(fromStd(e.what()));
    updateButtons();
    return;
  }
  cells_ = planExperimentCells(recipe_);
  for (const ExperimentCell& cell : cells_)
    estimates_.push_back(estimateCellSeconds(recipe_, cell));
  const QString folder = currentFolder();
  const bool hasFolder = QFileInfo::exists(folder);
  queue_->setPlan(recipe_, cells_, hasFolder ? folder : QString());
  about_->setHtml(recipeOverviewHtml(recipe_, static_cast<int>(cells_.size())));
  lossChart_->reset(recipe_);
  refreshResults();
  status_->setFullText(hasFolder ? tr("Results in %1").arg(QDir::toNativeSeparators(folder))
                                 : tr("Not run yet in this workspace."));
  // An experiment with results opens on them; a new one on what it is about.
  const bool anyDone = queue_->count(ExperimentQueueView::CellState::Cached) > 0;
  tabs_->setCurrentWidget(anyDone ? static_cast<QWidget*>(results_) : about_);
  measuredSeconds_ = measuredEstimate_ = 0;
  progress_->setValue(0);
  updateEstimate();
  updateButtons();
}

void ExperimentsPanel::refreshResults() {
  const std::string folder = localPath(currentFolder());
  const ExperimentResults results = summarizeExperiment(recipe_, folder);
  results_->setResults(results);
  scoreChart_->setResults(recipe_, results);
  for (const ExperimentCell& cell : cells_) {
    if (cell.kind != CellKind::Pretraining) continue;
    const auto result = readCellResult(folder, cell.key);
    if (result && result->finished)
      lossChart_->setCurve(fromStd(cell.key), cell.variant, result->lossCurve);
  }
}

void ExperimentsPanel::updateEstimate() {
  double remaining = 0;
  int left = 0;
  for (size_t i = 0; i < cells_.size(); ++i) {
    const auto state = queue_->state(static_cast<int>(i));
    if (state == ExperimentQueueView::CellState::Done ||
        state == ExperimentQueueView::CellState::Cached)
      continue;
    ++left;
    const double share = static_cast<int>(i) == runningIndex_ ? 1 - runningFraction_ : 1;
    remaining += estimates_[i] * share;
  }
  remaining = refineEstimate(remaining, measuredSeconds_, measuredEstimate_);
  const int total = static_cast<int>(cells_.size());
  if (total == 0) {
    estimate_->clear();
  } else if (left == 0) {
    estimate_->setText(tr("%n cell(s), all done", nullptr, total));
  } else {
    estimate_->setText(tr("%1 of %n cell(s) to run, %2 on this machine", nullptr, total)
                           .arg(left)
                           .arg(aboutDuration(remaining)));
  }
  double done = 0, all = 0;
  for (size_t i = 0; i < cells_.size(); ++i) {
    all += estimates_[i];
    const auto state = queue_->state(static_cast<int>(i));
    if (state == ExperimentQueueView::CellState::Done ||
        state == ExperimentQueueView::CellState::Cached)
      done += estimates_[i];
    else if (static_cast<int>(i) == runningIndex_)
      done += estimates_[i] * runningFraction_;
  }
  progress_->setValue(all > 0 ? static_cast<int>(1000 * done / all) : 0);
}

void ExperimentsPanel::updateButtons() {
  const bool running = isRunning();
  const bool valid = !cells_.empty();
  const int finished = queue_->count(ExperimentQueueView::CellState::Done) +
                       queue_->count(ExperimentQueueView::CellState::Cached);
  const bool allDone = valid && finished == static_cast<int>(cells_.size());
  picker_->setEnabled(!running);
  duplicateButton_->setEnabled(!running && valid);
  editButton_->setEnabled(!running && valid && !library_->isBuiltin(current_));
  startButton_->setEnabled(!running && valid && !allDone);
  startButton_->setText(finished > 0 && !allDone ? tr("Resume") : tr("Start"));
  startButton_->setToolTip(allDone ? tr("Every cell is done; duplicate the recipe to change it")
                                   : tr("Runs the cells not done yet, one after another"));
  pauseButton_->setEnabled(running);
  pauseButton_->setText(isPaused() ? tr("Continue") : tr("Pause"));
  stopButton_->setEnabled(running);
  exportButton_->setEnabled(
      !running && QFileInfo::exists(QDir(currentFolder()).filePath(QStringLiteral("report.md"))));
}

bool ExperimentsPanel::start() {
  if (isRunning() || cells_.empty()) return false;
  const int finished = queue_->count(ExperimentQueueView::CellState::Done) +
                       queue_->count(ExperimentQueueView::CellState::Cached);
  if (finished == static_cast<int>(cells_.size())) return false;  // nothing left to run
  error_->hide();
  ExperimentJob job;
  job.recipe = recipe_;
  job.folder = currentFolder();
  if (!session_->start(job)) return false;
  measuredSeconds_ = measuredEstimate_ = 0;
  runningIndex_ = -1;
  status_->setFullText(tr("Preparing…"));
  tabs_->setCurrentWidget(queue_);  // the cells as they run
  updateButtons();
  Q_EMIT runningChanged(true);
  Q_EMIT runStateChanged(tr("experiment: preparing"));
  return true;
}

bool ExperimentsPanel::isRunning() const {
  return session_ && session_->isRunning();
}

void ExperimentsPanel::requestStop() {
  if (!isRunning()) return;
  session_->requestStop();
  status_->setFullText(tr("Stopping after the current step…"));
  Q_EMIT runStateChanged(tr("experiment: stopping"));
}

bool ExperimentsPanel::waitUntilStopped(int milliseconds) {
  return !session_ || session_->waitUntilStopped(milliseconds);
}

void ExperimentsPanel::setPaused(bool paused) {
  if (!isRunning()) return;
  session_->setPaused(paused);
  if (paused) status_->setFullText(tr("Paused after the current step; Continue goes on."));
  Q_EMIT runStateChanged(paused ? tr("experiment: paused") : tr("experiment: running"));
  updateButtons();
}

bool ExperimentsPanel::isPaused() const {
  return session_ && session_->isPaused();
}

void ExperimentsPanel::onPlanned(int total, int done) {
  status_->setFullText(
      done > 0 ? tr("%1 of %2 cells were done before; running the rest.").arg(done).arg(total)
               : tr("Running %1 cells.").arg(total));
}

void ExperimentsPanel::onCellStarted(int index) {
  runningIndex_ = index;
  runningFraction_ = 0;
  queue_->setRunning(index);
  if (index >= 0 && index < static_cast<int>(cells_.size())) {
    const QString what = fromStd(describeCell(recipe_, cells_[index]));
    status_->setFullText(tr("Cell %1 of %2: %3").arg(index + 1).arg(cells_.size()).arg(what));
    Q_EMIT runStateChanged(tr("experiment: cell %1 of %2").arg(index + 1).arg(cells_.size()));
  }
  updateEstimate();
}

void ExperimentsPanel::onCellStepped(int index, qint64 step, qint64 totalSteps, double loss) {
  if (index < 0 || index >= static_cast<int>(cells_.size())) return;
  queue_->setStep(index, step, totalSteps);
  runningFraction_ = totalSteps > 0 ? static_cast<double>(step) / totalSteps : 0;
  if (cells_[index].kind == CellKind::Pretraining)
    lossChart_->addPoint(fromStd(cells_[index].key), cells_[index].variant, step, loss);
  updateEstimate();
}

void ExperimentsPanel::onCellFinished(int index, const CellResult& result, bool cached) {
  if (index < 0 || index >= static_cast<int>(cells_.size())) return;
  queue_->setResult(index, result, cached);
  if (!cached) {
    measuredSeconds_ += result.seconds;
    measuredEstimate_ += estimates_[index];
    refreshResults();
  }
  if (index == runningIndex_) runningIndex_ = -1;
  updateEstimate();
}

void ExperimentsPanel::onFinished(int ran, int failed, bool cancelled) {
  if (cancelled && runningIndex_ >= 0) queue_->setStopped(runningIndex_);
  runningIndex_ = -1;
  QString text;
  if (cancelled)
    text = tr("Stopped; Resume runs the cells not done yet.");
  else if (failed > 0)
    text = tr("Finished: %1 cell(s) ran, %2 failed (hover over a failed cell for why; they run "
              "again on Resume).")
               .arg(ran)
               .arg(failed);
  else
    text = tr("Finished: %1 cell(s) ran; the report is in %2.")
               .arg(ran)
               .arg(QDir::toNativeSeparators(currentFolder()));
  status_->setFullText(text);
  refreshResults();
  updateEstimate();
}

void ExperimentsPanel::onStopped() {
  updateButtons();
  // The cells-done counts changed; the queue keeps what this run did.
  for (const ExperimentEntry& entry : library_->entries()) {
    const int index = picker_->findData(entry.name);
    if (index >= 0) picker_->setItemText(index, pickerLabel(entry));
  }
  Q_EMIT runningChanged(false);
  Q_EMIT runStateChanged(tr("idle"));
}

void ExperimentsPanel::showError(const QString& message) {
  error_->setText(message);
  error_->show();
  if (errorDialogs_) QMessageBox::warning(this, tr("Experiment"), message);
}

QString ExperimentsPanel::statusText() const {
  return status_->fullText();
}

QString ExperimentsPanel::estimateText() const {
  return estimate_->text();
}

QString ExperimentsPanel::errorText() const {
  return error_->isHidden() ? QString() : error_->text();
}

bool ExperimentsPanel::addRecipe(const ExperimentRecipe& recipe) {
  try {
    library_->save(recipe);
  } catch (const Error& e) {
    showError(fromStd(e.what()));
    return false;
  }
  current_ = fromStd(recipe.name);
  workspace_->setSection(kExperimentsSection, QJsonObject{{QStringLiteral("current"), current_}});
  refreshPicker();
  return true;
}

void ExperimentsPanel::duplicateCurrent() {
  if (cells_.empty()) return;
  ExperimentRecipe copy = recipe_;
  copy.name = library_->unusedName(current_).toStdString();
  if (!copy.title.empty()) copy.title += " (copy)";
  editRecipe(copy, true);
}

void ExperimentsPanel::editRecipe(const ExperimentRecipe& recipe, bool isNew) {
  const QString original = isNew ? QString() : fromStd(recipe.name);
  ExperimentRecipeEditor editor(
      recipe,
      [this, original](const QString& name) { return name != original && library_->exists(name); },
      this);
  if (editor.exec() != QDialog::Accepted) return;
  addRecipe(editor.recipe());
}

QString ExperimentsPanel::exportReport(const QString& parent) {
  const QDir source(currentFolder());
  if (!source.exists(QStringLiteral("report.md"))) {
    showError(tr("'%1' has no report yet; run the experiment first").arg(source.path()));
    return QString();
  }
  QString target = QDir(parent).filePath(current_ + QStringLiteral("-report"));
  for (int n = 2; QFileInfo::exists(target); ++n)
    target = QDir(parent).filePath(QStringLiteral("%1-report-%2").arg(current_).arg(n));
  // Written into a hidden folder first and renamed when complete: a failed export leaves no
  // half-written report behind, and no existing file is ever replaced.
  const QString partial =
      QDir(parent).filePath(QStringLiteral(".") + QFileInfo(target).fileName() + ".partial");
  QDir(partial).removeRecursively();
  if (!QDir().mkpath(partial)) {
    showError(tr("Cannot create a folder in '%1'").arg(parent));
    return QString();
  }
  QStringList problems;
  const QStringList files = {QStringLiteral("report.md"),        QStringLiteral("results.csv"),
                             QLatin1String(kExperimentManifest), QLatin1String(kLossCurvesFigure),
                             QLatin1String(kScoresFigure),       QLatin1String(kStepsFigure)};
  for (const QString& file : files) {
    if (!source.exists(file)) continue;  // a figure with nothing to show yet
    if (!QFile::copy(source.filePath(file), QDir(partial).filePath(file)))
      problems << tr("could not copy %1").arg(file);
  }
  for (const QString& svg :
       {QString::fromLatin1(kLossCurvesFigure), QString::fromLatin1(kScoresFigure),
        QString::fromLatin1(kStepsFigure)}) {
    if (!source.exists(svg)) continue;
    QString png = svg;
    png.replace(QStringLiteral(".svg"), QStringLiteral(".png"));
    if (!writePngOfSvg(source.filePath(svg), QDir(partial).filePath(png)))
      problems << tr("could not draw %1").arg(png);
  }
  if (!problems.isEmpty() || !QDir().rename(partial, target)) {
    QDir(partial).removeRecursively();
    showError(tr("The report was not exported to '%1': %2")
                  .arg(target, problems.isEmpty() ? tr("the folder could not be renamed")
                                                  : problems.join(QStringLiteral("; "))));
    return QString();
  }
  return target;
}

}  // namespace bertwb::ui
