#pragma once
// One pre-training run on a worker thread: it reads the corpus, builds the model and drives
// the core Pretrainer, whose TrainingEvents it forwards as queued signals carrying small value
// structs (metrics, probe predictions, checkpoint paths; never tensors). Stop and pause are
// atomic flags the core polls between steps, so the GUI sets them without a round trip.
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

#include "model/bert_config.h"
#include "pretrain_settings.h"
#include "train/training_events.h"  // plain structs (no torch): StepMetrics, ProbeResult, RunOutcome, PauseFlag
#include "util/progress.h"

Q_DECLARE_METATYPE(bertwb::StepMetrics)
Q_DECLARE_METATYPE(bertwb::ProbeResult)
Q_DECLARE_METATYPE(bertwb::RunOutcome)

namespace bertwb::ui {

// Everything a run needs, copied on the GUI thread before it starts (the worker never reads
// the Workspace, which lives on the GUI thread).
struct PretrainJob {
  PretrainSettings settings;
  BertConfig model;  // the workspace's; vocab_size is set to the tokenizer's
  QString tokenizerFolder;
  QStringList corpusFiles;
  QString runFolder;
  bool resume = false;  // continue runFolder's newest checkpoint instead of starting afresh
};

// Registers the value structs for queued connections (idempotent).
void registerPretrainMetaTypes();

class PretrainWorker : public QObject {
  Q_OBJECT
 public:
  PretrainWorker(PretrainJob job, std::shared_ptr<CancelFlag> cancel,
                 std::shared_ptr<PauseFlag> pause);

 public Q_SLOTS:
  // Blocks the worker's thread until the run ends; it needs no events meanwhile (stop and
  // pause are atomics), so a blocked event loop costs nothing.
  void run();

 Q_SIGNALS:
  void preparing(const QString& message);
  void started(qint64 step, qint64 totalSteps);  // the model is built; training begins at `step`
  void stepped(const bertwb::StepMetrics& metrics);
  void probed(const bertwb::ProbeResult& probe);
  void checkpointSaved(const QString& folder, qint64 step);
  void finished(const bertwb::RunOutcome& outcome);  // Finished or Cancelled
  void failed(const QString& message);
  void done();  // always the last signal

 private:
  PretrainJob job_;
  std::shared_ptr<CancelFlag> cancel_;
  std::shared_ptr<PauseFlag> pause_;
};

}  // namespace bertwb::ui
