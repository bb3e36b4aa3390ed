#include "finetune/finetune_charts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>
#include <cmath>
#include <map>

#include "io/manifests.h"
#include "shell/bounded_read.h"
#include "shell/json_bridge.h"
#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {
namespace {

constexpr int kLossRawAlpha = 80;
constexpr double kLossLineWidth = 2.5;
constexpr double kMarkerSize = 7, kBestMarkerSize = 13;
constexpr int kLossPaneStretch = 1, kMetricPaneStretch = 1;
constexpr double kScorePadding = 0.05;  // of the value range, above and below the data
const QColor kLossColour(31, 119, 180), kMetricColour(214, 39, 40), kBestColour(44, 160, 44);
const QColor kBaselineColour(110, 110, 110);

}  // namespace

FinetuneHistory readFinetuneMetrics(const QString& metricsFile) {
  FinetuneHistory history;
  const std::optional<QByteArray> bytes = readBoundedFile(metricsFile, kJsonInputFile);
  if (!bytes) return history;
  for (const QByteArray& line : bytes->split('\n')) {
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

QString finetuneRunTask(const QString& runFolder) {
  return readJsonObjectFile(QDir(runFolder).filePath(QString::fromLatin1(kRunSettingsFile)))
      .value(QStringLiteral("settings"))
      .toObject()
      .value(QStringLiteral("task"))
      .toString();
}

FinetuneCharts::FinetuneCharts(QWidget* parent) : LiveChart(parent) {
  plot()->setMinimumSize(360, 260);
  lossPane_ = addPane(tr("training loss"), kLossPaneStretch);
  // Loss falls and scores rise: the free corner is the top right for the loss, the bottom
  // right for the scores.
  // Scores rise from the bottom left: the top-left corner stays free for the legend.
  metricPane_ = addPane(tr("dev metric"), kMetricPaneStretch, Qt::AlignLeft | Qt::AlignTop);
  QColor faint = kLossColour;
  faint.setAlpha(kLossRawAlpha);
  rawLoss_ = addGraph(lossPane_, QPen(faint, 1));
  smoothLoss_ = addGraph(lossPane_, QPen(kLossColour, kLossLineWidth), tr("this run"));
  metric_ = addGraph(metricPane_, QPen(kMetricColour, kLossLineWidth), tr("this run"));
  metric_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kMarkerSize));
  bestMetric_ = addGraph(metricPane_, QPen(kBestColour, 2), tr("best (saved)"));
  setCaption(
      tr("<b>Training loss</b> per step (faint: as logged; bold: smoothed). <b>Dev "
         "metric</b> at each evaluation; the best is the model saved. Dashed grey: the "
         "majority class, what always answering the commonest label scores."));
  baselineLine_ = new QCPItemStraightLine(plot());
  baselineLine_->setClipAxisRect(metricPane_);
  baselineLine_->setPen(QPen(kBaselineColour, 1, Qt::DashLine));
  baselineLabel_ = new QCPItemText(plot());
  baselineLabel_->setClipAxisRect(metricPane_);
  baselineLabel_->setColor(kBaselineColour);
  // Under the line at the right end: a learning run's scores are above it there by then, and
  // the legend holds the top-left corner.
  baselineLabel_->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
  for (QCPItemPosition* position :
       {baselineLine_->point1, baselineLine_->point2, baselineLabel_->position})
    position->setAxes(metricPane_->axis(QCPAxis::atBottom), metricPane_->axis(QCPAxis::atLeft));
  // The label's x is a fraction of the pane's width, its y the line's value.
  baselineLabel_->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
  baselineLabel_->position->setAxisRect(metricPane_);
  setBaseline(std::nan(""), QString());
  bestMetric_->setLineStyle(QCPGraph::lsNone);
  bestMetric_->setScatterStyle(
      QCPScatterStyle(QCPScatterStyle::ssStar, QPen(kBestColour, 2), Qt::NoBrush, kBestMarkerSize));
  setCsvExport(true);
}

void FinetuneCharts::setBaseline(double value, const QString& label) {
  baselineValue_ = value;
  const bool shown = !std::isnan(value);
  baselineLine_->setVisible(shown);
  baselineLabel_->setVisible(shown);
  if (shown) {
    baselineLine_->point1->setCoords(0, value);
    baselineLine_->point2->setCoords(1, value);
    baselineLabel_->position->setCoords(0.98, value);
    baselineLabel_->setText(label);
  }
  markDirty();
}

void FinetuneCharts::reset(const QString& task) {
  setBaseline(std::nan(""), QString());
  for (QCPGraph* graph : {rawLoss_, smoothLoss_, metric_, bestMetric_}) graph->data()->clear();
  smoother_.reset();
  history_ = FinetuneHistory();
  task_ = task;
  dropOverlaysThatNoLongerCompare();
  fitToData();
}

void FinetuneCharts::dropOverlaysThatNoLongerCompare() {
  for (const QString& run : overlays())
    if (!canOverlay(run, nullptr)) removeOverlay(run);
}

bool FinetuneCharts::canOverlay(const QString& runFolder, QString* why) const {
  const QString theirTask = finetuneRunTask(runFolder);
  if (!task_.isEmpty() && !theirTask.isEmpty()) {
    if (theirTask == task_) return true;
    if (why) *why = tr("a %1 run, not %2").arg(theirTask, task_);
    return false;
  }
  if (history_.mainMetric.isEmpty()) return true;  // nothing to compare with yet
  const QString theirs =
      readFinetuneMetrics(QDir(runFolder).filePath(QStringLiteral("metrics.jsonl"))).mainMetric;
  if (theirs.isEmpty() || theirs == history_.mainMetric) return true;
  if (why) *why = tr("scored by %1, not %2").arg(theirs, history_.mainMetric);
  return false;
}

void FinetuneCharts::addStep(const StepMetrics& step) {
  const double x = static_cast<double>(step.step);
  rawLoss_->addData(x, step.loss);
  smoothLoss_->addData(x, smoother_.add(step.loss));
  history_.lossSteps << x;
  history_.losses << step.loss;
  markDirty();
}

void FinetuneCharts::addEvaluation(qint64 step, double value, const QString& metricName,
                                   bool best) {
  if (metricName != history_.mainMetric) {
    // The first score names the metric: overlays scored by another one no longer compare.
    history_.mainMetric = metricName;
    dropOverlaysThatNoLongerCompare();
  }
  if (!std::isfinite(value)) return;  // an undefined score (a correlation of constants) is no point
  metric_->addData(static_cast<double>(step), value);
  if (best) {
    bestMetric_->data()->clear();  // only the model kept in best/ is starred
    bestMetric_->addData(static_cast<double>(step), value);
  }
  metricPane_->axis(QCPAxis::atLeft)->setLabel(tr("dev %1").arg(metricName));
  history_.mainMetric = metricName;
  history_.evalSteps << static_cast<double>(step);
  history_.evalValues << value;
  markDirty();
}

QPair<double, double> FinetuneCharts::metricAxisRange() const {
  const QCPRange range = metricPane_->axis(QCPAxis::atLeft)->range();
  return {range.lower, range.upper};
}

int FinetuneCharts::lossPointCount() const {
  return rawLoss_->dataCount();
}
int FinetuneCharts::evaluationPointCount() const {
  return metric_->dataCount();
}

bool FinetuneCharts::exportCsv(const QString& path) {
  // One row per step that has a loss or a score: step, loss, loss_smoothed, dev_<metric>.
  std::map<double, std::pair<QString, QString>> rows;
  ExponentialSmoother smoother(kChartSmoothingWeight);
  for (int i = 0; i < history_.lossSteps.size(); ++i) {
    const double loss = history_.losses[i];
    rows[history_.lossSteps[i]].first = QString::number(loss, 'g', 8) + QLatin1Char(',') +
                                        QString::number(smoother.add(loss), 'g', 8);
  }
  for (int i = 0; i < history_.evalSteps.size(); ++i)
    rows[history_.evalSteps[i]].second = QString::number(history_.evalValues[i], 'g', 8);
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) return false;
  QTextStream out(&file);
  out << "step,loss,loss_smoothed,dev_"
      << (history_.mainMetric.isEmpty() ? QStringLiteral("metric") : history_.mainMetric) << "\n";
  for (const auto& [step, row] : rows)
    out << static_cast<qint64>(step) << ','
        << (row.first.isEmpty() ? QStringLiteral(",") : row.first) << ',' << row.second << "\n";
  out.flush();
  return file.commit();
}

QVector<QCPGraph*> FinetuneCharts::makeOverlay(const QString& runFolder, const QPen& pen) {
  const FinetuneHistory history =
      readFinetuneMetrics(QDir(runFolder).filePath(QStringLiteral("metrics.jsonl")));
  if (history.lossSteps.isEmpty() && history.evalSteps.isEmpty()) return {};
  QCPGraph* loss = addGraph(lossPane_, pen, QFileInfo(runFolder).fileName());
  ExponentialSmoother smoother(kChartSmoothingWeight);
  for (int i = 0; i < history.lossSteps.size(); ++i)
    loss->addData(history.lossSteps[i], smoother.add(history.losses[i]));
  QCPGraph* metric = addGraph(metricPane_, pen);
  metric->setData(history.evalSteps, history.evalValues, /*alreadySorted=*/true);
  metric->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, kMarkerSize));
  return {loss, metric};
}

void FinetuneCharts::fitValueAxes() {
  double lower = 0, upper = 0;
  if (valueRange(lossPane_, lower, upper)) {
    const double pad = std::max(1e-6, (upper - lower) * kScorePadding);
    lossPane_->axis(QCPAxis::atLeft)->setRange(lower - pad, upper + pad);
  }
  // Scores start at 0: a fraction (accuracy, F1) on 0..1, a percentage (SQuAD) on 0..100,
  // a correlation on -1..1, so a flat line reads as the score it is.
  if (!valueRange(metricPane_, lower, upper) || !std::isfinite(lower) || !std::isfinite(upper)) {
    lower = 0;
    upper = 1;
  }
  const double top =
      upper <= 1 + kScorePadding ? 1 : (upper <= 100 + kScorePadding * 100 ? 100 : upper);
  const double bottom = lower < -kScorePadding ? -top : 0;
  metricPane_->axis(QCPAxis::atLeft)
      ->setRange(bottom - top * kScorePadding, top * (1 + kScorePadding));
}

}  // namespace bertwb::ui
