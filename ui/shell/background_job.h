#pragma once
// Runs one long core job (training a vocabulary, writing the demo world, sampling thousands
// of instances) on its own QThread, so the window never freezes. The job reports through the
// core's plain ProgressCallback and polls the CancelFlag; both cross to the GUI thread as
// queued signals. Errors (bertwb::Error or any std::exception) arrive as `failed` with the
// message; a cancelled job arrives as `cancelled`. Exactly one of succeeded / failed /
// cancelled is emitted, then the object may be deleted.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

#include "util/progress.h"

class QThread;

namespace bertwb::ui {

class BackgroundJob : public QObject {
  Q_OBJECT
 public:
  using Work = std::function<void(const ProgressCallback& progress, const CancelFlag& cancel)>;

  explicit BackgroundJob(QObject* parent = nullptr);
  ~BackgroundJob() override;  // cancels and waits for a job still running

  // Starts `work` on a worker thread; returns false when a job is already running.
  bool start(const QString& title, Work work);
  void cancel();
  bool isRunning() const { return running_; }
  // Blocks until the job ends (tests, shutdown); returns false on timeout.
  bool wait(int milliseconds);
  QString title() const { return title_; }

 Q_SIGNALS:
  // fraction 0..1 (negative: unknown), the job's message, and seconds left (negative: unknown).
  void progressed(double fraction, const QString& message, double etaSeconds);
  void succeeded();
  void failed(const QString& message);
  void cancelled();

 private:
  enum class Outcome { Succeeded, Failed, Cancelled };
  void finish(Outcome outcome, const QString& message);

  QThread* thread_ = nullptr;
  std::shared_ptr<CancelFlag> cancel_;
  QElapsedTimer clock_;
  QString title_;
  bool running_ = false;
};

}  // namespace bertwb::ui
