#pragma once
// A fine-tuning run as a RunJob: everything it needs, copied on the GUI thread before it
// starts. On its thread it reads the task files, builds the head model (from a checkpoint,
// an imported folder or random weights) and trains it through the core's training engine
// with the fine-tuning objective. Only finetune_job.cpp includes torch.
#include <QString>
#include <memory>

#include "finetune/finetune_settings.h"
#include "model/bert_config.h"
#include "runs/run_job.h"

namespace bertwb::ui {

struct FinetuneJob {
  FinetuneSettings settings;
  BertConfig randomModel;      // the workspace's config, for FinetuneStart::Random
  QString workspaceTokenizer;  // the tokenizer random weights use (a checkpoint brings its own)
  QString runFolder;           // finetuned/NAME: metrics.jsonl, best/, the final model
};

std::unique_ptr<RunJob> makeRunJob(const FinetuneJob& job);

}  // namespace bertwb::ui
