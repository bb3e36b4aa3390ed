#include "shell/model_catalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>

#include "shell/bounded_read.h"
#include "shell/workspace.h"

namespace bertwb::ui {
namespace {

const QString kImportedSection = QStringLiteral("models");
const QString kImportedKey = QStringLiteral("imported");

QJsonObject readConfig(const QString& folder) {
  const std::optional<QByteArray> bytes =
      readBoundedFile(QDir(folder).filePath(QStringLiteral("config.json")), kConfigFile);
  return bytes ? QJsonDocument::fromJson(*bytes).object() : QJsonObject();
}

QString weightsFile(const QString& folder) {
  const QDir dir(folder);
  for (const char* name : {"model.safetensors", "pytorch_model.bin"})
    if (QFileInfo::exists(dir.filePath(QLatin1String(name))))
      return dir.filePath(QLatin1String(name));
  return {};
}

// The fine-tuning task a head's architecture stands for, as finetune_task.h names it.
QString taskOfConfig(const QJsonObject& config, const QString& architecture) {
  if (architecture == QLatin1String("BertForSequenceClassification")) {
    const bool regression =
        config.value(QStringLiteral("problem_type")).toString() == QLatin1String("regression") ||
        config.value(QStringLiteral("num_labels")).toInt(2) == 1;
    return regression ? QStringLiteral("regress") : QStringLiteral("classify");
  }
  if (architecture == QLatin1String("BertForTokenClassification")) return QStringLiteral("tag");
  if (architecture == QLatin1String("BertForQuestionAnswering")) return QStringLiteral("qa");
  if (architecture == QLatin1String("BertForMultipleChoice")) return QStringLiteral("choice");
  return {};
}

// A model entry for `folder`, or nothing when it holds no model.
bool describe(const QString& folder, CatalogModel::Origin origin, const QString& name, qint64 step,
              CatalogModel& out) {
  const QString weights = weightsFile(folder);
  if (weights.isEmpty() || !QFileInfo::exists(QDir(folder).filePath(QStringLiteral("config.json"))))
    return false;
  const QJsonObject config = readConfig(folder);
  out.origin = origin;
  out.folder = QDir(folder).absolutePath();
  out.name = name;
  out.architecture = config.value(QStringLiteral("architectures"))
                         .toArray()
                         .first()
                         .toString(QStringLiteral("BertModel"));
  out.task = taskOfConfig(config, out.architecture);
  out.step = step;
  out.modifiedMs = QFileInfo(weights).lastModified().toMSecsSinceEpoch();
  return true;
}

QStringList subfolders(const QString& folder) {
  return QDir(folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

// runs/NAME/: the final model at the top, checkpoint-N/ below it.
void addPretrainingRuns(const Workspace& workspace, std::vector<CatalogModel>& models) {
  static const QRegularExpression checkpointName(QStringLiteral("^checkpoint-(\\d+)$"));
  const QDir runs(workspace.runsFolder());
  for (const QString& run : subfolders(runs.path())) {
    CatalogModel model;
    if (describe(runs.filePath(run), CatalogModel::Origin::Pretrained,
                 run + QStringLiteral(" · final"), -1, model))
      models.push_back(model);
    const QDir runDir(runs.filePath(run));
    for (const QString& sub : subfolders(runDir.path())) {
      const QRegularExpressionMatch match = checkpointName.match(sub);
      if (!match.hasMatch()) continue;
      const qint64 step = match.captured(1).toLongLong();
      if (describe(runDir.filePath(sub), CatalogModel::Origin::Pretrained,
                   run + QStringLiteral(" · step %1").arg(step), step, model))
        models.push_back(model);
    }
  }
}

// finetuned/NAME/: the final model at the top, the best evaluation's in best/.
void addFinetunedRuns(const Workspace& workspace, std::vector<CatalogModel>& models) {
  const QDir runs(workspace.finetunedFolder());
  for (const QString& run : subfolders(runs.path())) {
    CatalogModel model;
    const QDir runDir(runs.filePath(run));
    if (describe(runDir.filePath(QStringLiteral("best")), CatalogModel::Origin::FineTuned,
                 run + QStringLiteral(" · best"), -1, model))
      models.push_back(model);
    if (describe(runDir.path(), CatalogModel::Origin::FineTuned, run + QStringLiteral(" · final"),
                 -1, model))
      models.push_back(model);
  }
}

}  // namespace

QString modelDisplayName(const QString& folder) {
  static const QRegularExpression checkpointName(QStringLiteral("^checkpoint-0*(\\d+)$"));
  const QFileInfo info(QDir::cleanPath(folder));
  const QString name = info.fileName();
  const QString run = QFileInfo(info.path()).fileName();
  if (name == QLatin1String("best")) return run + QStringLiteral(" · best");
  const QRegularExpressionMatch match = checkpointName.match(name);
  if (match.hasMatch()) return run + QStringLiteral(" · step %1").arg(match.captured(1));
  // A run's root (runs/NAME, finetuned/NAME): the model it ended with.
  if (run == QLatin1String("runs") || run == QLatin1String("finetuned") ||
      QFileInfo::exists(QDir(folder).filePath(QStringLiteral("metrics.jsonl"))))
    return name + QStringLiteral(" · final");
  return name;
}

bool isModelFolder(const QString& folder) {
  return !weightsFile(folder).isEmpty() &&
         QFileInfo::exists(QDir(folder).filePath(QStringLiteral("config.json")));
}

QString modelArchitecture(const QString& folder) {
  const QJsonArray architectures =
      readConfig(folder).value(QStringLiteral("architectures")).toArray();
  return architectures.isEmpty() ? QString() : architectures.first().toString();
}

std::vector<CatalogModel> listWorkspaceModels(const Workspace& workspace) {
  std::vector<CatalogModel> models;
  addPretrainingRuns(workspace, models);
  addFinetunedRuns(workspace, models);
  for (const QJsonValue& folder :
       workspace.section(kImportedSection).value(kImportedKey).toArray()) {
    CatalogModel model;
    const QString path = workspace.resolvePath(folder.toString());
    if (describe(path, CatalogModel::Origin::Imported,
                 QFileInfo(path).fileName() + QStringLiteral(" · imported"), -1, model))
      models.push_back(model);
  }
  // Newest first within each origin: the model just trained is at the top of its group.
  std::stable_sort(models.begin(), models.end(), [](const CatalogModel& a, const CatalogModel& b) {
    if (a.origin != b.origin) return a.origin < b.origin;
    return a.modifiedMs > b.modifiedMs;
  });
  return models;
}

void rememberImportedModel(Workspace& workspace, const QString& folder) {
  QJsonObject section = workspace.section(kImportedSection);
  QJsonArray imported = section.value(kImportedKey).toArray();
  const QString path = QDir(folder).absolutePath();
  for (const QJsonValue& known : imported)
    if (known.toString() == path) return;
  imported.append(path);
  section.insert(kImportedKey, imported);
  workspace.setSection(kImportedSection, section);
}

}  // namespace bertwb::ui
