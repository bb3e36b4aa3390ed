#pragma once
// Every pre-training run (runs/NAME) and fine-tuning run (finetuned/NAME) of a workspace, as
// their folders record them: what each was started with (run_settings.json, and for
// pre-training the engine's own record in its newest checkpoint's trainer_state.json), how
// far it got and how long it took (metrics.jsonl), how it ended (a final model at its root:
// finished) and its scores (eval_results.json; pre-training: the last logged accuracies).
// Read from the files each time, so runs made by the CLI are listed as well.
#include <QDateTime>
#include <QMap>
#include <QString>
#include <QVector>
#include <optional>

namespace bertwb::ui {

struct RunRecord {
  enum class Kind { Pretraining, Finetuning };
  Kind kind = Kind::Pretraining;
  QString name;    // the folder's name
  QString folder;  // its path
  QString state;   // "finished", "stopped" (resumable or not), "empty" (nothing logged)
  qint64 step = 0;
  double seconds = 0;   // training time, over all sessions
  double lastLoss = 0;  // the last logged training loss (NaN: none)
  QString score;        // "accuracy 0.9875 (best, step 200)", "MLM 41.2% · NSP 86.3%"
  QDateTime started;    // when its first file was written
  QString task;         // fine-tuning: "classify", "tag", ...; pre-training: "pretraining"
  QMap<QString, QString> settings;  // flattened: "learningRate" → "0.002", "data.masked_lm_prob"
};

QString runKindName(RunRecord::Kind kind);  // "pre-training" / "fine-tuning", translated

// The run in `folder`, or none when it is not a run's folder (no metrics.jsonl and no
// run_settings.json).
std::optional<RunRecord> readRunRecord(const QString& folder, RunRecord::Kind kind);
// Every run under `runsFolder` (pre-training) and `finetunedFolder`, newest first.
QVector<RunRecord> listRuns(const QString& runsFolder, const QString& finetunedFolder);

// The settings two runs differ in: key → (a's value, b's value); a key one run lacks shows "—".
QMap<QString, QPair<QString, QString>> settingsDifference(const RunRecord& a, const RunRecord& b);

}  // namespace bertwb::ui
