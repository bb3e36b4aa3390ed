#pragma once
// The experiments a workspace offers: the built-in recipes (the paper's claims) and the
// workspace's own, one folder each under experiments/ (its recipe.json, and once it has run,
// its cells and report). A built-in's folder holds its runs; the recipe itself is edited only
// as a copy under a new name, so a built-in always means what the README says it does.
#include <QList>
#include <QString>

#include "experiments/experiment_recipe.h"

namespace bertwb::ui {

struct ExperimentEntry {
  QString name;   // the recipe's name and its folder's
  QString title;  // "Table 5: pre-training tasks"; the name when it has none
  bool builtin = false;
  int cellsDone = 0;  // finished cells in its folder
};

class ExperimentLibrary {
 public:
  explicit ExperimentLibrary(QString experimentsFolder);

  // Built-ins first (in file order), then the workspace's own (by name); a workspace folder
  // whose recipe.json cannot be read is listed with its problem as the title.
  QList<ExperimentEntry> entries() const;
  bool isBuiltin(const QString& name) const;
  bool exists(const QString& name) const;  // a built-in or a workspace folder
  QString folderOf(const QString& name) const;
  // The recipe of `name`: its folder's recipe.json (the recipe as last saved or run), else the
  // built-in. Throws bertwb::Error naming the file and what is wrong with it.
  ExperimentRecipe recipe(const QString& name) const;
  // Writes experiments/NAME/recipe.json atomically (making the folder). Refuses a built-in's
  // name with a recipe other than the built-in (throws bertwb::Error).
  void save(const ExperimentRecipe& recipe) const;
  // "table5-pretraining-tasks-copy", then "-copy-2", ...: a name no experiment has yet.
  QString unusedName(const QString& base) const;

 private:
  QString folder_;
};

}  // namespace bertwb::ui
