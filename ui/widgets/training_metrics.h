#pragma once
// A run's metric history as the charts use it: read from a run's metrics.jsonl (earlier runs
// overlaid for comparison, a resumed run's past), smoothed for reading trends, and written
// out as CSV for a spreadsheet.
#include <QString>
#include <QVector>

#include "train/training_events.h"  // StepMetrics: a plain struct, no torch

namespace bertwb::ui {

// The metrics lines of `metricsFile` (the trainer's metrics.jsonl) in file order; lines that
// do not parse (a torn last line after a crash) are skipped. A missing file gives none.
QVector<StepMetrics> readMetricsJsonl(const QString& metricsFile);

// An exponential moving average with TensorBoard's bias correction: the first values are not
// pulled towards zero, so the smoothed curve starts where the raw one does.
class ExponentialSmoother {
 public:
  explicit ExponentialSmoother(double weight) : weight_(weight) {}
  double add(double value);
  void reset();

 private:
  double weight_;
  double biased_ = 0;
  double weightPower_ = 1;  // weight^count, for the bias correction
};

// 0.8: the trainer already averages each point over logEvery steps, so a lighter smoothing
// than TensorBoard's slider maximum shows the trend without lagging far behind it.
constexpr double kChartSmoothingWeight = 0.8;

// step, loss, loss_smoothed, mlm_loss, mlm_loss_smoothed, nsp_loss, nsp_loss_smoothed,
// mlm_accuracy, nsp_accuracy, learning_rate, tokens_per_second. False when it cannot write.
bool writeMetricsCsv(const QString& path, const QVector<StepMetrics>& history,
                     QString* error = nullptr);

}  // namespace bertwb::ui
