#pragma once
// What the Fine-tune stage runs: the task and its files (with the TSV/CSV column mapping),
// where the weights start, and the core's FinetuningRecipe (the paper's fine-tuning
// hyper-parameters, §4 and A.3, from run_recipes.h as the CLI's). Saved in the workspace's
// "finetune" section as the user edits them. Torch-free, so the form and tests use it freely.
#include <QJsonObject>
#include <QString>

#include "tasks/finetune_task.h"
#include "tasks/task_dataset_reader.h"
#include "train/run_recipes.h"

namespace bertwb::ui {

// Where a run's weights come from.
enum class FinetuneStart {
  Pretrained,  // a checkpoint of the workspace (a pre-training run or its checkpoint-N)
  Imported,    // a Hugging Face folder the user picked (bert-base-uncased, ...)
  Random,      // the workspace's model config, freshly initialised: the paper's "no pre-training"
};

const char* finetuneStartName(FinetuneStart start);
FinetuneStart finetuneStartFromName(const QString& name);

struct FinetuneSettings : FinetuningRecipe {
  // The GUI logs every step: the panel's chart draws each one, and fine-tuning runs are short.
  FinetuneSettings() { logEvery = 1; }

  FinetuneTask task = FinetuneTask::Classify;
  QString trainFile, devFile;
  // TSV/CSV columns: a header name or a 0-based index; "" for the task's default.
  QString textA = QStringLiteral("0"), textB, label;
  int tagColumn = -1;  // CoNLL: -1 for the last column
  QString labelNames;  // "0=negative, 1=positive": names for a file's class labels

  FinetuneStart start = FinetuneStart::Pretrained;
  QString startFolder;  // the checkpoint (Pretrained) or the imported folder (Imported)

  int maxTrainExamples = 0;  // 0: all; fewer for a quick look

  TaskColumns columns() const;
};

// The recipe for fine-tuning `startModel` on `task` (run_recipes.h: the paper's, or measured
// values for narrow models; max_seq_length 384 for QA, 128 otherwise); `source` says which.
FinetuneSettings defaultFinetuneSettings(FinetuneTask task, const BertConfig& startModel,
                                         QString* source = nullptr);

QJsonObject finetuneSettingsToJson(const FinetuneSettings& settings);
// Missing keys (or keys of the wrong type) keep `defaults`' values.
FinetuneSettings finetuneSettingsFromJson(const QJsonObject& json,
                                          const FinetuneSettings& defaults);

}  // namespace bertwb::ui
