#pragma once
// Live charts of a pre-training run in one QCustomPlot, three panes sharing the step axis:
// loss (total, MLM, NSP; raw and smoothed), accuracy (MLM, NSP) and the learning rate.
// Points are appended as the trainer reports them, but the plot repaints at most ~30 times
// a second (a timer replots only when something changed). Earlier runs of the workspace can
// be overlaid; the charts export to PNG, PDF and CSV; drag pans, the wheel zooms.
#include <QHash>
#include <QString>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include "training_metrics.h"

class QCheckBox;
class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPLegend;
class QToolButton;

namespace bertwb::ui {

class TrainingCharts : public QWidget {
  Q_OBJECT
 public:
  enum class Series { TotalLoss, MlmLoss, NspLoss, MlmAccuracy, NspAccuracy, LearningRate };

  explicit TrainingCharts(QWidget* parent = nullptr);

  // Starts a fresh history (a new run), or one that continues `past` (a resumed run).
  void reset(const QVector<StepMetrics>& past = {});
  void addStep(const StepMetrics& metrics);
  const QVector<StepMetrics>& history() const { return history_; }

  // Points in a series' raw graph (its smoothed twin has as many).
  int pointCount(Series series) const;
  int replotCount() const { return replots_; }

  void setLogScale(bool on);
  bool isLogScale() const;
  // Back to following the newest points after the user zoomed or panned.
  void fitToData();

  // The runs folder whose runs the "Compare" menu offers; `currentRun` is left out.
  void setRunsFolder(const QString& runsFolder, const QString& currentRun = QString());
  // Overlays a finished or stopped run (its metrics.jsonl) as dashed lines; false when it has none.
  bool addOverlay(const QString& runFolder);
  void removeOverlay(const QString& runFolder);
  QStringList overlays() const { return overlays_.keys(); }

  bool exportPng(const QString& path);
  bool exportPdf(const QString& path);
  bool exportCsv(const QString& path);

 private:
  struct Pair {  // a raw series and its smoothed twin
    QCPGraph* raw = nullptr;
    QCPGraph* smooth = nullptr;
    ExponentialSmoother smoother{kChartSmoothingWeight};
  };
  static QCPLegend* legendOf(QCPAxisRect* pane);
  QCPAxisRect* addPane(int row, const QString& label);
  Pair makePair(QCPAxisRect* pane, const QString& name, const QColor& colour);
  void append(Pair& pair, double step, double value);
  void markDirty();
  void replotIfDirty();
  void fillCompareMenu();
  void exportWithDialog(const QString& format);

  QCustomPlot* plot_;
  QCPAxisRect* lossPane_;
  QCPAxisRect* accuracyPane_;
  QCPAxisRect* ratePane_;
  Pair totalLoss_, mlmLoss_, nspLoss_, mlmAccuracy_, nspAccuracy_;
  QCPGraph* learningRate_;
  QCheckBox* logScaleBox_;
  QToolButton* compareButton_;
  QVector<StepMetrics> history_;
  QHash<QString, QVector<QCPGraph*>> overlays_;  // run folder → its graphs
  QString runsFolder_, currentRun_;
  QTimer replotTimer_;
  bool dirty_ = false;
  bool following_ = true;  // rescale to the data on each replot until the user zooms or pans
  int replots_ = 0;
};

}  // namespace bertwb::ui
