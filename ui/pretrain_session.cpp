#include "pretrain_session.h"
#include "event_loop_wait.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

namespace bertwb::ui {
namespace {
// How long waitUntilStopped sleeps between event rounds: short enough not to delay the
// caller, long enough not to spin a core the training needs.
}  // namespace

PretrainSession::PretrainSession(QObject* parent) : QObject(parent) {
  registerPretrainMetaTypes();
}

PretrainSession::~PretrainSession() {
  if (!thread_) return;
  requestStop();
  // The worker's signals target this object, which is going: only the thread matters now.
  thread_->wait();
  delete thread_;
}

bool PretrainSession::start(const PretrainJob& job) {
  if (thread_) return false;
  cancel_ = std::make_shared<CancelFlag>();
  pause_ = std::make_shared<PauseFlag>();
  thread_ = new QThread;  // no parent: it is deleted only after it has finished
  thread_->setObjectName(QStringLiteral("pretraining"));
  auto* worker = new PretrainWorker(job, cancel_, pause_);
  worker->moveToThread(thread_);
  connect(thread_, &QThread::started, worker, &PretrainWorker::run);
  connect(worker, &PretrainWorker::done, thread_, &QThread::quit);
  connect(thread_, &QThread::finished, worker, &QObject::deleteLater);
  // Queued: the worker emits on its own thread; these run on the GUI thread, in order.
  connect(worker, &PretrainWorker::preparing, this, &PretrainSession::preparing);
  connect(worker, &PretrainWorker::started, this, &PretrainSession::started);
  connect(worker, &PretrainWorker::stepped, this, &PretrainSession::stepped);
  connect(worker, &PretrainWorker::probed, this, &PretrainSession::probed);
  connect(worker, &PretrainWorker::checkpointSaved, this, &PretrainSession::checkpointSaved);
  connect(worker, &PretrainWorker::finished, this, &PretrainSession::finished);
  connect(worker, &PretrainWorker::failed, this, &PretrainSession::failed);
  connect(worker, &PretrainWorker::done, this, &PretrainSession::onWorkerDone);
  thread_->start();
  return true;
}

void PretrainSession::setPaused(bool paused) {
  if (pause_) pause_->set(paused);
}

void PretrainSession::requestStop() {
  if (cancel_) cancel_->request();
}

bool PretrainSession::waitUntilStopped(int milliseconds) {
  return processEventsWhile([this] { return thread_ != nullptr; }, milliseconds);
}

void PretrainSession::onWorkerDone() {
  // `done` is the worker's last signal, so every earlier one has been delivered already.
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
  Q_EMIT stopped();
}

}  // namespace bertwb::ui
