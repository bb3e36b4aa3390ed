#pragma once
// The knobs of one pre-training run as the Pre-training panel edits and saves them: the
// core's PretrainingRecipe (every hyper-parameter and its default come from run_recipes.h,
// as the CLI's do) plus what only the GUI has: the run's name and the probe sentences. Saved
// in the workspace's "pretrain" section with the recipe's own JSON fields.
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "model/bert_config.h"
#include "train/run_recipes.h"

namespace bertwb::ui {

struct PretrainSettings : PretrainingRecipe {
  QString runName;  // empty: run-YYYYMMDD-HHMMSS
  // Probe inputs: fill-mask sentences (each with [MASK]) and an optional sentence pair.
  QStringList probeTexts;
  QString probeNspA, probeNspB;

  bool operator==(const PretrainSettings& other) const;
  bool operator!=(const PretrainSettings& other) const { return !(*this == other); }
};

// Defaults for `model`: the demo's measured recipe in the demo workspace, otherwise the
// paper's recipe shaped for a desktop (run_recipes.h). `demoCorpusPath` (may be empty)
// supplies the demo's probe sentences.
PretrainSettings defaultPretrainSettings(const BertConfig& model, bool demoWorkspace,
                                         const QString& demoCorpusPath);

// The settings as saved in workspace.json, and back: keys absent from `json` (or of the
// wrong type) keep the value they have in `base` (the demo workspace pre-sets only
// "maxSeqLength").
QJsonObject pretrainSettingsToJson(const PretrainSettings& settings);
PretrainSettings pretrainSettingsFromJson(const QJsonObject& json, PretrainSettings base);

}  // namespace bertwb::ui
