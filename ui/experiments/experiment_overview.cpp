#include "experiments/experiment_overview.h"

#include <QObject>
#include <QStringList>

#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

using nlohmann::json;

QString escaped(const std::string& text) {
  return fromStd(text).toHtmlEscaped();
}

// "steps 600, nsp false" for a JSON object of overrides; "—" for none.
QString overridesText(const json& overrides) {
  QStringList parts;
  if (overrides.is_object())
    for (const auto& [key, value] : overrides.items())
      parts << QStringLiteral("%1 %2").arg(fromStd(key), fromStd(value.dump()));
  return parts.isEmpty() ? QStringLiteral("—") : parts.join(QStringLiteral(", ")).toHtmlEscaped();
}

}  // namespace

QString variantChangesText(const ExperimentVariant& v) {
  QStringList parts;
  if (v.init == ExperimentInit::Random) parts << QObject::tr("random initialisation");
  if (v.objective != PretrainingObjectiveKind::MaskedLm)
    parts << QObject::tr("objective %1").arg(fromStd(objectiveName(v.objective)));
  if (v.segments != SegmentFormat::Pairs)
    parts << QObject::tr("segments %1").arg(fromStd(segmentFormatName(v.segments)));
  if (v.features != FeatureLayers::None)
    parts << QObject::tr("frozen encoder, features %1 into a %2 tagger")
                 .arg(fromStd(featureLayersName(v.features)))
                 .arg(v.tagger == FeatureTagger::BiLstm ? QObject::tr("two-layer BiLSTM")
                                                        : QObject::tr("linear"));
  if (v.fromStep > 0) parts << QObject::tr("from the pre-training's step %1").arg(v.fromStep);
  if (!v.model.empty()) parts << QObject::tr("model: %1").arg(overridesText(v.model));
  if (!v.pretraining.empty())
    parts << QObject::tr("pre-training: %1").arg(overridesText(v.pretraining));
  if (!v.finetuning.empty())
    parts << QObject::tr("fine-tuning: %1").arg(overridesText(v.finetuning));
  return parts.isEmpty() ? QObject::tr("the base recipe") : parts.join(QStringLiteral("; "));
}

QString recipeOverviewHtml(const ExperimentRecipe& recipe, int cellCount) {
  QString html;
  html +=
      QStringLiteral("<h3>%1</h3>").arg(escaped(recipe.title.empty() ? recipe.name : recipe.title));
  if (!recipe.about.empty()) html += QStringLiteral("<p>%1</p>").arg(escaped(recipe.about));
  html += QStringLiteral(
              "<p><b>%1</b> %2 &nbsp; <b>%3</b> %4 &nbsp; <b>%5</b> %6 &nbsp; <b>%7</b> %8</p>")
              .arg(QObject::tr("Model:"), overridesText(recipe.model), QObject::tr("Seeds:"))
              .arg(recipe.seeds)
              .arg(QObject::tr("Cells:"))
              .arg(cellCount)
              .arg(QObject::tr("Demo world seed:"))
              .arg(recipe.dataSeed);
  html += QStringLiteral("<p><b>%1</b> %2<br><b>%3</b> %4</p>")
              .arg(QObject::tr("Pre-training (over the demo recipe):"),
                   overridesText(recipe.pretraining),
                   QObject::tr("Fine-tuning (over each task's desktop recipe):"),
                   overridesText(recipe.finetuning));
  QStringList tasks;
  for (const ExperimentTask& task : recipe.tasks)
    tasks << (task.trainExamples > 0 ? QObject::tr("%1 (%2, %3 training examples)")
                                           .arg(escaped(task.task), escaped(task.metric))
                                           .arg(task.trainExamples)
                                     : QObject::tr("%1 (%2, the whole training set)")
                                           .arg(escaped(task.task), escaped(task.metric)));
  html += QStringLiteral("<p><b>%1</b> %2</p>")
              .arg(QObject::tr("Scored on:"), tasks.join(QStringLiteral(", ")));

  html += QStringLiteral(
              "<table border='1' cellspacing='0' "
              "cellpadding='3'><tr><th>%1</th><th>%2</th><th>%3</th></tr>")
              .arg(QObject::tr("Variant"), QObject::tr("What it changes"), QObject::tr("Paper"));
  for (const ExperimentVariant& v : recipe.variants) {
    QStringList paper;
    for (const auto& [task, value] : v.paper)
      paper << QStringLiteral("%1 %2").arg(escaped(task)).arg(value, 0, 'f', 1);
    QString changes = variantChangesText(v);
    if (!v.about.empty()) changes += QStringLiteral("<br><i>%1</i>").arg(escaped(v.about));
    html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                .arg(escaped(v.name), changes,
                     paper.isEmpty() ? QStringLiteral("—") : paper.join(QStringLiteral(", ")));
  }
  html += QStringLiteral("</table>");
  if (!recipe.claims.empty()) {
    html += QStringLiteral("<p><b>%1</b></p><ul>").arg(QObject::tr("Claims checked:"));
    for (const ExperimentClaim& claim : recipe.claims) {
      QString line = QObject::tr("%1 beats %2").arg(escaped(claim.better), escaped(claim.worse));
      if (!claim.paper.empty()) line += QObject::tr(" (paper: %1)").arg(escaped(claim.paper));
      html += QStringLiteral("<li>%1</li>").arg(line);
    }
    html += QStringLiteral("</ul>");
  }
  html +=
      QStringLiteral("<p><b>%1</b></p><pre>%2</pre>")
          .arg(QObject::tr("The recipe as JSON:"), escaped(experimentRecipeToJson(recipe).dump(2)));
  return html;
}

}  // namespace bertwb::ui
