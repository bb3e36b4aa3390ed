// The "Compare with" part of TrainingCharts: earlier runs of the workspace overlaid as dashed,
// smoothed lines (loss, MLM accuracy, learning rate) read from their metrics.jsonl.
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QToolButton>

#include "qcustomplot_include.h"
#include "training_charts.h"

namespace bertwb::ui {
namespace {

constexpr double kOverlayWidth = 1.8;
// Overlays take muted colours so the live run stays the eye's focus.
const QList<QColor> kOverlayColours = {QColor(120, 120, 120), QColor(160, 82, 45),
                                       QColor(0, 139, 139), QColor(199, 21, 133),
                                       QColor(85, 107, 47)};

QString metricsFileOf(const QString& runFolder) {
  return QDir(runFolder).filePath(QStringLiteral("metrics.jsonl"));
}

}  // namespace

void TrainingCharts::setRunsFolder(const QString& runsFolder, const QString& currentRun) {
  runsFolder_ = runsFolder;
  currentRun_ = QFileInfo(currentRun).fileName();
}

void TrainingCharts::fillCompareMenu() {
  QMenu* menu = compareButton_->menu();
  menu->clear();
  const QDir runs(runsFolder_);
  const QStringList names =
      runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed);
  for (const QString& name : names) {
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

bool TrainingCharts::addOverlay(const QString& runFolder) {
  if (overlays_.contains(runFolder)) return true;
  const QVector<StepMetrics> history = readMetricsJsonl(metricsFileOf(runFolder));
  if (history.isEmpty()) return false;
  const QColor colour = kOverlayColours[overlays_.size() % kOverlayColours.size()];
  QPen pen(colour, kOverlayWidth, Qt::DashLine);
  const QString name = QFileInfo(runFolder).fileName();
  QVector<QCPGraph*> graphs;
  struct Target {
    QCPAxisRect* pane;
    double StepMetrics::*field;
  };
  for (const Target& target :
       {Target{lossPane_, &StepMetrics::loss}, Target{accuracyPane_, &StepMetrics::mlmAccuracy},
        Target{ratePane_, &StepMetrics::learningRate}}) {
    QCPGraph* graph =
        plot_->addGraph(target.pane->axis(QCPAxis::atBottom), target.pane->axis(QCPAxis::atLeft));
    graph->setPen(pen);
    graph->setName(name);
    ExponentialSmoother smoother(kChartSmoothingWeight);
    const bool smooth = target.field != &StepMetrics::learningRate;
    for (const StepMetrics& m : history) {
      const double value = m.*(target.field);
      graph->addData(static_cast<double>(m.step), smooth ? smoother.add(value) : value);
    }
    if (target.pane == lossPane_) graph->addToLegend(legendOf(lossPane_));
    graphs << graph;
  }
  overlays_.insert(runFolder, graphs);
  following_ = true;
  markDirty();
  return true;
}

void TrainingCharts::removeOverlay(const QString& runFolder) {
  for (QCPGraph* graph : overlays_.take(runFolder)) {
    // Our legends are not the plot's default one, which removeGraph would clean up.
    graph->removeFromLegend(legendOf(lossPane_));
    plot_->removeGraph(graph);
  }
  markDirty();
}

}  // namespace bertwb::ui
