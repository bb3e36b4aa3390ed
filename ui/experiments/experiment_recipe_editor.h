#pragma once
// Duplicate & edit an experiment recipe: a form for what people change most (name, seeds, the
// model, pre-training steps, fine-tuning epochs, the tasks and their few-shot sizes) and the
// whole recipe as JSON for the rest (variants, claims, any override). Both edit one document:
// the form writes its fields into the JSON, a valid JSON edit refills the form. Every problem
// is listed under the editor as the recipe reader names it ("variants[1].objective: ..."),
// with the cells and estimated time of a valid recipe, and OK only accepts a valid recipe under
// a name no other experiment has.
#include <QDialog>
#include <functional>

#include <nlohmann/json.hpp>

#include "experiments/experiment_recipe.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;

namespace bertwb::ui {

class ExperimentRecipeEditor : public QDialog {
  Q_OBJECT
 public:
  // `nameTaken` says whether another experiment already has a name (the one being edited
  // excepted by the caller).
  ExperimentRecipeEditor(const ExperimentRecipe& recipe,
                         std::function<bool(const QString&)> nameTaken, QWidget* parent = nullptr);

  // The edited recipe (valid once the dialog is accepted).
  ExperimentRecipe recipe() const { return recipe_; }
  // The problems shown now; empty when the recipe is valid.
  QString problems() const;
  bool isValid() const;

  // --- for tests: the document behind both views ---
  void setJsonText(const QString& text);
  QString jsonText() const;
  QLineEdit* nameEdit() const { return name_; }
  QSpinBox* seedsBox() const { return seeds_; }
  QSpinBox* stepsBox() const { return steps_; }

 private:
  struct TaskRow {
    QString task;
    QCheckBox* use;
    QSpinBox* examples;
  };
  void buildForm(QWidget* page);
  void fillForm();      // document → form
  void onFormEdited();  // form → document
  void onJsonEdited();  // JSON text → document (when it parses)
  void validate();

  nlohmann::json document_;
  ExperimentRecipe recipe_;
  std::function<bool(const QString&)> nameTaken_;
  bool filling_ = false;
  QTabWidget* tabs_;
  QLineEdit* name_;
  QLineEdit* title_;
  QSpinBox* seeds_;
  QComboBox* preset_;
  QSpinBox* steps_;
  QSpinBox* epochs_;
  QList<TaskRow> tasks_;
  QListWidget* variants_;
  QPlainTextEdit* json_;
  QLabel* problems_;
  QLabel* estimate_;
  QDialogButtonBox* buttons_;
};

}  // namespace bertwb::ui
