#include "model/model_cost_estimator.h"

#include <QMetaObject>
#include "model/model_summary.h"
#include "runtime/matmul_benchmark.h"
#include "shell/background_job.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {}

TrainingCost estimateTrainingCost(const BertConfig& config, int batchSize, int sequenceLength) {
  TrainingCost cost;
  cost.parameters = countParameters(config);
  cost.memory = estimateTrainingMemory(config, batchSize, sequenceLength);
  // The trainer gathers the masked positions before the vocabulary projection (paper §3.1).
  cost.flops = estimateFlops(config, sequenceLength, kMaskedFraction);
  cost.flopsPerStep = cost.flops.trainingPerToken * static_cast<double>(batchSize) * sequenceLength;
  return cost;
}

double estimateStepSeconds(double flopsPerStep, double gflopsPerSecond) {
  if (!(gflopsPerSecond > 0)) return -1;
  return flopsPerStep / (gflopsPerSecond * kFlopsPerGflop);
}

MatmulRateProbe::MatmulRateProbe(QObject* parent)
    : QObject(parent), job_(new BackgroundJob(this)), result_(std::make_shared<double>(0)) {
  connect(job_, &BackgroundJob::succeeded, this, [this] { Q_EMIT measured(*result_); });
  connect(job_, &BackgroundJob::failed, this, &MatmulRateProbe::failed);
}

std::optional<double> MatmulRateProbe::gflopsPerSecond() const {
  return cachedMatmulGflops();
}

void MatmulRateProbe::start() {
  if (const auto cached = cachedMatmulGflops()) {
    // Queued, so callers connect and start in any order and always hear the answer.
    const double rate = *cached;
    QMetaObject::invokeMethod(
        this, [this, rate] { Q_EMIT measured(rate); }, Qt::QueuedConnection);
    return;
  }
  if (job_->isRunning()) return;
  // The worker writes the shared result; `succeeded` (queued, after the write) reads it.
  std::shared_ptr<double> result = result_;
  job_->start(tr("Measuring matmul speed"),
              [result](const ProgressCallback&, const CancelFlag& cancel) {
                *result = measureMatmulGflops(&cancel);
              });
}

}  // namespace bertwb::ui
