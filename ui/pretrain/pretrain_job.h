#pragma once
// A pre-training run as a RunJob: everything it needs, copied on the GUI thread before it
// starts (the job never reads the Workspace, which lives on the GUI thread). On its thread it
// reads the corpus, builds the model, and trains it through the core's training engine with
// the pre-training objective. Only pretrain_job.cpp includes torch.
#include <QString>
#include <QStringList>
#include <memory>

#include "model/bert_config.h"
#include "pretrain/pretrain_settings.h"
#include "runs/run_job.h"

namespace bertwb::ui {

struct PretrainJob {
  PretrainSettings settings;
  BertConfig model;  // the workspace's; vocab_size is set to the tokenizer's
  QString tokenizerFolder;
  QStringList corpusFiles;
  QString runFolder;
  bool resume = false;  // continue runFolder's newest checkpoint instead of starting afresh
};

std::unique_ptr<RunJob> makeRunJob(const PretrainJob& job);

}  // namespace bertwb::ui
