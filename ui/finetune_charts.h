#pragma once
// Live charts of a fine-tuning run in one QCustomPlot: the training loss per step (faint as
// logged, bold smoothed) above the dev set's main metric at each evaluation (the best one
// marked). Earlier runs of the workspace (finetuned/*/metrics.jsonl) overlay as dashed lines,
// so runs with other settings or starting points compare at a glance. Repaints at most ~30
// times a second.
#include <QHash>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include "training_metrics.h"  // ExponentialSmoother

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPLegend;
class QToolButton;

namespace bertwb::ui {

struct FinetuneStep;

// A run's history as metrics.jsonl holds it: step lines and evaluation lines.
struct FinetuneHistory {
  QVector<double> lossSteps, losses;
  QVector<double> evalSteps, evalValues;
  QString mainMetric;  // "accuracy", "f1", ...
};
// Lines that do not parse are skipped; a missing file gives an empty history.
FinetuneHistory readFinetuneMetrics(const QString& metricsFile);

class FinetuneCharts : public QWidget {
  Q_OBJECT
 public:
  explicit FinetuneCharts(QWidget* parent = nullptr);

  void reset();  // a new run
  void addStep(const FinetuneStep& step);
  void addEvaluation(qint64 step, double value, const QString& metricName, bool best);
  int lossPointCount() const;
  int evaluationPointCount() const;

  // Runs under `finetunedFolder` are offered for comparison; `currentRun` is left out.
  void setRunsFolder(const QString& finetunedFolder, const QString& currentRun = QString());
  bool addOverlay(const QString& runFolder);  // false when it has no metrics
  void removeOverlay(const QString& runFolder);
  QStringList overlays() const { return overlays_.keys(); }
  bool exportPng(const QString& path);
  // Draws what has arrived now instead of at the next frame (a run just ended).
  void replotNow();

 private:
  QCPAxisRect* addPane(int row, const QString& label);
  void fillCompareMenu();
  void markDirty();
  void replotIfDirty();

  QCustomPlot* plot_;
  QCPAxisRect* lossPane_;
  QCPAxisRect* metricPane_;
  QCPLegend* lossLegend_;
  QCPLegend* metricLegend_;
  QCPGraph* rawLoss_;
  QCPGraph* smoothLoss_;
  QCPGraph* metric_;
  QCPGraph* bestMetric_;
  QToolButton* compareButton_;
  ExponentialSmoother smoother_{kChartSmoothingWeight};
  QHash<QString, QVector<QCPGraph*>> overlays_;
  QString runsFolder_, currentRun_;
  QTimer replotTimer_;
  bool dirty_ = false;
};

}  // namespace bertwb::ui
