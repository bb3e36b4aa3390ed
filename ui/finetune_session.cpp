#include "finetune_session.h"
#include "event_loop_wait.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

namespace bertwb::ui {
namespace {
// Short enough not to delay the caller, long enough not to spin a core the training needs.
}  // namespace

FinetuneSession::FinetuneSession(QObject* parent) : QObject(parent) {
  registerFinetuneMetaTypes();
}

FinetuneSession::~FinetuneSession() {
  if (!thread_) return;
  requestStop();
  thread_->wait();  // the worker's receivers are going: only the thread matters now
  delete thread_;
}

bool FinetuneSession::start(const FinetuneJob& job) {
  if (thread_) return false;
  cancel_ = std::make_shared<CancelFlag>();
  thread_ = new QThread;  // no parent: deleted only after it has finished
  thread_->setObjectName(QStringLiteral("finetuning"));
  auto* worker = new FinetuneWorker(job, cancel_);
  worker->moveToThread(thread_);
  connect(thread_, &QThread::started, worker, &FinetuneWorker::run);
  connect(worker, &FinetuneWorker::done, thread_, &QThread::quit);
  connect(thread_, &QThread::finished, worker, &QObject::deleteLater);
  // Queued: the worker emits on its own thread; these run on the GUI thread, in order.
  connect(worker, &FinetuneWorker::preparing, this, &FinetuneSession::preparing);
  connect(worker, &FinetuneWorker::started, this, &FinetuneSession::started);
  connect(worker, &FinetuneWorker::stepped, this, &FinetuneSession::stepped);
  connect(worker, &FinetuneWorker::evaluated, this, &FinetuneSession::evaluated);
  connect(worker, &FinetuneWorker::modelSaved, this, &FinetuneSession::modelSaved);
  connect(worker, &FinetuneWorker::finished, this, &FinetuneSession::finished);
  connect(worker, &FinetuneWorker::failed, this, &FinetuneSession::failed);
  connect(worker, &FinetuneWorker::done, this, &FinetuneSession::onWorkerDone);
  thread_->start();
  return true;
}

void FinetuneSession::requestStop() {
  if (cancel_) cancel_->request();
}

bool FinetuneSession::waitUntilStopped(int milliseconds) {
  return processEventsWhile([this] { return thread_ != nullptr; }, milliseconds);
}

void FinetuneSession::onWorkerDone() {
  // `done` is the worker's last signal, so every earlier one has been delivered already.
  thread_->wait();
  delete thread_;
  thread_ = nullptr;
  Q_EMIT stopped();
}

}  // namespace bertwb::ui
