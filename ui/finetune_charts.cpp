#include "finetune_charts.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

#include "finetune_worker.h"
#include "qcustomplot_include.h"

namespace bertwb::ui {
namespace {

constexpr int kReplotIntervalMs = 33;  // ~30 frames a second is all the eye sees
constexpr int kChartFontPoints = 10;
constexpr int kRawAlpha = 80;
constexpr double kLineWidth = 2.5;
constexpr double kOverlayWidth = 1.8;
constexpr double kMarkerSize = 7, kBestMarkerSize = 13;
constexpr int kLossStretch = 1, kMetricStretch = 1;
constexpr double kValuePadding = 0.05;  // of the value range, above and below the data
const QColor kLossColour(31, 119, 180), kMetricColour(214, 39, 40), kBestColour(44, 160, 44);
const QList<QColor> kOverlayColours = {QColor(120, 120, 120), QColor(160, 82, 45),
                                       QColor(0, 139, 139), QColor(199, 21, 133),
                                       QColor(85, 107, 47)};

QString metricsFileOf(const QString& runFolder) {
  return QDir(runFolder).filePath(QStringLiteral("metrics.jsonl"));
}

}  // namespace

FinetuneHistory readFinetuneMetrics(const QString& metricsFile) {
  FinetuneHistory history;
  QFile file(metricsFile);
  if (!file.open(QIODevice::ReadOnly)) return history;
  for (const QByteArray& line : file.readAll().split('\n')) {
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    if (o.isEmpty() || !o.contains(QStringLiteral("step"))) continue;
    const double step = o.value(QStringLiteral("step")).toDouble();
    if (o.value(QStringLiteral("eval")).toBool()) {
      history.mainMetric = o.value(QStringLiteral("main_metric")).toString();
      history.evalSteps << step;
      history.evalValues << o.value(history.mainMetric).toDouble();
    } else if (o.contains(QStringLiteral("loss"))) {
      history.lossSteps << step;
      history.losses << o.value(QStringLiteral("loss")).toDouble();
    }
  }
  return history;
}

FinetuneCharts::FinetuneCharts(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setMinimumSize(360, 260);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setAutoAddPlottableToLegend(false);
  QFont font = plot_->font();
  font.setPointSize(kChartFontPoints);
  plot_->setFont(font);
  plot_->plotLayout()->clear();
  lossPane_ = addPane(0, tr("training loss"));
  metricPane_ = addPane(1, tr("dev metric"));
  plot_->plotLayout()->setRowStretchFactors({kLossStretch, kMetricStretch});
  metricPane_->axis(QCPAxis::atBottom)->setLabel(tr("optimizer step"));
  lossLegend_ = qobject_cast<QCPLegend*>(lossPane_->insetLayout()->elementAt(0));
  metricLegend_ = qobject_cast<QCPLegend*>(metricPane_->insetLayout()->elementAt(0));

  QColor faint = kLossColour;
  faint.setAlpha(kRawAlpha);
  rawLoss_ = plot_->addGraph(lossPane_->axis(QCPAxis::atBottom), lossPane_->axis(QCPAxis::atLeft));
  rawLoss_->setPen(QPen(faint, 1));
  smoothLoss_ =
      plot_->addGraph(lossPane_->axis(QCPAxis::atBottom), lossPane_->axis(QCPAxis::atLeft));
  smoothLoss_->setPen(QPen(kLossColour, kLineWidth));
  smoothLoss_->setName(tr("this run"));
  smoothLoss_->addToLegend(lossLegend_);
  metric_ =
      plot_->addGraph(metricPane_->axis(QCPAxis::atBottom), metricPane_->axis(QCPAxis::atLeft));
  metric_->setPen(QPen(kMetricColour, kLineWidth));
  metric_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kMarkerSize));
  metric_->setName(tr("this run"));
  metric_->addToLegend(metricLegend_);
  bestMetric_ =
      plot_->addGraph(metricPane_->axis(QCPAxis::atBottom), metricPane_->axis(QCPAxis::atLeft));
  bestMetric_->setLineStyle(QCPGraph::lsNone);
  bestMetric_->setScatterStyle(
      QCPScatterStyle(QCPScatterStyle::ssStar, QPen(kBestColour, 2), Qt::NoBrush, kBestMarkerSize));
  bestMetric_->setName(tr("best (saved)"));
  bestMetric_->addToLegend(metricLegend_);

  // One step axis: panning or zooming one pane moves both.
  QCPAxis* lossSteps = lossPane_->axis(QCPAxis::atBottom);
  QCPAxis* metricSteps = metricPane_->axis(QCPAxis::atBottom);
  connect(lossSteps, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), metricSteps,
          qOverload<const QCPRange&>(&QCPAxis::setRange));
  connect(metricSteps, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), lossSteps,
          qOverload<const QCPRange&>(&QCPAxis::setRange));

  compareButton_ = new QToolButton(this);
  compareButton_->setText(tr("Compare with"));
  compareButton_->setPopupMode(QToolButton::InstantPopup);
  compareButton_->setToolTip(tr("Overlay earlier fine-tuning runs of this workspace (dashed)."));
  compareButton_->setMenu(new QMenu(compareButton_));
  connect(compareButton_->menu(), &QMenu::aboutToShow, this, &FinetuneCharts::fillCompareMenu);
  auto* exportButton = new QToolButton(this);
  exportButton->setText(tr("Export PNG…"));
  connect(exportButton, &QToolButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the charts"), QString(), tr("PNG (*.png)"));
    if (!path.isEmpty()) exportPng(path);
  });
  auto* tools = new QHBoxLayout;
  tools->addStretch(1);
  tools->addWidget(compareButton_);
  tools->addWidget(exportButton);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(tools);
  layout->addWidget(plot_, 1);

  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(kReplotIntervalMs);
  connect(&replotTimer_, &QTimer::timeout, this, &FinetuneCharts::replotIfDirty);
  markDirty();
}

QCPAxisRect* FinetuneCharts::addPane(int row, const QString& label) {
  auto* pane = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(row, 0, pane);
  pane->axis(QCPAxis::atLeft)->setLabel(label);
  for (QCPAxis* axis : pane->axes()) {
    axis->setLabelFont(plot_->font());
    axis->setTickLabelFont(plot_->font());
  }
  auto* group = plot_->findChild<QCPMarginGroup*>();
  if (!group) group = new QCPMarginGroup(plot_);
  pane->setMarginGroup(QCP::msLeft | QCP::msRight, group);
  auto* legend = new QCPLegend;
  // Loss falls and scores rise: the free corner is the top right for the loss, the bottom
  // right for the scores.
  pane->insetLayout()->addElement(legend,
                                  Qt::AlignRight | (row == 0 ? Qt::AlignTop : Qt::AlignBottom));
  legend->setLayer(QStringLiteral("legend"));
  legend->setFont(plot_->font());
  legend->setBrush(QColor(255, 255, 255, 220));
  legend->setVisible(true);
  return pane;
}

void FinetuneCharts::reset() {
  for (QCPGraph* graph : {rawLoss_, smoothLoss_, metric_, bestMetric_}) graph->data()->clear();
  smoother_.reset();
  markDirty();
}

void FinetuneCharts::addStep(const FinetuneStep& step) {
  const double x = static_cast<double>(step.step);
  rawLoss_->addData(x, step.loss);
  smoothLoss_->addData(x, smoother_.add(step.loss));
  markDirty();
}

void FinetuneCharts::addEvaluation(qint64 step, double value, const QString& metricName,
                                   bool best) {
  metric_->addData(static_cast<double>(step), value);
  if (best) {
    bestMetric_->data()->clear();  // only the model kept in best/ is starred
    bestMetric_->addData(static_cast<double>(step), value);
  }
  metricPane_->axis(QCPAxis::atLeft)->setLabel(tr("dev %1").arg(metricName));
  markDirty();
}

int FinetuneCharts::lossPointCount() const {
  return rawLoss_->dataCount();
}
int FinetuneCharts::evaluationPointCount() const {
  return metric_->dataCount();
}

void FinetuneCharts::setRunsFolder(const QString& finetunedFolder, const QString& currentRun) {
  runsFolder_ = finetunedFolder;
  currentRun_ = QFileInfo(currentRun).fileName();
}

void FinetuneCharts::fillCompareMenu() {
  QMenu* menu = compareButton_->menu();
  menu->clear();
  const QDir runs(runsFolder_);
  for (const QString& name :
       runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed)) {
    const QString folder = runs.filePath(name);
    if (name == currentRun_ || !QFileInfo::exists(metricsFileOf(folder))) continue;
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

bool FinetuneCharts::addOverlay(const QString& runFolder) {
  if (overlays_.contains(runFolder)) return true;
  const FinetuneHistory history = readFinetuneMetrics(metricsFileOf(runFolder));
  if (history.lossSteps.isEmpty() && history.evalSteps.isEmpty()) return false;
  const QColor colour = kOverlayColours[overlays_.size() % kOverlayColours.size()];
  const QString name = QFileInfo(runFolder).fileName();
  QCPGraph* loss =
      plot_->addGraph(lossPane_->axis(QCPAxis::atBottom), lossPane_->axis(QCPAxis::atLeft));
  ExponentialSmoother smoother(kChartSmoothingWeight);
  for (int i = 0; i < history.lossSteps.size(); ++i)
    loss->addData(history.lossSteps[i], smoother.add(history.losses[i]));
  QCPGraph* metric =
      plot_->addGraph(metricPane_->axis(QCPAxis::atBottom), metricPane_->axis(QCPAxis::atLeft));
  metric->setData(history.evalSteps, history.evalValues, /*alreadySorted=*/true);
  metric->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, kMarkerSize));
  for (QCPGraph* graph : {loss, metric}) {
    graph->setPen(QPen(colour, kOverlayWidth, Qt::DashLine));
    graph->setName(name);
  }
  loss->addToLegend(lossLegend_);
  overlays_.insert(runFolder, {loss, metric});
  markDirty();
  return true;
}

void FinetuneCharts::removeOverlay(const QString& runFolder) {
  for (QCPGraph* graph : overlays_.take(runFolder)) {
    graph->removeFromLegend(lossLegend_);  // our legends are not the plot's default one
    plot_->removeGraph(graph);
  }
  markDirty();
}

bool FinetuneCharts::exportPng(const QString& path) {
  replotIfDirty();
  return plot_->savePng(path, plot_->width(), plot_->height());
}

void FinetuneCharts::replotNow() {
  replotTimer_.stop();
  replotIfDirty();
  plot_->replot(QCustomPlot::rpImmediateRefresh);
}

void FinetuneCharts::markDirty() {
  dirty_ = true;
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void FinetuneCharts::replotIfDirty() {
  if (!dirty_) return;
  dirty_ = false;
  for (QCPAxisRect* pane : {lossPane_, metricPane_}) {
    bool first = true;
    for (QCPGraph* graph : pane->graphs()) {
      if (graph->dataCount() == 0) continue;
      graph->rescaleAxes(!first);
      first = false;
    }
    QCPAxis* values = pane->axis(QCPAxis::atLeft);
    const double pad = std::max(1e-6, values->range().size() * kValuePadding);
    values->setRange(values->range().lower - pad, values->range().upper + pad);
  }
  // Scores start at 0: a fraction (accuracy, F1) on 0..1, a percentage (SQuAD) on 0..100,
  // a correlation on -1..1, so a flat line reads as the score it is.
  QCPAxis* scores = metricPane_->axis(QCPAxis::atLeft);
  bool anyScore = false;
  for (QCPGraph* graph : metricPane_->graphs()) anyScore = anyScore || graph->dataCount() > 0;
  const QCPRange seen = anyScore ? scores->range() : QCPRange(0, 1);
  const double top = seen.upper <= 1 + kValuePadding
                         ? 1
                         : (seen.upper <= 100 + kValuePadding * 100 ? 100 : seen.upper);
  const double bottom = seen.lower < -kValuePadding ? -top : 0;
  scores->setRange(bottom - top * kValuePadding, top * (1 + kValuePadding));
  QCPAxis* steps = lossPane_->axis(QCPAxis::atBottom);
  const QCPRange metricSteps = metricPane_->axis(QCPAxis::atBottom)->range();
  const double lastStep = std::max(steps->range().upper, metricSteps.upper);
  // A little room right of the last step, so its marker is not cut by the frame.
  steps->setRange(std::min(0.0, steps->range().lower), lastStep * (1 + kValuePadding) + 0.5);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace bertwb::ui
