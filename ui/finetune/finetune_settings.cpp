#include "finetune/finetune_settings.h"

#include "shell/json_bridge.h"

namespace bertwb::ui {
namespace {

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
  columns.labelNames = labelNames.trimmed().toStdString();
  return columns;
}

FinetuneSettings defaultFinetuneSettings(FinetuneTask task, const BertConfig& startModel,
                                         QString* source) {
  FinetuneSettings settings;
  const int64_t logEvery = settings.logEvery;
  std::string said;
  static_cast<FinetuningRecipe&>(settings) = desktopFinetuningRecipe(task, startModel, &said);
  if (source) *source = QString::fromStdString(said);
  settings.logEvery = logEvery;
  settings.task = task;
  return settings;
}

QJsonObject finetuneSettingsToJson(const FinetuneSettings& s) {
  QJsonObject json = toQJson(recipeToJson(static_cast<const FinetuningRecipe&>(s)));
  json[k("task")] = QString::fromLatin1(finetuneTaskName(s.task));
  json[k("trainFile")] = s.trainFile;
  json[k("devFile")] = s.devFile;
  json[k("textA")] = s.textA;
  json[k("textB")] = s.textB;
  json[k("label")] = s.label;
  json[k("tagColumn")] = s.tagColumn;
  json[k("labelNames")] = s.labelNames;
  json[k("start")] = QString::fromLatin1(finetuneStartName(s.start));
  json[k("startFolder")] = s.startFolder;
  json[k("maxTrainExamples")] = s.maxTrainExamples;
  return json;
}

FinetuneSettings finetuneSettingsFromJson(const QJsonObject& json, const FinetuneSettings& d) {
  FinetuneSettings s = d;
  static_cast<FinetuningRecipe&>(s) = finetuningRecipeFromJson(toNlohmann(json), d);
  if (const auto task = finetuneTaskFromName(json.value(k("task")).toString().toStdString()))
    s.task = *task;
  s.trainFile = json.value(k("trainFile")).toString(d.trainFile);
  s.devFile = json.value(k("devFile")).toString(d.devFile);
  s.textA = json.value(k("textA")).toString(d.textA);
  s.textB = json.value(k("textB")).toString(d.textB);
  s.label = json.value(k("label")).toString(d.label);
  s.tagColumn = json.value(k("tagColumn")).toInt(d.tagColumn);
  s.labelNames = json.value(k("labelNames")).toString(d.labelNames);
  if (json.contains(k("start"))) s.start = finetuneStartFromName(json.value(k("start")).toString());
  s.startFolder = json.value(k("startFolder")).toString(d.startFolder);
  s.maxTrainExamples = json.value(k("maxTrainExamples")).toInt(d.maxTrainExamples);
  return s;
}

}  // namespace bertwb::ui
