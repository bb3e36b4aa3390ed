#include "shell/background_job.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMetaObject>
#include <QPointer>
#include <QThread>
#include <exception>

#include "shell/event_loop_wait.h"
#include "util/error.h"

namespace bertwb::ui {
BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
  if (thread_) {
    cancel();
    thread_->wait();
  }
}

bool BackgroundJob::start(const QString& title, Work work) {
  if (running_) return false;
  if (thread_) {  // the previous job's thread has finished its run; reclaim it
    thread_->wait();
    delete thread_;
    thread_ = nullptr;
  }
  title_ = title;
  running_ = true;
  cancel_ = std::make_shared<CancelFlag>();
  clock_.start();
  QPointer<BackgroundJob> self(this);
  std::shared_ptr<CancelFlag> cancel = cancel_;
  const qint64 startedAt = QDateTime::currentMSecsSinceEpoch();
  thread_ = QThread::create([self, cancel, work = std::move(work), startedAt] {
    // Runs on the worker thread: everything it tells the GUI goes through queued calls.
    const ProgressCallback progress = [self, startedAt](const Progress& p) {
      const double elapsed = (QDateTime::currentMSecsSinceEpoch() - startedAt) / 1000.0;
      const double eta =
          p.fraction > 0.01 && p.fraction < 1 ? elapsed * (1 - p.fraction) / p.fraction : -1;
      const QString message = QString::fromStdString(p.message);
      const double fraction = p.fraction;
      QMetaObject::invokeMethod(
          self,
          [self, fraction, message, eta] {
            if (self) Q_EMIT self->progressed(fraction, message, eta);
          },
          Qt::QueuedConnection);
    };
    Outcome outcome = Outcome::Succeeded;
    QString message;
    try {
      work(progress, *cancel);
      if (cancel->isRequested()) outcome = Outcome::Cancelled;
    } catch (const Cancelled&) {
      outcome = Outcome::Cancelled;
    } catch (const std::exception& e) {
      outcome = Outcome::Failed;
      message = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        self,
        [self, outcome, message] {
          if (self) self->finish(outcome, message);
        },
        Qt::QueuedConnection);
  });
  thread_->start();
  return true;
}

void BackgroundJob::cancel() {
  if (cancel_) cancel_->request();
}

bool BackgroundJob::wait(int milliseconds) {
  return processEventsWhile([this] { return running_; }, milliseconds);
}

void BackgroundJob::finish(Outcome outcome, const QString& message) {
  running_ = false;
  if (thread_) thread_->wait();
  switch (outcome) {
    case Outcome::Succeeded:
      Q_EMIT succeeded();
      break;
    case Outcome::Cancelled:
      Q_EMIT cancelled();
      break;
    case Outcome::Failed:
      Q_EMIT failed(message);
      break;
  }
}

}  // namespace bertwb::ui
