#pragma once
// The one loaded model that the Playground, Attention and Embedding stages question. It owns a
// bertwb::Predictor on its own worker thread: loading a checkpoint and every prediction run
// there, one at a time (a Predictor is not shared between threads), and results come back to
// the GUI thread as values. Requests carry a channel name ("classify", "attention", ...): a
// newer request on a channel replaces the one still waiting there, so typing never builds a
// queue of stale work, and a stale result is never delivered after a newer one was asked for.
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <any>
#include <functional>
#include <memory>

#include "infer/predictor.h"

namespace bertwb::ui {

class PredictorService : public QObject {
  Q_OBJECT
 public:
  using Work = std::function<std::any(const Predictor&)>;
  using OnResult = std::function<void(const std::any& result, double milliseconds)>;
  using OnError = std::function<void(const QString& message)>;

  explicit PredictorService(QObject* parent = nullptr);
  ~PredictorService() override;  // drops waiting work and joins the worker thread

  // Loads the checkpoint in `folder` off the GUI thread ("cpu", "cuda", "auto" for `device`;
  // the inference precision policy, "auto" by default: bf16 where the hardware has it).
  // Emits loaded() or loadFailed(); the previous model stays usable until the new one is in.
  void load(const QString& folder, const QString& device = QStringLiteral("auto"),
            const QString& precision = QStringLiteral("auto"));
  bool isLoaded() const { return loaded_; }
  bool isLoading() const { return loading_; }
  // The loaded model (valid after loaded()): its folder, architecture, abilities and labels.
  QString folder() const { return folder_; }
  QString architecture() const { return architecture_; }
  PredictorCapabilities capabilities() const { return capabilities_; }
  QStringList labels() const { return labels_; }
  // The precision the loaded model runs in, and why: "bf16 (auto: this CPU has AVX512-BF16)".
  QString precision() const { return precision_; }

  // Runs `work` with the loaded predictor on the worker thread. `onResult` (with the time the
  // work took) or `onError` (bertwb::Error's message; "no model loaded" when none is) is then
  // called on the GUI thread, unless a newer request on `channel` arrived meanwhile. `context`
  // guards the callbacks: when it is destroyed they are not called.
  void submit(const QString& channel, Work work, QObject* context, OnResult onResult,
              OnError onError = {});
  // Requests on a channel still queued or running (tests wait on this).
  bool isBusy() const;
  // Blocks (spinning the event loop) until nothing is queued or running; false on timeout.
  bool waitUntilIdle(int milliseconds);

 Q_SIGNALS:
  void loadStarted(const QString& folder);
  void loaded(const QString& folder);
  void loadFailed(const QString& folder, const QString& message);
  void busyChanged(bool busy);

 private:
  struct Worker;
  // Counts requests (and loads) queued, running or with a result still in flight to the GUI.
  void beginTask();
  void endTask(int count);

  std::unique_ptr<Worker> worker_;
  QHash<QString, quint64> generations_;  // per channel: the newest request's number
  int outstanding_ = 0;
  bool loaded_ = false;
  bool loading_ = false;
  QString folder_, architecture_, precision_;
  PredictorCapabilities capabilities_;
  QStringList labels_;
};

}  // namespace bertwb::ui
