#include "runs/run_history.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <optional>

#include "io/manifests.h"
#include "shell/json_bridge.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

QString valueText(const QJsonValue& value) {
  if (value.isString()) return value.toString();
  if (value.isBool()) return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
  if (value.isDouble()) return QString::number(value.toDouble(), 'g', 8);
  if (value.isArray()) {
    QStringList items;
    for (const QJsonValue& item : value.toArray()) items << valueText(item);
    return items.join(QStringLiteral(", "));
  }
  if (value.isNull()) return QStringLiteral("null");
  return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

// {"a": {"b": 1}} → "prefix.a.b" = "1".
void flatten(const QJsonObject& object, const QString& prefix, QMap<QString, QString>& out) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
    if (it.value().isObject())
      flatten(it.value().toObject(), key, out);
    else
      out[key] = valueText(it.value());
  }
}

// The newest checkpoint-N folder of a pre-training run (empty when there is none).
QString newestCheckpoint(const QString& folder) {
  QStringList checkpoints = QDir(folder).entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs);
  if (checkpoints.isEmpty()) return {};
  checkpoints.sort();
  return QDir(folder).filePath(checkpoints.last());
}

QString percent(double share) {
  return QStringLiteral("%1%").arg(share * kPercent, 0, 'f', 1);
}

}  // namespace

QString runKindName(RunRecord::Kind kind) {
  return kind == RunRecord::Kind::Pretraining
             ? QCoreApplication::translate("RunHistory", "pre-training")
             : QCoreApplication::translate("RunHistory", "fine-tuning");
}

std::optional<RunRecord> readRunRecord(const QString& folder, RunRecord::Kind kind) {
  const QDir dir(folder);
  const QString metricsFile = dir.filePath(QStringLiteral("metrics.jsonl"));
  const QString settingsFile = dir.filePath(QString::fromLatin1(kRunSettingsFile));
  if (!QFileInfo::exists(metricsFile) && !QFileInfo::exists(settingsFile)) return std::nullopt;
  RunRecord run;
  run.kind = kind;
  run.folder = folder;
  run.name = QFileInfo(folder).fileName();
  run.lastLoss = std::nan("");
  run.task = kind == RunRecord::Kind::Pretraining ? QStringLiteral("pretraining") : QString();

  // What it was started with: the program's record, then the engine's (pre-training).
  const QJsonObject started = readJsonObjectFile(settingsFile);
  flatten(started.value(QStringLiteral("settings")).toObject(), QString(), run.settings);
  for (const char* key : {"device", "precision"})
    if (started.contains(QLatin1String(key)))
      run.settings[QString::fromLatin1(key)] = valueText(started.value(QLatin1String(key)));
  if (started.value(QStringLiteral("corpus")).isArray())
    run.settings[QStringLiteral("corpus")] = valueText(started.value(QStringLiteral("corpus")));
  if (started.value(QStringLiteral("model")).isObject()) {
    const QJsonObject model = started.value(QStringLiteral("model")).toObject();
    for (const char* key : {"num_hidden_layers", "hidden_size", "num_attention_heads",
                            "intermediate_size", "vocab_size"})
      if (model.contains(QLatin1String(key)))
        run.settings[QStringLiteral("model.") + QLatin1String(key)] =
            valueText(model.value(QLatin1String(key)));
  }
  if (kind == RunRecord::Kind::Finetuning)
    run.task = started.value(QStringLiteral("settings"))
                   .toObject()
                   .value(QStringLiteral("task"))
                   .toString();
  const QString checkpoint = newestCheckpoint(folder);
  if (!checkpoint.isEmpty())
    flatten(readJsonObjectFile(QDir(checkpoint).filePath(QStringLiteral("trainer_state.json")))
                .value(QStringLiteral("run"))
                .toObject(),
            QStringLiteral("engine"), run.settings);

  // How far it got.
  QFile metrics(metricsFile);
  QJsonObject lastStep, lastEval;
  if (metrics.open(QIODevice::ReadOnly)) {
    for (const QByteArray& line : metrics.readAll().split('\n')) {
      const QJsonObject o = QJsonDocument::fromJson(line).object();
      if (o.isEmpty()) continue;
      if (o.value(QStringLiteral("eval")).toBool())
        lastEval = o;
      else if (o.contains(QStringLiteral("loss")))
        lastStep = o;
    }
  }
  run.step = static_cast<qint64>(lastStep.value(QStringLiteral("step")).toDouble(0));
  run.seconds = lastStep.value(QStringLiteral("elapsed_seconds")).toDouble(0);
  if (lastStep.contains(QStringLiteral("loss")))
    run.lastLoss = lastStep.value(QStringLiteral("loss")).toDouble();
  const bool finished = QFileInfo::exists(dir.filePath(QStringLiteral("model.safetensors")));
  run.state = finished       ? QStringLiteral("finished")
              : run.step > 0 ? QStringLiteral("stopped")
                             : QStringLiteral("empty");

  // Its scores.
  if (kind == RunRecord::Kind::Finetuning) {
    const QJsonObject results =
        readJsonObjectFile(dir.filePath(QString::fromLatin1(kEvalResultsManifest)));
    const QJsonObject best = results.value(QStringLiteral("best")).toObject();
    const QString metric = best.value(QStringLiteral("main_metric")).toString();
    if (!metric.isEmpty()) {
      run.score = QCoreApplication::translate("RunHistory", "%1 %2 (best, step %3)")
                      .arg(metric)
                      .arg(best.value(metric).toDouble(), 0, 'f', 4)
                      .arg(results.value(QStringLiteral("best_step")).toInt());
    } else if (!lastEval.isEmpty()) {
      const QString name = lastEval.value(QStringLiteral("main_metric")).toString();
      run.score = QCoreApplication::translate("RunHistory", "%1 %2 (last, step %3)")
                      .arg(name)
                      .arg(lastEval.value(name).toDouble(), 0, 'f', 4)
                      .arg(lastEval.value(QStringLiteral("step")).toInt());
    }
  } else if (lastStep.contains(QStringLiteral("mlm_accuracy"))) {
    run.score = QCoreApplication::translate("RunHistory", "MLM %1 · NSP %2")
                    .arg(percent(lastStep.value(QStringLiteral("mlm_accuracy")).toDouble()),
                         percent(lastStep.value(QStringLiteral("nsp_accuracy")).toDouble()));
  }
  const QFileInfo first(QFileInfo::exists(settingsFile) ? settingsFile : metricsFile);
  run.started = first.birthTime().isValid() ? first.birthTime() : first.lastModified();
  return run;
}

QVector<RunRecord> listRuns(const QString& runsFolder, const QString& finetunedFolder) {
  QVector<RunRecord> runs;
  const struct {
    QString folder;
    RunRecord::Kind kind;
  } places[] = {{runsFolder, RunRecord::Kind::Pretraining},
                {finetunedFolder, RunRecord::Kind::Finetuning}};
  for (const auto& [parent, kind] : places) {
    const QDir dir(parent);
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
      if (auto run = readRunRecord(dir.filePath(name), kind)) runs.push_back(*run);
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const RunRecord& a, const RunRecord& b) { return a.started > b.started; });
  return runs;
}

QMap<QString, QPair<QString, QString>> settingsDifference(const RunRecord& a, const RunRecord& b) {
  const QString none = QStringLiteral("—");
  QMap<QString, QPair<QString, QString>> difference;
  QStringList keys = a.settings.keys() + b.settings.keys();
  keys.removeDuplicates();
  for (const QString& key : keys) {
    const QString left = a.settings.value(key, none), right = b.settings.value(key, none);
    if (left != right) difference[key] = {left, right};
  }
  return difference;
}

}  // namespace bertwb::ui
