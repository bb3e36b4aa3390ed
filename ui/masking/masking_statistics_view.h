#pragma once
// Observed against target over many sampled instances: are 15% of positions chosen, do the
// chosen ones split 80/10/10, is B the real next text half of the time, how often is a target
// length drawn short; and how long the instances are.
#include <QVector>
#include <QWidget>

#include "data/pretraining_sampler.h"
#include "masking/masking_sampling.h"

class QCustomPlot;
class QLabel;

namespace bertwb::ui {

class MaskingStatisticsView : public QWidget {
  Q_OBJECT
 public:
  enum Rate { kChosen, kMaskShare, kRandomShare, kKeptShare, kIsNext, kShortTarget, kRateCount };

  explicit MaskingStatisticsView(QWidget* parent = nullptr);

  void setStatistics(const MaskingStatistics& statistics, const PretrainingDataOptions& options);
  // While new numbers are computed, say so instead of showing stale bars as current.
  void setBusy(const QString& message);
  void setError(const QString& message);

  // The drawn bars (fractions 0..1, in Rate order), for tests.
  QVector<double> observedRates() const { return observed_; }
  QVector<double> targetRates() const { return target_; }
  QString caption() const;

 private:
  void drawRates();

  QVector<double> observed_, target_;
  QCustomPlot* rates_;
  QCustomPlot* lengths_;
  QLabel* caption_;
};

}  // namespace bertwb::ui
