#pragma once
// What the Fine-tune stage runs: the task and its files (with the TSV/CSV column mapping),
// where the weights start, and the paper's fine-tuning hyper-parameters (§4 and A.3: batch 32,
// learning rate 5e-5 / 3e-5 / 2e-5, 3 epochs, 10% warm-up). Saved in the workspace's
// "finetune" section as the user edits them. Qt-only (no torch), so the form and tests use it
// freely.
#include <QJsonObject>
#include <QString>

#include "tasks/finetune_task.h"
#include "tasks/task_dataset_reader.h"

namespace bertwb::ui {

// Where a run's weights come from.
enum class FinetuneStart {
  Pretrained,  // a checkpoint of the workspace (a pre-training run or its checkpoint-N)
  Imported,    // a Hugging Face folder the user picked (bert-base-uncased, ...)
  Random,      // the workspace's model config, freshly initialised: the paper's "no pre-training"
};

const char* finetuneStartName(FinetuneStart start);
FinetuneStart finetuneStartFromName(const QString& name);

// The paper's learning-rate grid for fine-tuning (A.3); the first is the default here.
constexpr double kPaperLearningRates[] = {3e-5, 5e-5, 2e-5};
constexpr int kPaperBatchSize = 32;
constexpr int kPaperEpochs = 3;
constexpr double kPaperWarmupFraction = 0.1;  // run_classifier.py's warmup_proportion

struct FinetuneSettings {
  FinetuneTask task = FinetuneTask::Classify;
  QString trainFile, devFile;
  // TSV/CSV columns: a header name or a 0-based index; "" for the task's default.
  QString textA = QStringLiteral("0"), textB, label;
  int tagColumn = -1;  // CoNLL: -1 for the last column

  FinetuneStart start = FinetuneStart::Pretrained;
  QString startFolder;  // the checkpoint (Pretrained) or the imported folder (Imported)

  double learningRate = kPaperLearningRates[0];
  int batchSize = kPaperBatchSize;
  int epochs = kPaperEpochs;
  int maxSeqLength = 128;  // 384 for QA (run_squad.py)
  double warmupFraction = kPaperWarmupFraction;
  int evalEvery = 0;           // steps between dev evaluations; 0: at each epoch's end
  int maxTrainExamples = 0;    // 0: all; fewer for a quick look
  bool frozenEncoder = false;  // train the head only (the paper's feature-based comparison)
  qint64 seed = 12345;

  TaskColumns columns() const;
};

// The paper's defaults for `task` (max_seq_length 384 for QA, 128 otherwise).
FinetuneSettings defaultFinetuneSettings(FinetuneTask task);
// The task's default max_seq_length: 384 for QA, 128 otherwise.
int defaultFinetuneMaxSeqLength(FinetuneTask task);

QJsonObject finetuneSettingsToJson(const FinetuneSettings& settings);
// Missing keys keep `defaults`' values.
FinetuneSettings finetuneSettingsFromJson(const QJsonObject& json,
                                          const FinetuneSettings& defaults);

}  // namespace bertwb::ui
