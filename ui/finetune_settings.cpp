#include "finetune_settings.h"

namespace bertwb::ui {
namespace {

// run_squad.py's max_seq_length; run_classifier.py's is 128.
constexpr int kQaMaxSeqLength = 384;
constexpr int kSentenceMaxSeqLength = 128;

QString k(const char* key) {
  return QString::fromLatin1(key);
}

}  // namespace

const char* finetuneStartName(FinetuneStart start) {
  switch (start) {
    case FinetuneStart::Pretrained:
      return "pretrained";
    case FinetuneStart::Imported:
      return "imported";
    case FinetuneStart::Random:
      return "random";
  }
  return "pretrained";
}

FinetuneStart finetuneStartFromName(const QString& name) {
  if (name == QLatin1String("imported")) return FinetuneStart::Imported;
  if (name == QLatin1String("random")) return FinetuneStart::Random;
  return FinetuneStart::Pretrained;
}

TaskColumns FinetuneSettings::columns() const {
  TaskColumns columns;
  columns.textA = textA.trimmed().toStdString();
  columns.textB = textB.trimmed().toStdString();
  columns.label = label.trimmed().toStdString();
  columns.tagColumn = tagColumn;
  return columns;
}

int defaultFinetuneMaxSeqLength(FinetuneTask task) {
  return task == FinetuneTask::Qa ? kQaMaxSeqLength : kSentenceMaxSeqLength;
}

FinetuneSettings defaultFinetuneSettings(FinetuneTask task) {
  FinetuneSettings settings;
  settings.task = task;
  settings.maxSeqLength = defaultFinetuneMaxSeqLength(task);
  return settings;
}

QJsonObject finetuneSettingsToJson(const FinetuneSettings& s) {
  QJsonObject json;
  json[k("task")] = QString::fromLatin1(finetuneTaskName(s.task));
  json[k("trainFile")] = s.trainFile;
  json[k("devFile")] = s.devFile;
  json[k("textA")] = s.textA;
  json[k("textB")] = s.textB;
  json[k("label")] = s.label;
  json[k("tagColumn")] = s.tagColumn;
  json[k("start")] = QString::fromLatin1(finetuneStartName(s.start));
  json[k("startFolder")] = s.startFolder;
  json[k("learningRate")] = s.learningRate;
  json[k("batchSize")] = s.batchSize;
  json[k("epochs")] = s.epochs;
  json[k("maxSeqLength")] = s.maxSeqLength;
  json[k("warmupFraction")] = s.warmupFraction;
  json[k("evalEvery")] = s.evalEvery;
  json[k("maxTrainExamples")] = s.maxTrainExamples;
  json[k("frozenEncoder")] = s.frozenEncoder;
  json[k("seed")] = static_cast<double>(s.seed);
  return json;
}

FinetuneSettings finetuneSettingsFromJson(const QJsonObject& json, const FinetuneSettings& d) {
  FinetuneSettings s = d;
  if (const auto task = finetuneTaskFromName(json.value(k("task")).toString().toStdString()))
    s.task = *task;
  s.trainFile = json.value(k("trainFile")).toString(d.trainFile);
  s.devFile = json.value(k("devFile")).toString(d.devFile);
  s.textA = json.value(k("textA")).toString(d.textA);
  s.textB = json.value(k("textB")).toString(d.textB);
  s.label = json.value(k("label")).toString(d.label);
  s.tagColumn = json.value(k("tagColumn")).toInt(d.tagColumn);
  if (json.contains(k("start"))) s.start = finetuneStartFromName(json.value(k("start")).toString());
  s.startFolder = json.value(k("startFolder")).toString(d.startFolder);
  s.learningRate = json.value(k("learningRate")).toDouble(d.learningRate);
  s.batchSize = json.value(k("batchSize")).toInt(d.batchSize);
  s.epochs = json.value(k("epochs")).toInt(d.epochs);
  s.maxSeqLength = json.value(k("maxSeqLength")).toInt(d.maxSeqLength);
  s.warmupFraction = json.value(k("warmupFraction")).toDouble(d.warmupFraction);
  s.evalEvery = json.value(k("evalEvery")).toInt(d.evalEvery);
  s.maxTrainExamples = json.value(k("maxTrainExamples")).toInt(d.maxTrainExamples);
  s.frozenEncoder = json.value(k("frozenEncoder")).toBool(d.frozenEncoder);
  s.seed = static_cast<qint64>(json.value(k("seed")).toDouble(static_cast<double>(d.seed)));
  return s;
}

}  // namespace bertwb::ui
