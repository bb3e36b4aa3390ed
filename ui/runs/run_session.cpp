#include "runs/run_session.h"

#include <QThread>

#include "runs/run_worker.h"
#include "shell/event_loop_wait.h"

namespace bertwb::ui {

RunSession::RunSession(QObject* parent) : QObject(parent) {
  registerRunMetaTypes();
}

RunSession::~RunSession() {
  if (!thread_) return;
  requestStop();
  // The worker's signals target this object, which is going: only the thread matters now.
  thread_->wait();
  delete thread_;
}

bool RunSession::start(std::unique_ptr<RunJob> job) {
  if (thread_ || !job) return false;
  cancel_ = std::make_shared<CancelFlag>();
  pause_ = std::make_shared<PauseFlag>();
  thread_ = new QThread;  // no parent: it is deleted only after it has finished
  thread_->setObjectName(job->threadName());
  auto* worker = new RunWorker(std::move(job), cancel_, pause_);
  worker->moveToThread(thread_);
  connect(thread_, &QThread::started, worker, &RunWorker::run);
  connect(worker, &RunWorker::done, thread_, &QThread::quit);
  connect(thread_, &QThread::finished, worker, &QObject::deleteLater);
  // Queued: the worker emits on its own thread; these run on the GUI thread, in order.
  connect(worker, &RunWorker::preparing, this, &RunSession::preparing);
  connect(worker, &RunWorker::started, this, &RunSession::started);
  connect(worker, &RunWorker::stepped, this, &RunSession::stepped);
  connect(worker, &RunWorker::probed, this, &RunSession::probed);
  connect(worker, &RunWorker::evaluated, this, &RunSession::evaluated);
  connect(worker, &RunWorker::checkpointSaved, this, &RunSession::checkpointSaved);
  connect(worker, &RunWorker::modelSaved, this, &RunSession::modelSaved);
  connect(worker, &RunWorker::finished, this, &RunSession::finished);
  connect(worker, &RunWorker::failed, this, &RunSession::failed);
  connect(worker, &RunWorker::done, this, &RunSession::onWorkerDone);
  thread_->start();
  return true;
}

void RunSession::setPaused(bool paused) {
  if (pause_) pause_->set(paused);
}

void RunSession::requestStop() {
  if (cancel_) cancel_->request();
}

bool RunSession::waitUntilStopped(int milliseconds) {
  return processEventsWhile([this] { return thread_ != nullptr; }, milliseconds);
}

void RunSession::onWorkerDone() {
  // `done` is the worker's last signal, so every earlier one has been delivered already.
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
  Q_EMIT stopped();
}

}  // namespace bertwb::ui
