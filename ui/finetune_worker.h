#pragma once
// One fine-tuning run on a worker thread: it reads the task files, builds the head model (from
// a checkpoint, an imported folder or random weights), drives the core FineTuner and forwards
// its events as queued signals carrying small value structs (never tensors). Stop is an
// atomic flag the loop polls between steps. Only finetune_worker.cpp includes torch.
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <string>
#include <vector>

#include "finetune_settings.h"
#include "model/bert_config.h"
#include "tasks/classification_metrics.h"
#include "tasks/entity_metrics.h"
#include "tasks/task_metrics.h"
#include "train/training_events.h"
#include "util/progress.h"

namespace bertwb::ui {

// Everything a run needs, copied on the GUI thread before it starts.
struct FinetuneJob {
  FinetuneSettings settings;
  BertConfig randomModel;      // the workspace's config, for FinetuneStart::Random
  QString workspaceTokenizer;  // the tokenizer random weights use (a checkpoint brings its own)
  QString runFolder;           // finetuned/NAME: metrics.jsonl, best/, the final model
};

// The run is set up: what it trains on and for how long.
struct FinetuneStartInfo {
  qint64 totalSteps = 0;
  qint64 trainExamples = 0, devExamples = 0, trainingFeatures = 0;
  QString architecture;  // "BertForSequenceClassification", ...
  QString loadSummary;   // "initialised classifier.weight, classifier.bias from scratch; ..."
  QStringList labels;    // class or tag names (empty for QA, choice and regression)
};

// One logged training step (the loss averaged since the previous one).
struct FinetuneStep {
  qint64 step = 0, totalSteps = 0;
  double epoch = 0;  // fractional
  double loss = 0, learningRate = 0, sequencesPerSecond = 0, etaSeconds = 0;
};

// One dev evaluation: the task's metrics plus, where the task has them, the details the
// results view draws (computed from the evaluation's per-example predictions).
struct FinetuneEvaluation {
  qint64 step = 0;
  double epoch = 0;
  bool best = false;
  TaskMetrics scores;
  qint64 scoredExamples = 0;
  std::vector<std::string> labels;  // classification: class id → name
  bool hasClassification = false;   // confusion matrix and per-class scores
  ClassificationReport classification;
  bool hasEntities = false;  // tagging: per-type precision / recall / F1
  EntityReport entities;
};

struct FinetuneResult {
  RunEnd end = RunEnd::Finished;
  QString message;
  qint64 step = 0, bestStep = 0;
  TaskMetrics best;
  QString bestFolder;   // empty when no evaluation was saved
  QString finalFolder;  // the run folder when it finished (the final model at its root)
};

void registerFinetuneMetaTypes();

class FinetuneWorker : public QObject {
  Q_OBJECT
 public:
  FinetuneWorker(FinetuneJob job, std::shared_ptr<CancelFlag> cancel);

 public Q_SLOTS:
  // Blocks the worker's thread until the run ends (stop is an atomic, so no events are needed).
  void run();

 Q_SIGNALS:
  void preparing(const QString& message);
  void started(const bertwb::ui::FinetuneStartInfo& info);
  void stepped(const bertwb::ui::FinetuneStep& step);
  void evaluated(const bertwb::ui::FinetuneEvaluation& evaluation);
  void modelSaved(const QString& folder);
  void finished(const bertwb::ui::FinetuneResult& result);  // finished or stopped
  void failed(const QString& message);
  void done();  // always the last signal

 private:
  FinetuneJob job_;
  std::shared_ptr<CancelFlag> cancel_;
};

}  // namespace bertwb::ui

Q_DECLARE_METATYPE(bertwb::ui::FinetuneStartInfo)
Q_DECLARE_METATYPE(bertwb::ui::FinetuneStep)
Q_DECLARE_METATYPE(bertwb::ui::FinetuneEvaluation)
Q_DECLARE_METATYPE(bertwb::ui::FinetuneResult)
