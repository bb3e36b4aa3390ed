#include "experiments/experiment_library.h"

#include <QDir>
#include <QFileInfo>

#include "experiments/builtin_experiments.h"
#include "experiments/experiment_cells.h"
#include "experiments/experiment_results.h"
#include "io/manifests.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

int finishedCellsIn(const QString& folder, const ExperimentRecipe& recipe) {
  int done = 0;
  for (const ExperimentCell& cell : planExperimentCells(recipe)) {
    const auto result = readCellResult(localPath(folder), cell.key);
    if (result && result->finished) ++done;
  }
  return done;
}

}  // namespace

ExperimentLibrary::ExperimentLibrary(QString experimentsFolder)
    : folder_(std::move(experimentsFolder)) {}

QList<ExperimentEntry> ExperimentLibrary::entries() const {
  QList<ExperimentEntry> entries;
  for (const ExperimentRecipe& recipe : builtinExperiments()) {
    ExperimentEntry entry;
    entry.name = fromStd(recipe.name);
    entry.title = fromStd(recipe.title.empty() ? recipe.name : recipe.title);
    entry.builtin = true;
    const QString folder = folderOf(entry.name);
    if (QFileInfo::exists(folder)) {
      try {
        entry.cellsDone = finishedCellsIn(folder, this->recipe(entry.name));
      } catch (const Error&) {
      }
    }
    entries << entry;
  }
  const QStringList folders =
      QDir(folder_).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
  for (const QString& name : folders) {
    if (isBuiltin(name)) continue;
    if (!QFileInfo::exists(QDir(folderOf(name)).filePath(QLatin1String(kExperimentManifest))))
      continue;  // not an experiment's folder
    ExperimentEntry entry;
    entry.name = name;
    try {
      const ExperimentRecipe r = recipe(name);
      entry.title = fromStd(r.title.empty() ? r.name : r.title);
      entry.cellsDone = finishedCellsIn(folderOf(name), r);
    } catch (const Error& e) {
      entry.title = QStringLiteral("%1 (unreadable: %2)").arg(name, fromStd(e.what()));
    }
    entries << entry;
  }
  return entries;
}

bool ExperimentLibrary::isBuiltin(const QString& name) const {
  for (const ExperimentRecipe& recipe : builtinExperiments())
    if (fromStd(recipe.name) == name) return true;
  return false;
}

bool ExperimentLibrary::exists(const QString& name) const {
  return isBuiltin(name) || QFileInfo::exists(folderOf(name));
}

QString ExperimentLibrary::folderOf(const QString& name) const {
  return QDir(folder_).filePath(name);
}

ExperimentRecipe ExperimentLibrary::recipe(const QString& name) const {
  const QString file = QDir(folderOf(name)).filePath(QLatin1String(kExperimentManifest));
  if (QFileInfo::exists(file)) return readExperimentRecipe(localPath(file));
  return builtinExperiment(name.toStdString());
}

void ExperimentLibrary::save(const ExperimentRecipe& recipe) const {
  const QString name = fromStd(recipe.name);
  if (isBuiltin(name) &&
      experimentRecipeToJson(recipe) != experimentRecipeToJson(builtinExperiment(recipe.name)))
    throw Error("'" + recipe.name +
                "' is a built-in experiment; save the changed recipe under another name");
  const QString folder = folderOf(name);
  if (!QDir().mkpath(folder)) throw Error("cannot create '" + localPath(folder) + "'");
  writeFileAtomically(localPath(QDir(folder).filePath(QLatin1String(kExperimentManifest))),
                      experimentRecipeToJson(recipe).dump(2) + "\n");
}

QString ExperimentLibrary::unusedName(const QString& base) const {
  QString name = base + QStringLiteral("-copy");
  for (int n = 2; exists(name); ++n) name = QStringLiteral("%1-copy-%2").arg(base).arg(n);
  return name;
}

}  // namespace bertwb::ui
