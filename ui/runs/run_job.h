#pragma once
// What a training run looks like from the GUI: the value structs its signals carry (the
// core's plain event structs, never tensors), and the job a RunWorker executes on its thread.
// A job reads its inputs, builds the model and its training objective, and drives the core's
// training engine; pre-training and fine-tuning are two jobs behind this one interface, so
// the GUI has one session, one worker and one set of signals for any run. Torch-free.
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "train/training_events.h"  // StepMetrics, ProbeResult, EvaluationEvent, RunOutcome (no torch)
#include "util/progress.h"          // CancelFlag

namespace bertwb::ui {

// The run is set up and training begins: the engine's part (steps, device, the precision
// actually used and why) and the job's (what a fine-tuning run trains on).
struct RunInfo {
  qint64 step = 0;  // steps already done (a resumed run)
  qint64 totalSteps = 0;
  QString device, precision, precisionReason;
  // Fine-tuning runs.
  QString architecture;  // "BertForSequenceClassification", ...
  QString loadSummary;   // "initialised classifier.weight, classifier.bias from scratch; ..."
  QStringList labels;    // class or tag names (empty for QA, choice and regression)
  qint64 trainExamples = 0, devExamples = 0, trainingFeatures = 0;
};

// What a job reports through while it runs (implemented by the worker, on its thread).
class RunContext {
 public:
  virtual ~RunContext() = default;
  virtual void preparing(const QString& message) = 0;
  // The job's part of RunInfo, sent with the engine's when training begins.
  virtual void describe(const RunInfo& info) = 0;
  // The engine's events; its onFinished reports the run's end.
  virtual TrainingEvents& events() = 0;
  virtual const CancelFlag* cancel() const = 0;
  virtual const PauseFlag* pause() const = 0;
};

class RunJob {
 public:
  virtual ~RunJob() = default;
  virtual QString threadName() const = 0;  // "pretraining", "finetuning"
  // Runs to the end on the worker's thread. Throws bertwb::Error (or any std::exception)
  // when the run cannot be set up, Cancelled when stopped before training began.
  virtual void execute(RunContext& context) = 0;
};

// Registers the value structs for queued connections (idempotent).
void registerRunMetaTypes();

}  // namespace bertwb::ui

Q_DECLARE_METATYPE(bertwb::StepMetrics)
Q_DECLARE_METATYPE(bertwb::ProbeResult)
Q_DECLARE_METATYPE(bertwb::EvaluationEvent)
Q_DECLARE_METATYPE(bertwb::RunOutcome)
Q_DECLARE_METATYPE(bertwb::ui::RunInfo)
