#include "pretrain/pretrain_settings.h"

#include <QJsonArray>

#include "shell/json_bridge.h"
#include "train/demo_setup.h"

namespace bertwb::ui {
namespace {

const QString kRunName = QStringLiteral("runName"), kProbes = QStringLiteral("probeTexts"),
              kNspA = QStringLiteral("probeNspA"), kNspB = QStringLiteral("probeNspB");

}  // namespace

bool PretrainSettings::operator==(const PretrainSettings& o) const {
  // The recipe's JSON names every field, so no field can be forgotten here.
  return recipeToJson(static_cast<const PretrainingRecipe&>(*this)) ==
             recipeToJson(static_cast<const PretrainingRecipe&>(o)) &&
         runName == o.runName && probeTexts == o.probeTexts && probeNspA == o.probeNspA &&
         probeNspB == o.probeNspB;
}

PretrainSettings defaultPretrainSettings(const BertConfig& model, bool demoWorkspace,
                                         const QString& demoCorpusPath) {
  PretrainSettings s;
  static_cast<PretrainingRecipe&>(s) =
      demoWorkspace ? demoPretrainingRecipe(model) : desktopPretrainingRecipe(model);
  if (demoWorkspace && !demoCorpusPath.isEmpty()) {
    try {
      const DemoProbeTexts probes = demoProbeTexts(demoCorpusPath.toStdString());
      for (const auto& text : probes.fillMask) s.probeTexts << QString::fromStdString(text);
      s.probeNspA = QString::fromStdString(probes.nspTextA);
      s.probeNspB = QString::fromStdString(probes.nspTextB);
    } catch (const std::exception&) {
      // No probes is a fine default: the corpus may have been edited since.
    }
  }
  return s;
}

QJsonObject pretrainSettingsToJson(const PretrainSettings& s) {
  QJsonObject j = toQJson(recipeToJson(static_cast<const PretrainingRecipe&>(s)));
  j[kRunName] = s.runName;
  j[kProbes] = QJsonArray::fromStringList(s.probeTexts);
  j[kNspA] = s.probeNspA;
  j[kNspB] = s.probeNspB;
  return j;
}

PretrainSettings pretrainSettingsFromJson(const QJsonObject& j, PretrainSettings s) {
  static_cast<PretrainingRecipe&>(s) = pretrainingRecipeFromJson(toNlohmann(j), s);
  s.runName = j.value(kRunName).toString(s.runName);
  if (j.value(kProbes).isArray()) {
    s.probeTexts.clear();
    for (const auto& value : j.value(kProbes).toArray()) s.probeTexts << value.toString();
  }
  s.probeNspA = j.value(kNspA).toString(s.probeNspA);
  s.probeNspB = j.value(kNspB).toString(s.probeNspB);
  return s;
}

}  // namespace bertwb::ui
