#include "shell/workspace.h"
#include "widgets/display_units.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

#include "io/output_folder.h"
#include "model/presets.h"
#include "shell/bounded_read.h"
#include "shell/json_bridge.h"
#include "text/tokenizer.h"
#include "train/demo_setup.h"
#include "train/run_recipes.h"
#include "util/error.h"

namespace bertwb::ui {
namespace {

const char* const kSettingsFile = "workspace.json";
const char* const kFormatTag = "bert-workbench-workspace";
constexpr int kFormatVersion = 1;

QString settingsPath(const QString& folder) {
  return QDir(folder).filePath(QString::fromLatin1(kSettingsFile));
}

// The Tiny preset sized to `tokenizer`'s vocabulary (30,522, BERT's own, when there is none).
BertConfig defaultConfig(int vocabSize) {
  return presetConfig("tiny", vocabSize > 0 ? vocabSize : 30522);
}

}  // namespace

Workspace::Workspace(const QString& folder) : folder_(QDir(folder).absolutePath()) {}

bool Workspace::isWorkspace(const QString& folder) {
  return QFileInfo::exists(settingsPath(folder));
}

std::unique_ptr<Workspace> Workspace::open(const QString& folder) {
  if (!QFileInfo(folder).isDir())
    throw Error("workspace folder '" + localPath(folder) + "' does not exist");
  if (!isWorkspace(folder))
    throw Error("'" + localPath(folder) + "' is not a BERT Workbench workspace (it has no " +
                kSettingsFile + "); use File ▸ New Workspace to make one there");
  std::unique_ptr<Workspace> workspace(new Workspace(folder));
  workspace->load();
  workspace->followTokenizerVocabulary();
  return workspace;
}

std::unique_ptr<Workspace> Workspace::create(const QString& folder, const QString& name) {
  QDir dir(folder);
  if (isWorkspace(folder))
    throw Error("'" + localPath(folder) + "' already holds a workspace; open it instead");
  if (dir.exists() && !dir.isEmpty())
    throw Error("'" + localPath(folder) +
                "' is not empty; choose an empty or new folder for a workspace");
  for (const char* sub : {"corpus", "tokenizer", "runs", "tasks"}) {
    if (!dir.mkpath(QString::fromLatin1(sub)))
      throw Error("cannot create '" + localPath(dir.filePath(QString::fromLatin1(sub))) + "'");
  }
  std::unique_ptr<Workspace> workspace(new Workspace(folder));
  workspace->name_ = name.isEmpty() ? QFileInfo(folder).fileName() : name;
  workspace->modelConfig_ = defaultConfig(0);
  workspace->save();
  if (workspace->isReadOnly()) throw Error(workspace->readOnlyReason().toStdString());
  return workspace;
}

std::unique_ptr<Workspace> Workspace::createDemo(const QString& folder,
                                                 const ProgressCallback& progress,
                                                 const CancelFlag* cancel) {
  if (isWorkspace(folder)) return open(folder);
  // Only a new or empty folder becomes a demo workspace: the demo world would replace
  // corpus/pretrain.txt and tasks/ of whatever is there (prepareDemoPretraining refuses too).
  const FolderInspection found = inspectFolder(localPath(folder));
  if (found.holds != FolderHolds::Nothing && found.holds != FolderHolds::Empty)
    throw Error("'" + localPath(folder) + "' holds " + found.description +
                " and is not a workspace: choose a new or empty folder for the demo workspace");
  if (!QDir().mkpath(folder))
    throw Error("cannot create the demo workspace folder '" + localPath(folder) + "'");
  // The demo world lands in corpus/pretrain.txt and tasks/..., the vocabulary in tokenizer/.
  const DemoPretrainingSetup setup =
      prepareDemoPretraining(localPath(folder), /*seed=*/12345, progress, cancel);
  QDir(folder).mkpath(QStringLiteral("runs"));
  std::unique_ptr<Workspace> workspace(new Workspace(folder));
  workspace->name_ = QStringLiteral("Demo world");
  workspace->demo_ = true;
  workspace->modelConfig_ = presetConfig("tiny", kDemoVocabularySize);
  workspace->followTokenizerVocabulary();  // the trained vocabulary may hold fewer pieces
  // Short sequences: the demo's sentences are short and a Tiny model learns faster on them.
  QJsonObject pretrain;
  pretrain[QStringLiteral("maxSeqLength")] =
      demoPretrainingRecipe(workspace->modelConfig_).maxSeqLength;
  workspace->sections_[QStringLiteral("pretrain")] = pretrain;
  workspace->save();
  if (workspace->isReadOnly()) throw Error(workspace->readOnlyReason().toStdString());
  return workspace;
}

QString Workspace::defaultDemoFolder() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
      .filePath(QStringLiteral("demo-workspace"));
}

QString Workspace::corpusFolder() const {
  return QDir(folder_).filePath(QStringLiteral("corpus"));
}

QStringList Workspace::corpusFiles() const {
  QDir dir(corpusFolder());
  QStringList files;
  for (const QString& name : dir.entryList({QStringLiteral("*.txt")}, QDir::Files, QDir::Name))
    files << dir.filePath(name);
  return files;
}

QString Workspace::tokenizerFolder() const {
  return QDir(folder_).filePath(QStringLiteral("tokenizer"));
}

bool Workspace::hasTokenizer() const {
  const QDir dir(tokenizerFolder());
  return dir.exists(QStringLiteral("vocab.txt")) || dir.exists(QStringLiteral("spiece.model"));
}

std::shared_ptr<Tokenizer> Workspace::tokenizer() const {
  if (!tokenizer_) {
    if (!hasTokenizer())
      throw Error("the workspace '" + name_.toStdString() +
                  "' has no tokenizer yet (no vocab.txt or spiece.model in '" +
                  localPath(tokenizerFolder()) + "'); make one in the Model wizard");
    tokenizer_ = std::shared_ptr<Tokenizer>(loadTokenizer(localPath(tokenizerFolder())));
  }
  return tokenizer_;
}

QString Workspace::runsFolder() const {
  return QDir(folder_).filePath(QStringLiteral("runs"));
}
QString Workspace::resolvePath(const QString& stored) const {
  if (stored.isEmpty() || QDir::isAbsolutePath(stored)) return stored;
  return QDir::cleanPath(QDir(folder_).absoluteFilePath(stored));
}

QString Workspace::tasksFolder() const {
  return QDir(folder_).filePath(QStringLiteral("tasks"));
}
QString Workspace::finetunedFolder() const {
  return QDir(folder_).filePath(QStringLiteral("finetuned"));
}
QString Workspace::experimentsFolder() const {
  return QDir(folder_).filePath(QStringLiteral("experiments"));
}

void Workspace::setModelLockedBy(const QString& lockedBy) {
  if (lockedBy == modelLockedBy_) return;
  modelLockedBy_ = lockedBy;
  Q_EMIT modelLockChanged(isModelLocked());
}

QString Workspace::modelLockReason() const {
  return isModelLocked()
             ? tr("%1 is running with this model: stop it to change the model or its tokenizer.")
                   .arg(modelLockedBy_)
             : QString();
}

void Workspace::setModelConfig(const BertConfig& config, const QString& presetName) {
  if (isModelLocked()) throw Error(modelLockReason().toStdString());
  validateConfig(config, "the model of workspace '" + name_.toStdString() + "'");
  modelConfig_ = config;
  modelPreset_ = presetName;
  save();
  Q_EMIT modelConfigChanged();
}

QJsonObject Workspace::section(const QString& key) const {
  return sections_.value(key).toObject();
}

void Workspace::setSection(const QString& key, const QJsonObject& value) {
  if (sections_.value(key).toObject() == value) return;
  sections_[key] = value;
  save();
  Q_EMIT sectionChanged(key);
}

PretrainingRecipe Workspace::defaultPretrainingRecipe() const {
  return demo_ ? demoPretrainingRecipe(modelConfig_) : desktopPretrainingRecipe(modelConfig_);
}

PretrainingRecipe Workspace::pretrainingRecipe() const {
  return pretrainingRecipeFromJson(toNlohmann(section(kPretrainSection)),
                                   defaultPretrainingRecipe());
}

void Workspace::setPretrainingDataOptions(const PretrainingDataOptions& options) {
  PretrainingRecipe recipe = pretrainingRecipe();
  setDataOptions(recipe, options);
  // Only the recipe's fields are written: the run name, the probes and the last run stay.
  QJsonObject json = section(kPretrainSection);
  const QJsonObject fields = toQJson(recipeToJson(recipe));
  for (auto it = fields.begin(); it != fields.end(); ++it) json[it.key()] = it.value();
  setSection(kPretrainSection, json);
}

void Workspace::notifyTokenizerChanged() {
  tokenizer_.reset();
  followTokenizerVocabulary();
  Q_EMIT tokenizerChanged();
}

// The model's vocabulary is the tokenizer's (pre-training sizes the embeddings from it): a
// config saved with another size (the demo's requested 2,000 when training gave fewer pieces,
// a replaced tokenizer, an older workspace) is brought in line, so every stage shows one count.
void Workspace::followTokenizerVocabulary() {
  if (!hasTokenizer()) return;
  int64_t pieces = 0;
  try {
    pieces = tokenizer()->vocabSize();
  } catch (const std::exception&) {
    return;  // a broken tokenizer is reported by the stage that uses it
  }
  if (pieces <= 0 || modelConfig_.vocab_size == pieces) return;
  modelConfig_.vocab_size = pieces;
  save();
  Q_EMIT modelConfigChanged();
}

void Workspace::load() {
  const QString path = settingsPath(folder_);
  QString unreadable;
  const std::optional<QByteArray> bytes = readBoundedFile(path, bertwb::kSettingsFile, &unreadable);
  if (!bytes) throw Error(unreadable.toStdString());
  QJsonParseError parseError;
  const QJsonDocument document = QJsonDocument::fromJson(*bytes, &parseError);
  if (parseError.error != QJsonParseError::NoError || !document.isObject())
    throw Error("'" + localPath(path) + "' is not valid JSON (at byte " +
                std::to_string(parseError.offset) + ": " + parseError.errorString().toStdString() +
                ")");
  const QJsonObject root = document.object();
  if (root.value(QStringLiteral("format")).toString() != QLatin1String(kFormatTag))
    throw Error("'" + localPath(path) +
                "' is not a BERT Workbench workspace file (format is not '" + kFormatTag + "')");
  if (root.value(QStringLiteral("version")).toInt() > kFormatVersion)
    throw Error("'" + localPath(path) + "' was written by a newer BERT Workbench (version " +
                std::to_string(root.value(QStringLiteral("version")).toInt()) +
                "); update the program");
  // Fields of the wrong type fall back to defaults, but the file they came from is kept:
  // the next save would otherwise write the defaults over the user's values for good.
  auto expect = [&](const QJsonObject& object, const char* key, QJsonValue::Type type,
                    const QString& where) {
    const QJsonValue value = object.value(QLatin1String(key));
    if (!value.isUndefined() && value.type() != type) loadWarnings_ << where + QLatin1String(key);
    return value.type() == type;
  };
  name_ = expect(root, "name", QJsonValue::String, QString())
              ? root.value(QStringLiteral("name")).toString()
              : QFileInfo(folder_).fileName();
  // Demo workspaces written before the "demo" field existed are known by their name.
  demo_ = expect(root, "demo", QJsonValue::Bool, QString())
              ? root.value(QStringLiteral("demo")).toBool()
              : !root.contains(QStringLiteral("demo")) && name_ == QStringLiteral("Demo world");
  const QJsonObject model = expect(root, "model", QJsonValue::Object, QString())
                                ? root.value(QStringLiteral("model")).toObject()
                                : QJsonObject();
  modelPreset_ = expect(model, "preset", QJsonValue::String, QStringLiteral("model."))
                     ? model.value(QStringLiteral("preset")).toString()
                     : QStringLiteral("tiny");
  modelConfig_ = defaultConfig(0);
  if (expect(model, "config", QJsonValue::Object, QStringLiteral("model."))) {
    const QByteArray configText =
        QJsonDocument(model.value(QStringLiteral("config")).toObject()).toJson();
    try {
      modelConfig_ = configFromJson(configText.toStdString(), localPath(path) + " (model.config)");
    } catch (const std::exception&) {
      loadWarnings_ << QStringLiteral("model.config");
    }
  }
  sections_ = expect(root, "sections", QJsonValue::Object, QString())
                  ? root.value(QStringLiteral("sections")).toObject()
                  : QJsonObject();
  for (auto it = sections_.begin(); it != sections_.end();) {
    if (it.value().isObject()) {
      ++it;
    } else {
      loadWarnings_ << QStringLiteral("sections.") + it.key();
      it = sections_.erase(it);
    }
  }
  if (!loadWarnings_.isEmpty()) keepUnreadableCopy(loadWarnings_.join(QStringLiteral(", ")));
}

void Workspace::keepUnreadableCopy(const QString& what) {
  const QString copy = settingsPath(folder_) + QStringLiteral(".unreadable-") +
                       QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
  if (!QFile::copy(settingsPath(folder_), copy)) {
    // Without a copy the original must not be written over: keep the session read-only.
    readOnly_ = true;
    readOnlyReason_ =
        tr("workspace.json has fields of the wrong type (%1) and no copy of it could be kept")
            .arg(what);
  }
}

void Workspace::save() {
  QJsonObject root;
  root[QStringLiteral("format")] = QLatin1String(kFormatTag);
  root[QStringLiteral("version")] = kFormatVersion;
  root[QStringLiteral("name")] = name_;
  root[QStringLiteral("demo")] = demo_;
  QJsonObject model;
  model[QStringLiteral("preset")] = modelPreset_;
  model[QStringLiteral("config")] =
      QJsonDocument::fromJson(QByteArray::fromStdString(configToJson(modelConfig_))).object();
  root[QStringLiteral("model")] = model;
  root[QStringLiteral("sections")] = sections_;
  // QSaveFile writes beside the target and renames on commit: a crash keeps the old file.
  const QString path = settingsPath(folder_);
  if (readOnly_) return;  // said once, when it failed; what is on screen stays as it is
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0 ||
      !file.commit()) {
    readOnly_ = true;
    readOnlyReason_ = tr("cannot save %1: %2").arg(path, file.errorString());
    Q_EMIT saveFailed(readOnlyReason_);
  }
}

}  // namespace bertwb::ui
