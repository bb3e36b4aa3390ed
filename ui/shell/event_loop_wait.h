#pragma once
// Waiting on the GUI thread for work that reports back through queued signals (a worker
// thread ending, a request's answer): the event loop must keep running meanwhile, or the
// signals that end the wait are never delivered. Used by the blocking waits that tests and
// shutdown call.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <functional>

namespace bertwb::ui {

// Processes events while `busy()` holds; false when `milliseconds` pass first.
inline bool processEventsWhile(const std::function<bool()>& busy, int milliseconds) {
  constexpr int kSliceMs = 5;
  QElapsedTimer timer;
  timer.start();
  while (busy()) {
    if (timer.elapsed() > milliseconds) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, kSliceMs);
    QThread::msleep(1);
  }
  return true;
}

}  // namespace bertwb::ui
