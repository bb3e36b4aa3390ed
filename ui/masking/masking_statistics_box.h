#pragma once
// "Statistics over many instances": how many to sample, the sampling itself on a worker
// thread (debounced, so dragging a knob starts one job, not fifty; a newer request cancels an
// older one), and the charts that show the result.
#include <QGroupBox>
#include <memory>

#include "data/pretraining_sampler.h"
#include "masking/masking_sampling.h"

class QProgressBar;
class QSpinBox;
class QTimer;

namespace bertwb::ui {

class BackgroundJob;
class MaskingStatisticsView;
struct LoadedCorpus;

class MaskingStatisticsBox : public QGroupBox {
  Q_OBJECT
 public:
  explicit MaskingStatisticsBox(QWidget* parent = nullptr);

  // Samples instanceCount() instances of `corpus` with these settings, shortly.
  void request(std::shared_ptr<const LoadedCorpus> corpus,
               std::shared_ptr<const SamplerVocabulary> vocabulary,
               const PretrainingDataOptions& options, quint64 seed);
  // Nothing to sample: drop any pending request and say why.
  void clear(const QString& reason);

  bool isComputing() const;
  // The latest finished statistics (null before the first).
  const MaskingStatistics* statistics() const { return statistics_.get(); }
  MaskingStatisticsView* view() const { return view_; }
  int instanceCount() const;
  void setInstanceCount(int count);

 Q_SIGNALS:
  void updated();
  void instanceCountChanged();

 private:
  void compute();

  struct Request {
    std::shared_ptr<const LoadedCorpus> corpus;
    std::shared_ptr<const SamplerVocabulary> vocabulary;
    PretrainingDataOptions options;
    quint64 seed = 0;
  };
  Request request_;
  PretrainingDataOptions runningOptions_;  // the settings the running job samples with
  bool pending_ = false;                   // a newer request waits for the running job to stop
  BackgroundJob* job_;
  QTimer* delay_;
  std::shared_ptr<MaskingStatistics> result_;  // written by the worker, read after it succeeded
  std::shared_ptr<const MaskingStatistics> statistics_;
  QSpinBox* countBox_;
  QProgressBar* progress_;
  MaskingStatisticsView* view_;
};

}  // namespace bertwb::ui
