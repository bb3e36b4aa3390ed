#include "experiments/experiment_session.h"

#include <QThread>
#include <exception>

#include "shell/event_loop_wait.h"
#include "util/error.h"

namespace bertwb::ui {

ExperimentSession::ExperimentSession(QObject* parent) : QObject(parent) {
  qRegisterMetaType<bertwb::CellResult>();
}

ExperimentSession::~ExperimentSession() {
  if (!thread_) return;
  requestStop();
  // The worker emits this object's signals; it is going, so only the thread matters now.
  thread_->wait();
  delete thread_;
}

bool ExperimentSession::start(const ExperimentJob& job) {
  if (thread_) return false;
  cancel_ = std::make_shared<CancelFlag>();
  pause_ = std::make_shared<PauseFlag>();
  const std::shared_ptr<CancelFlag> cancel = cancel_;
  const std::shared_ptr<PauseFlag> pause = pause_;
  // Signals emitted on the worker thread reach this object's receivers queued, in order.
  thread_ = QThread::create([this, job, cancel, pause] {
    try {
      runExperimentJob(job, *this, *cancel, *pause);
    } catch (const Cancelled&) {
      Q_EMIT finished(0, 0, /*cancelled=*/true);
    } catch (const std::exception& e) {
      Q_EMIT failed(QString::fromStdString(e.what()));
    }
  });
  thread_->setObjectName(QStringLiteral("experiment"));
  connect(thread_, &QThread::finished, this, [this] {
    // Queued after every signal the worker emitted, so all of them have been delivered.
    thread_->wait();
    delete thread_;
    thread_ = nullptr;
    Q_EMIT stopped();
  });
  thread_->start();
  return true;
}

void ExperimentSession::setPaused(bool paused) {
  if (pause_) pause_->set(paused);
}

void ExperimentSession::requestStop() {
  if (!cancel_) return;
  cancel_->request();
  setPaused(false);  // a paused cell must wake up to notice the stop
}

bool ExperimentSession::waitUntilStopped(int milliseconds) {
  return processEventsWhile([this] { return thread_ != nullptr; }, milliseconds);
}

}  // namespace bertwb::ui
