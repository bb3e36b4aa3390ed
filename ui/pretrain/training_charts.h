#pragma once
// Live charts of a pre-training run, three panes sharing the step axis: loss (total, MLM,
// NSP; raw and smoothed), accuracy (MLM, NSP) and the learning rate, with a log-scale switch
// for the loss. Repainting, following, overlays of earlier runs and export are LiveChart's;
// CSV export writes the run's metrics.
#include <QString>
#include <QStringList>
#include <QVector>

#include "widgets/live_chart.h"
#include "widgets/training_metrics.h"

class QCheckBox;

namespace bertwb::ui {

class TrainingCharts : public LiveChart {
  Q_OBJECT
 public:
  enum class Series { TotalLoss, MlmLoss, NspLoss, MlmAccuracy, NspAccuracy, LearningRate };

  explicit TrainingCharts(QWidget* parent = nullptr);

  // The caption's starting loss (ln of the vocabulary size; 0 leaves it out).
  void setVocabularySize(int size);
  // Starts a fresh history (a new run), or one that continues `past` (a resumed run).
  void reset(const QVector<StepMetrics>& past = {});
  void addStep(const StepMetrics& metrics);
  const QVector<StepMetrics>& history() const { return history_; }

  // Points in a series' raw graph (its smoothed twin has as many).
  int pointCount(Series series) const;

  void setLogScale(bool on);
  // The loss axis's labelled ticks on a log scale (1-2-5 steps: "1", "2", "5"); empty on a
  // linear one.
  QStringList lossTickLabels() const;
  bool isLogScale() const;

  bool exportCsv(const QString& path) override;

 protected:
  QVector<QCPGraph*> makeOverlay(const QString& runFolder, const QPen& pen) override;
  void fitValueAxes() override;

 private:
  struct Pair {  // a raw series and its smoothed twin
    QCPGraph* raw = nullptr;
    QCPGraph* smooth = nullptr;
    ExponentialSmoother smoother{kChartSmoothingWeight};
  };
  Pair makePair(QCPAxisRect* pane, const QString& name, const QColor& colour);
  void append(Pair& pair, double step, double value);

  QCPAxisRect* lossPane_;
  QCPAxisRect* accuracyPane_;
  QCPAxisRect* ratePane_;
  Pair totalLoss_, mlmLoss_, nspLoss_, mlmAccuracy_, nspAccuracy_;
  QCPGraph* learningRate_;
  QCheckBox* logScaleBox_;
  QVector<StepMetrics> history_;
};

}  // namespace bertwb::ui
