#include "shell/predictor_service.h"
#include "shell/event_loop_wait.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>
#include <QThread>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace bertwb::ui {
namespace {

// The channel that load() uses: a newer load replaces one still waiting, like any channel.
// The leading control character keeps it apart from every channel a caller could name.
const QString& loadChannel() {
  static const QString channel = QStringLiteral("\x01load");
  return channel;
}

using Clock = std::chrono::steady_clock;

}  // namespace

// The worker thread and its queue. The GUI thread pushes tasks; the worker pops them one at a
// time and owns the Predictor (nothing else ever touches it).
struct PredictorService::Worker {
  struct Task {
    QString channel;
    quint64 generation = 0;
    // Runs on the worker thread with the predictor slot (load replaces what it holds).
    std::function<void(std::unique_ptr<Predictor>& predictor)> run;
  };

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Task> queue;                // guarded by mutex
  bool stopping = false;                 // guarded by mutex
  std::unique_ptr<Predictor> predictor;  // worker thread only
  std::thread thread;

  Worker() : thread([this] { loop(); }) {}

  ~Worker() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
      queue.clear();
    }
    wake.notify_all();
    thread.join();
    predictor.reset();
  }

  // Queues `task`, dropping the one still waiting on its channel; returns how many were dropped.
  int push(Task task) {
    int dropped = 0;
    {
      std::lock_guard<std::mutex> lock(mutex);
      for (auto it = queue.begin(); it != queue.end();) {
        if (it->channel == task.channel) {
          it = queue.erase(it);
          ++dropped;
        } else {
          ++it;
        }
      }
      queue.push_back(std::move(task));
    }
    wake.notify_one();
    return dropped;
  }

  void loop() {
    for (;;) {
      Task task;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [this] { return stopping || !queue.empty(); });
        if (stopping) return;
        task = std::move(queue.front());
        queue.pop_front();
      }
      task.run(predictor);
    }
  }
};

PredictorService::PredictorService(QObject* parent)
    : QObject(parent), worker_(std::make_unique<Worker>()) {}

PredictorService::~PredictorService() {
  // Joins the worker before QObject's destructor runs: results it posts after this point are
  // queued events on `this` that Qt discards with the object.
  worker_.reset();
}

void PredictorService::load(const QString& folder, const QString& device,
                            const QString& precision) {
  loading_ = true;
  Q_EMIT loadStarted(folder);
  const quint64 generation = ++generations_[loadChannel()];
  const std::string folderPath = folder.toStdString();
  const std::string deviceName = device.toStdString();
  const std::string precisionName = precision.toStdString();
  QPointer<PredictorService> self(this);
  beginTask();
  const int dropped = worker_->push(
      {loadChannel(), generation,
       [self, folder, folderPath, deviceName, precisionName,
        generation](std::unique_ptr<Predictor>& predictor) {
         QString error;
         QString architecture, precisionUsed;
         PredictorCapabilities capabilities;
         QStringList labels;
         try {
           auto fresh =
               std::make_unique<Predictor>(Predictor::load(folderPath, deviceName, precisionName));
           architecture = QString::fromStdString(fresh->architecture());
           precisionUsed = QString::fromStdString(fresh->precision());
           capabilities = fresh->capabilities();
           for (const std::string& label : fresh->labels()) labels << QString::fromStdString(label);
           predictor = std::move(fresh);  // the old model serves until this moment
         } catch (const std::exception& e) {
           error = QString::fromStdString(e.what());
           if (error.isEmpty()) error = tr("loading %1 failed").arg(folder);
         }
         QMetaObject::invokeMethod(
             self,
             [self, folder, error, architecture, precisionUsed, capabilities, labels, generation] {
               if (!self) return;
               // A load that a newer one overtook still installed its model (it answers until
               // the newer one is in), so the shown facts follow it; only its signals are muted.
               const bool current = self->generations_[loadChannel()] == generation;
               if (current) self->loading_ = false;
               if (error.isEmpty()) {
                 self->loaded_ = true;
                 self->folder_ = folder;
                 self->architecture_ = architecture;
                 self->precision_ = precisionUsed;
                 self->capabilities_ = capabilities;
                 self->labels_ = labels;
               }
               self->endTask(1);
               if (!current) return;
               if (error.isEmpty())
                 Q_EMIT self->loaded(folder);
               else
                 Q_EMIT self->loadFailed(folder, error);
             },
             Qt::QueuedConnection);
       }});
  if (dropped > 0) endTask(dropped);
}

void PredictorService::submit(const QString& channel, Work work, QObject* context,
                              OnResult onResult, OnError onError) {
  const quint64 generation = ++generations_[channel];
  QPointer<PredictorService> self(this);
  // A null context means "unguarded"; a given one must still be alive at delivery.
  const bool guarded = context != nullptr;
  QPointer<QObject> guard(context);
  beginTask();
  const int dropped = worker_->push(
      {channel, generation,
       [self, channel, generation, guarded, guard, work = std::move(work),
        onResult = std::move(onResult),
        onError = std::move(onError)](std::unique_ptr<Predictor>& predictor) {
         std::any result;
         QString error;
         const Clock::time_point started = Clock::now();
         if (!predictor) {
           error = tr("no model loaded: choose a model first");
         } else {
           try {
             result = work(*predictor);
           } catch (const std::exception& e) {
             error = QString::fromStdString(e.what());
             if (error.isEmpty()) error = tr("the model failed on this input");
           }
         }
         const double milliseconds =
             std::chrono::duration<double, std::milli>(Clock::now() - started).count();
         QMetaObject::invokeMethod(
             self,
             [self, channel, generation, guarded, guard, onResult, onError,
              result = std::move(result), error, milliseconds] {
               if (!self) return;
               const bool current = self->generations_[channel] == generation;
               const bool contextAlive = !guarded || !guard.isNull();
               if (current && contextAlive) {
                 if (error.isEmpty()) {
                   if (onResult) onResult(result, milliseconds);
                 } else if (onError) {
                   onError(error);
                 }
               }
               if (self) self->endTask(1);
             },
             Qt::QueuedConnection);
       }});
  if (dropped > 0) endTask(dropped);
}

bool PredictorService::isBusy() const {
  return outstanding_ > 0;
}

bool PredictorService::waitUntilIdle(int milliseconds) {
  return processEventsWhile([this] { return outstanding_ > 0; }, milliseconds);
}

void PredictorService::beginTask() {
  if (outstanding_++ == 0) Q_EMIT busyChanged(true);
}

void PredictorService::endTask(int count) {
  outstanding_ -= count;
  if (outstanding_ <= 0) {
    outstanding_ = 0;
    Q_EMIT busyChanged(false);
  }
}

}  // namespace bertwb::ui
