#pragma once
// Live charts of a fine-tuning run, two panes sharing the step axis: the training loss per
// logged step (faint as logged, bold smoothed) above the dev set's main metric at each
// evaluation (the best one starred). Repainting, following, overlays of earlier runs
// (finetuned/*/metrics.jsonl) and export are LiveChart's; CSV export writes the losses and
// the dev scores.
#include <QPair>
#include <QString>
#include <QVector>

#include "widgets/live_chart.h"
#include "widgets/training_metrics.h"  // ExponentialSmoother, StepMetrics

class QCPItemStraightLine;
class QCPItemText;

namespace bertwb::ui {

// A run's history as metrics.jsonl holds it: step lines and evaluation lines.
struct FinetuneHistory {
  QVector<double> lossSteps, losses;
  QVector<double> evalSteps, evalValues;
  QString mainMetric;  // "accuracy", "f1", ...
};
// Lines that do not parse are skipped; a missing file gives an empty history.
FinetuneHistory readFinetuneMetrics(const QString& metricsFile);
// The task a run folder's run_settings.json names ("classify", "tag", ...); empty without one.
QString finetuneRunTask(const QString& runFolder);

class FinetuneCharts : public LiveChart {
  Q_OBJECT
 public:
  explicit FinetuneCharts(QWidget* parent = nullptr);

  // A new run of `task` ("classify", "tag", ... as run_settings.json names it; empty when not
  // known): overlays of runs of another task are removed, and only runs of this task (or, for
  // runs that do not record it, scored by the same metric) are offered: a sentiment run's
  // accuracy says nothing on an NER chart.
  void reset(const QString& task = QString());
  QString task() const { return task_; }
  void addStep(const StepMetrics& step);
  void addEvaluation(qint64 step, double value, const QString& metricName, bool best);
  // A dashed line across the dev pane at `value` (the majority-class accuracy a classifier must
  // beat), labelled; a NaN removes it. Cleared by reset().
  void setBaseline(double value, const QString& label);
  double baseline() const { return baselineValue_; }
  int lossPointCount() const;
  // The dev pane's value axis as drawn: [lower, upper].
  QPair<double, double> metricAxisRange() const;
  int evaluationPointCount() const;

  bool exportCsv(const QString& path) override;

 protected:
  QVector<QCPGraph*> makeOverlay(const QString& runFolder, const QPen& pen) override;
  bool canOverlay(const QString& runFolder, QString* why) const override;

 private:
  void dropOverlaysThatNoLongerCompare();
  void fitValueAxes() override;

 private:
  QCPAxisRect* lossPane_;
  QCPAxisRect* metricPane_;
  QCPGraph* rawLoss_;
  QCPGraph* smoothLoss_;
  QCPGraph* metric_;
  QCPGraph* bestMetric_;
  QCPItemStraightLine* baselineLine_;
  QCPItemText* baselineLabel_;
  double baselineValue_;
  ExponentialSmoother smoother_{kChartSmoothingWeight};
  FinetuneHistory history_;  // this run's, for CSV
  QString task_;
};

}  // namespace bertwb::ui
