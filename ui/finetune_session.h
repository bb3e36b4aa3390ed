#pragma once
// The GUI-thread side of a fine-tuning run: owns the worker thread and the stop flag,
// re-emits the worker's signals on the GUI thread and cleans up when the run ends.
// Shutdown follows the Qt worker pattern: set the flag, let the run return, quit, wait.
#include <QObject>
#include <QString>
#include <memory>

#include "finetune_worker.h"

class QThread;

namespace bertwb::ui {

class FinetuneSession : public QObject {
  Q_OBJECT
 public:
  explicit FinetuneSession(QObject* parent = nullptr);
  ~FinetuneSession() override;  // stops a run still going and waits for it

  bool start(const FinetuneJob& job);  // false when a run is already going
  bool isRunning() const { return thread_ != nullptr; }
  void requestStop();                       // after the current step; returns at once
  bool waitUntilStopped(int milliseconds);  // processes events meanwhile; false on timeout

 Q_SIGNALS:
  void preparing(const QString& message);
  void started(const bertwb::ui::FinetuneStartInfo& info);
  void stepped(const bertwb::ui::FinetuneStep& step);
  void evaluated(const bertwb::ui::FinetuneEvaluation& evaluation);
  void modelSaved(const QString& folder);
  void finished(const bertwb::ui::FinetuneResult& result);
  void failed(const QString& message);
  void stopped();  // the worker thread is gone; a new run may start

 private:
  void onWorkerDone();

  QThread* thread_ = nullptr;
  std::shared_ptr<CancelFlag> cancel_;
};

}  // namespace bertwb::ui
