#include "shell/settle.h"

#include <QElapsedTimer>
#include <QTimer>

#include "shell/background_job.h"
#include "shell/event_loop_wait.h"
#include "shell/predictor_service.h"

namespace bertwb::ui {

bool hasPendingWork(const QObject& root) {
  for (const BackgroundJob* job : root.findChildren<BackgroundJob*>())
    if (job->isRunning()) return true;
  for (const PredictorService* service : root.findChildren<PredictorService*>())
    if (service->isLoading() || service->isBusy()) return true;
  // Repeating timers (a clock, a poll) never stop; a pending single shot will redraw something.
  for (const QTimer* timer : root.findChildren<QTimer*>())
    if (timer->isSingleShot() && timer->isActive()) return true;
  return false;
}

bool waitUntilSettled(const QObject& root, int timeoutMs, int quietMs) {
  QElapsedTimer quiet;
  quiet.start();
  return processEventsWhile(
      [&] {
        if (hasPendingWork(root)) quiet.restart();
        return quiet.elapsed() < quietMs;
      },
      timeoutMs);
}

}  // namespace bertwb::ui
