#pragma once
// The knobs of one pre-training run as the Pre-training panel edits and saves them: a plain
// value struct (no torch, so moc-read headers may include it), its defaults for a model size,
// and its form in the workspace's "pretrain" section. The worker turns it into the core's
// PretrainingRunOptions.
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <cstdint>

#include "model/bert_config.h"

namespace bertwb::ui {

struct PretrainSettings {
  qint64 steps = 1000;         // optimizer steps
  int batchSize = 32;          // sequences per micro-batch
  int maxSeqLength = 128;      // longest instance, in tokens
  double learningRate = 1e-4;  // the peak, reached at the end of warm-up
  qint64 warmupSteps = 10;
  QString schedule = QStringLiteral("linear");  // "linear" | "cosine" | "constant"
  int accumulate = 1;                           // micro-batches per optimizer step
  quint64 seed = 12345;                         // weights, data order and dropout
  qint64 saveEvery = 250;  // checkpoint every N steps (0: only at the end and on Stop)
  bool nsp = true;         // false: masked LM only (the paper's No-NSP ablation)
  qint64 logEvery = 10;    // a chart point every N steps
  qint64 probeEvery = 50;  // probe predictions every N steps (0: never)
  QString runName;         // empty: run-YYYYMMDD-HHMMSS

  // Probe inputs: fill-mask sentences (each with [MASK]) and an optional sentence pair.
  QStringList probeTexts;
  QString probeNspA, probeNspB;

  bool operator==(const PretrainSettings& other) const;
  bool operator!=(const PretrainSettings& other) const { return !(*this == other); }
};

// Defaults for `model`: the demo workspace's measured settings for small models there
// (demoRunOptions), otherwise the paper's recipe scaled to a desktop by model width.
// `demoCorpusPath` (may be empty) supplies the demo's probe sentences.
PretrainSettings defaultPretrainSettings(const BertConfig& model, bool demoWorkspace,
                                         const QString& demoCorpusPath);

// The settings as saved in workspace.json, and back: keys absent from `json` keep the value
// they have in `base` (the demo workspace pre-sets only "maxSeqLength").
QJsonObject pretrainSettingsToJson(const PretrainSettings& settings);
PretrainSettings pretrainSettingsFromJson(const QJsonObject& json, PretrainSettings base);

}  // namespace bertwb::ui
