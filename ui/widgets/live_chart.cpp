#include "widgets/live_chart.h"
#include "widgets/presentation_style.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {
namespace {

// 1000 ms / 30: the eye sees no difference above ~30 frames a second, and each replot of a
// long run costs milliseconds of the GUI thread.
constexpr int kReplotIntervalMs = 33;
constexpr int kChartFontPoints = 10;   // readable from the back of a lecture hall
constexpr double kStepPadding = 0.02;  // of the last step, right of it, so its marker is not cut
constexpr double kOverlayWidth = 1.8;
// Overlays take muted colours so the live run stays the eye's focus.
const QList<QColor> kOverlayColours = {QColor(120, 120, 120), QColor(160, 82, 45),
                                       QColor(0, 139, 139), QColor(199, 21, 133),
                                       QColor(85, 107, 47)};

QString metricsFileOf(const QString& runFolder) {
  return QDir(runFolder).filePath(QStringLiteral("metrics.jsonl"));
}

}  // namespace

LiveChart::LiveChart(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setAutoAddPlottableToLegend(false);
  QFont font = plot_->font();
  font.setPointSize(kChartFontPoints);
  plot_->setFont(font);
  plot_->plotLayout()->clear();  // the derived chart adds its own panes (with their legends)
  // Once the user zooms or pans, stop rescaling under their hands.
  connect(plot_, &QCustomPlot::mousePress, this, [this] { following_ = false; });
  connect(plot_, &QCustomPlot::mouseWheel, this, [this] { following_ = false; });
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { fitToData(); });

  auto* fitButton = new QToolButton(this);
  fitButton->setText(tr("Fit"));
  fitButton->setToolTip(
      tr("Show all points and follow the newest again (or double-click the chart)."));
  connect(fitButton, &QToolButton::clicked, this, &LiveChart::fitToData);
  compareButton_ = new QToolButton(this);
  compareButton_->setText(tr("Compare with"));
  compareButton_->setPopupMode(QToolButton::InstantPopup);
  compareButton_->setToolTip(
      tr("Overlay earlier runs of this workspace (dashed) to compare settings."));
  compareButton_->setMenu(new QMenu(compareButton_));
  connect(compareButton_->menu(), &QMenu::aboutToShow, this, &LiveChart::fillCompareMenu);
  exportButton_ = new QToolButton(this);
  exportButton_->setText(tr("Export"));
  exportButton_->setPopupMode(QToolButton::InstantPopup);
  exportButton_->setMenu(new QMenu(exportButton_));
  setCsvExport(false);

  tools_ = new QHBoxLayout;
  tools_->addStretch(1);
  tools_->addWidget(fitButton);
  tools_->addWidget(compareButton_);
  tools_->addWidget(exportButton_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(tools_);
  layout->addWidget(plot_, 1);
  caption_ = new QLabel(this);
  caption_->setWordWrap(true);
  caption_->setTextFormat(Qt::RichText);
  caption_->setStyleSheet(QStringLiteral("color: palette(dark);"));
  // Its height for its width, even squeezed by a splitter: the last line is never cut off.
  caption_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
  caption_->hide();
  layout->addWidget(caption_);

  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(kReplotIntervalMs);
  connect(&replotTimer_, &QTimer::timeout, this, &LiveChart::replotIfDirty);
  markDirty();
}

void LiveChart::setCaption(const QString& html) {
  caption_->setText(html);
  caption_->setVisible(!html.isEmpty());
}

QString LiveChart::caption() const {
  return caption_->text();
}

void LiveChart::addTool(QWidget* tool) {
  tools_->insertWidget(0, tool);
}

void LiveChart::setCsvExport(bool available) {
  csvExport_ = available;
  QMenu* menu = exportButton_->menu();
  menu->clear();
  QStringList formats = {QStringLiteral("PNG"), QStringLiteral("PDF")};
  if (available) formats << QStringLiteral("CSV");
  for (const QString& format : formats)
    menu->addAction(format + QStringLiteral("…"), this,
                    [this, format] { exportWithDialog(format); });
  exportButton_->setToolTip(
      available
          ? tr("Save the charts as a picture (PNG), a vector document (PDF) or the numbers (CSV).")
          : tr("Save the charts as a picture (PNG) or a vector document (PDF)."));
}

QCPAxisRect* LiveChart::addPane(const QString& label, int stretch, Qt::Alignment legendCorner) {
  auto* pane = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(static_cast<int>(panes_.size()), 0, pane);
  pane->axis(QCPAxis::atLeft)->setLabel(label);
  for (QCPAxis* axis : pane->axes()) {
    axis->setLabelFont(plot_->font());
    axis->setTickLabelFont(plot_->font());
  }
  // Left margins line up, so the step axes do too.
  auto* group = plot_->findChild<QCPMarginGroup*>();
  if (!group) group = new QCPMarginGroup(plot_);
  pane->setMarginGroup(QCP::msLeft | QCP::msRight, group);
  auto* legend = new QCPLegend;
  pane->insetLayout()->addElement(legend, legendCorner);
  legend->setLayer(QStringLiteral("legend"));
  legend->setFont(plot_->font());
  legend->setBrush(QColor(255, 255, 255, 220));
  legend->setVisible(true);
  // Steps are whole numbers: ticks at multiples of 1 (1, 2, 5, 10, ... as the range grows).
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
  ticker->setTickStep(1);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  QCPAxis* steps = pane->axis(QCPAxis::atBottom);
  steps->setTicker(ticker);
  // One step axis: panning or zooming any pane moves all of them.
  for (QCPAxisRect* other : panes_) {
    QCPAxis* otherSteps = other->axis(QCPAxis::atBottom);
    connect(steps, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), otherSteps,
            qOverload<const QCPRange&>(&QCPAxis::setRange));
    connect(otherSteps, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), steps,
            qOverload<const QCPRange&>(&QCPAxis::setRange));
    otherSteps->setLabel(QString());
  }
  steps->setLabel(tr("optimizer step"));
  panes_.push_back(pane);
  QList<double> stretches;
  for (int i = 0; i < plot_->plotLayout()->rowCount(); ++i)
    stretches << (i + 1 == plot_->plotLayout()->rowCount()
                      ? stretch
                      : plot_->plotLayout()->rowStretchFactors().value(i, 1));
  plot_->plotLayout()->setRowStretchFactors(stretches);
  return pane;
}

QCPLegend* LiveChart::legendOf(QCPAxisRect* pane) {
  // Each pane keeps its legend as the first element of its inset layout (see addPane).
  return qobject_cast<QCPLegend*>(pane->insetLayout()->elementAt(0));
}

QCPGraph* LiveChart::addGraph(QCPAxisRect* pane, const QPen& pen, const QString& legendName) {
  QCPGraph* graph = plot_->addGraph(pane->axis(QCPAxis::atBottom), pane->axis(QCPAxis::atLeft));
  graph->setPen(pen);
  stylePlottableForPresentation(graph);  // thicker in presentation mode
  if (!legendName.isEmpty()) {
    graph->setName(legendName);
    graph->addToLegend(legendOf(pane));
  }
  return graph;
}

bool LiveChart::valueRange(QCPAxisRect* pane, double& lower, double& upper) {
  const QCP::SignDomain domain = pane->axis(QCPAxis::atLeft)->scaleType() == QCPAxis::stLogarithmic
                                     ? QCP::sdPositive
                                     : QCP::sdBoth;
  bool any = false;
  for (QCPGraph* graph : pane->graphs()) {
    bool found = false;
    const QCPRange r = graph->getValueRange(found, domain);
    if (!found) continue;
    lower = any ? std::min(lower, r.lower) : r.lower;
    upper = any ? std::max(upper, r.upper) : r.upper;
    any = true;
  }
  return any;
}

void LiveChart::setRunsFolder(const QString& runsFolder, const QString& currentRun) {
  runsFolder_ = runsFolder;
  currentRun_ = QFileInfo(currentRun).fileName();
}

void LiveChart::fillCompareMenu() {
  QMenu* menu = compareButton_->menu();
  menu->clear();
  const QDir runs(runsFolder_);
  for (const QString& name :
       runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed)) {
    const QString folder = runs.filePath(name);
    if (name == currentRun_ || !QFileInfo::exists(metricsFileOf(folder))) continue;
    QString why;
    if (!canOverlay(folder, &why)) {
      // Listed, so a missing run is explained rather than a mystery.
      menu->addAction(tr("%1 (%2)").arg(name, why))->setEnabled(false);
      continue;
    }
    QAction* action = menu->addAction(name);
    action->setCheckable(true);
    action->setChecked(overlays_.contains(folder));
    connect(action, &QAction::toggled, this, [this, folder](bool on) {
      if (on) {
        addOverlay(folder);
      } else {
        removeOverlay(folder);
      }
    });
  }
  if (menu->isEmpty())
    menu->addAction(tr("(no earlier runs in this workspace)"))->setEnabled(false);
}

bool LiveChart::canOverlay(const QString& /*runFolder*/, QString* /*why*/) const {
  return true;
}

bool LiveChart::addOverlay(const QString& runFolder) {
  if (overlays_.contains(runFolder)) return true;
  if (!canOverlay(runFolder, nullptr)) return false;
  const QColor colour = kOverlayColours[overlays_.size() % kOverlayColours.size()];
  const QVector<QCPGraph*> graphs =
      makeOverlay(runFolder, QPen(colour, kOverlayWidth, Qt::DashLine));
  if (graphs.isEmpty()) return false;
  overlays_.insert(runFolder, graphs);
  following_ = true;
  markDirty();
  return true;
}

void LiveChart::removeOverlay(const QString& runFolder) {
  for (QCPGraph* graph : overlays_.take(runFolder)) {
    // Our legends are not the plot's default one, which removeGraph would clean up.
    for (QCPAxisRect* pane : panes_) graph->removeFromLegend(legendOf(pane));
    plot_->removeGraph(graph);
  }
  markDirty();
}

bool LiveChart::exportPng(const QString& path) {
  replotIfDirty();
  return plot_->savePng(path, plot_->width(), plot_->height());
}

bool LiveChart::exportPdf(const QString& path) {
  replotIfDirty();
  return plot_->savePdf(path, plot_->width(), plot_->height());
}

bool LiveChart::exportCsv(const QString& /*path*/) {
  return false;
}

void LiveChart::exportWithDialog(const QString& format) {
  const QString suffix = format.toLower();
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export charts as %1").arg(format),
                                   QDir(runsFolder_).filePath(QStringLiteral("charts.") + suffix),
                                   tr("%1 files (*.%2)").arg(format, suffix));
  if (path.isEmpty()) return;
  const bool saved = suffix == QLatin1String("png")   ? exportPng(path)
                     : suffix == QLatin1String("pdf") ? exportPdf(path)
                                                      : exportCsv(path);
  if (!saved) QMessageBox::warning(this, tr("Export"), tr("Could not write %1.").arg(path));
}

void LiveChart::fitToData() {
  following_ = true;
  markDirty();
}

void LiveChart::replotNow() {
  replotTimer_.stop();
  replotIfDirty();
  plot_->replot(QCustomPlot::rpImmediateRefresh);
}

void LiveChart::markDirty() {
  dirty_ = true;
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void LiveChart::replotIfDirty() {
  if (!dirty_) return;
  dirty_ = false;
  if (following_ && !panes_.isEmpty()) {
    fitValueAxes();
    double lastStep = 1;
    for (int i = 0; i < plot_->graphCount(); ++i) {
      bool found = false;
      const QCPRange r = plot_->graph(i)->getKeyRange(found);
      if (found) lastStep = std::max(lastStep, r.upper);
    }
    panes_.front()
        ->axis(QCPAxis::atBottom)
        ->setRange(0, lastStep * (1 + kStepPadding));  // the others follow
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
  ++replots_;
}

}  // namespace bertwb::ui
