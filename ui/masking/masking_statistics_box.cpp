#include "masking/masking_statistics_box.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "masking/masking_statistics_view.h"
#include "shell/background_job.h"
#include "shell/corpus_loading.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

constexpr int kDefaultInstances = 2000;  // ±1% on the 15% rate, a second or two of sampling
constexpr int kFewestInstances = 100;
constexpr int kMostInstances = 200000;
constexpr int kInstanceStep = 500;
// Wait this long after the last request before sampling thousands of instances, so that
// dragging a spin box redraws the instance at once but starts one statistics job.
constexpr int kDelayMs = 250;

}  // namespace

MaskingStatisticsBox::MaskingStatisticsBox(QWidget* parent)
    : QGroupBox(tr("Statistics over many instances"), parent) {
  job_ = new BackgroundJob(this);
  delay_ = new QTimer(this);
  delay_->setSingleShot(true);
  delay_->setInterval(kDelayMs);
  countBox_ = new QSpinBox(this);
  countBox_->setRange(kFewestInstances, kMostInstances);
  countBox_->setSingleStep(kInstanceStep);
  countBox_->setGroupSeparatorShown(true);
  countBox_->setValue(kDefaultInstances);
  countBox_->setToolTip(tr("How many instances to sample. More: closer to the targets, slower."));
  progress_ = new QProgressBar(this);
  progress_->setRange(0, static_cast<int>(kPercent));
  progress_->setVisible(false);
  view_ = new MaskingStatisticsView(this);

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Instances:"), this));
  controls->addWidget(countBox_);
  controls->addWidget(progress_, 1);
  controls->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addWidget(view_, 1);

  connect(countBox_, &QSpinBox::valueChanged, this, [this] {
    Q_EMIT instanceCountChanged();
    if (request_.corpus)
      request(request_.corpus, request_.vocabulary, request_.options, request_.seed);
  });
  connect(delay_, &QTimer::timeout, this, &MaskingStatisticsBox::compute);
  connect(job_, &BackgroundJob::progressed, this, [this](double fraction, const QString&, double) {
    progress_->setValue(static_cast<int>(kPercent * std::max(0.0, fraction)));
  });
  connect(job_, &BackgroundJob::succeeded, this, [this] {
    progress_->setVisible(false);
    if (pending_) return;  // the settings moved on: these numbers are already stale
    statistics_ = std::move(result_);
    view_->setStatistics(*statistics_, runningOptions_);
    Q_EMIT updated();
  });
  connect(job_, &BackgroundJob::failed, this, [this](const QString& message) {
    progress_->setVisible(false);
    view_->setError(message);
  });
  connect(job_, &BackgroundJob::cancelled, this, [this] { progress_->setVisible(false); });
  // Whatever the outcome, a request made meanwhile runs now (queued: after the handlers above).
  const auto computePending = [this] {
    if (pending_) compute();
  };
  connect(job_, &BackgroundJob::succeeded, this, computePending, Qt::QueuedConnection);
  connect(job_, &BackgroundJob::cancelled, this, computePending, Qt::QueuedConnection);
  connect(job_, &BackgroundJob::failed, this, computePending, Qt::QueuedConnection);
}

int MaskingStatisticsBox::instanceCount() const {
  return countBox_->value();
}

void MaskingStatisticsBox::setInstanceCount(int count) {
  countBox_->setValue(count);
}

bool MaskingStatisticsBox::isComputing() const {
  return job_->isRunning() || pending_ || delay_->isActive();
}

void MaskingStatisticsBox::request(std::shared_ptr<const LoadedCorpus> corpus,
                                   std::shared_ptr<const SamplerVocabulary> vocabulary,
                                   const PretrainingDataOptions& options, quint64 seed) {
  request_ = {std::move(corpus), std::move(vocabulary), options, seed};
  view_->setBusy(tr("Sampling %1 instances…").arg(countBox_->value()));
  delay_->start();
}

void MaskingStatisticsBox::clear(const QString& reason) {
  request_ = {};
  delay_->stop();
  if (job_->isRunning()) job_->cancel();
  pending_ = false;
  view_->setError(reason);
}

void MaskingStatisticsBox::compute() {
  if (job_->isRunning()) {
    pending_ = true;
    job_->cancel();
    return;
  }
  pending_ = false;
  if (!request_.corpus || !request_.vocabulary) return;
  auto result = std::make_shared<MaskingStatistics>();
  result_ = result;
  runningOptions_ = request_.options;
  // The worker builds its own sampler over the shared, read-only corpus: the panel's sampler
  // may be replaced by the next knob change while the job runs.
  const Request request = request_;
  const int count = countBox_->value();
  progress_->setValue(0);
  progress_->setVisible(true);
  job_->start(tr("Sampling instances"), [request, count, result](const ProgressCallback& progress,
                                                                 const CancelFlag& cancel) {
    const PretrainingSampler sampler(request.corpus->corpus, *request.vocabulary, request.options);
    *result = measureMasking(sampler, request.seed, count, progress, &cancel);
  });
}

}  // namespace bertwb::ui
