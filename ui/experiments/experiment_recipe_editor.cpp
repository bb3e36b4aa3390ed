#include "experiments/experiment_recipe_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include "experiments/experiment_cells.h"
#include "experiments/experiment_estimate.h"
#include "experiments/experiment_overview.h"
#include "experiments/experiment_text.h"
#include "model/presets.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

using nlohmann::json;

const char* const kDemoTasks[] = {"sentiment", "entailment", "ner", "qa"};

// Fields as the form reads them from a hand-edited document: a field of the wrong type reads
// as absent (the problem list names it), never as an exception.
json objectField(const json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_object() ? object[key]
                                                                               : json::object();
}
int64_t integerField(const json& object, const char* key, int64_t fallback) {
  return object.is_object() && object.contains(key) && object[key].is_number_integer()
             ? object[key].get<int64_t>()
             : fallback;
}
std::string stringField(const json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_string()
             ? object[key].get<std::string>()
             : std::string();
}

// "3 overrides: objective ltr, nsp off" for a variant's line in the form.
QString variantSummary(const json& variant) {
  QStringList parts;
  for (const auto& [key, value] : variant.items()) {
    if (key == "name" || key == "about" || key == "paper") continue;
    parts << QStringLiteral("%1 %2").arg(fromStd(key), fromStd(value.dump()));
  }
  const std::string named = stringField(variant, "name");
  const QString name = fromStd(named.empty() ? std::string("?") : named);
  return parts.isEmpty() ? name + QObject::tr(" — the base recipe")
                         : name + QStringLiteral(" — ") + parts.join(QStringLiteral(", "));
}

}  // namespace

ExperimentRecipeEditor::ExperimentRecipeEditor(const ExperimentRecipe& recipe,
                                               std::function<bool(const QString&)> nameTaken,
                                               QWidget* parent)
    : QDialog(parent),
      document_(experimentRecipeToJson(recipe)),
      recipe_(recipe),
      nameTaken_(std::move(nameTaken)) {
  setWindowTitle(tr("Edit experiment recipe"));
  auto* layout = new QVBoxLayout(this);
  tabs_ = new QTabWidget;
  auto* form = new QWidget;
  buildForm(form);
  tabs_->addTab(form, tr("Form"));
  json_ = new QPlainTextEdit;
  json_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  json_->setLineWrapMode(QPlainTextEdit::NoWrap);
  tabs_->addTab(json_, tr("JSON"));
  layout->addWidget(tabs_, 1);
  estimate_ = new QLabel;
  layout->addWidget(estimate_);
  problems_ = new QLabel;
  problems_->setWordWrap(true);
  problems_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  problems_->setStyleSheet(QStringLiteral("color: #b00020;"));
  layout->addWidget(problems_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("Save recipe"));
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons_);

  fillForm();
  connect(json_, &QPlainTextEdit::textChanged, this, &ExperimentRecipeEditor::onJsonEdited);
  validate();
  resize(760, 600);
}

void ExperimentRecipeEditor::buildForm(QWidget* page) {
  auto* form = new QFormLayout(page);
  name_ = new QLineEdit;
  name_->setToolTip(tr("The experiment's folder under experiments/: letters, digits and '-'"));
  form->addRow(tr("Name"), name_);
  title_ = new QLineEdit;
  form->addRow(tr("Title"), title_);
  seeds_ = new QSpinBox;
  seeds_->setRange(1, 20);
  seeds_->setToolTip(tr("Each variant runs once per seed; the table shows mean ± sd over seeds"));
  form->addRow(tr("Seeds"), seeds_);
  preset_ = new QComboBox;
  for (const ModelPreset& preset : modelPresets())
    preset_->addItem(fromStd(preset.display), fromStd(preset.name));
  form->addRow(tr("Model"), preset_);
  steps_ = new QSpinBox;
  steps_->setRange(1, 10'000'000);
  steps_->setGroupSeparatorShown(true);
  form->addRow(tr("Pre-training steps"), steps_);
  epochs_ = new QSpinBox;
  epochs_->setRange(0, 1000);
  epochs_->setSpecialValueText(tr("the model's default"));
  form->addRow(tr("Fine-tuning epochs"), epochs_);
  for (const char* task : kDemoTasks) {
    auto* row = new QWidget;
    auto* rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    TaskRow taskRow{QString::fromLatin1(task), new QCheckBox(tr("score on it")), new QSpinBox};
    taskRow.examples->setRange(0, 1'000'000);
    taskRow.examples->setSpecialValueText(tr("all"));
    taskRow.examples->setPrefix(tr("train on "));
    taskRow.examples->setSuffix(tr(" examples"));
    rowLayout->addWidget(taskRow.use);
    rowLayout->addWidget(taskRow.examples, 1);
    form->addRow(tr("Task %1").arg(taskRow.task), row);
    tasks_ << taskRow;
    connect(taskRow.use, &QCheckBox::toggled, this, &ExperimentRecipeEditor::onFormEdited);
    connect(taskRow.examples, &QSpinBox::valueChanged, this, &ExperimentRecipeEditor::onFormEdited);
  }
  variants_ = new QListWidget;
  variants_->setToolTip(
      tr("Edit the variants (their overrides, the paper's numbers) in the JSON tab"));
  form->addRow(tr("Variants\n(JSON tab)"), variants_);
  connect(name_, &QLineEdit::textEdited, this, &ExperimentRecipeEditor::onFormEdited);
  connect(title_, &QLineEdit::textEdited, this, &ExperimentRecipeEditor::onFormEdited);
  connect(seeds_, &QSpinBox::valueChanged, this, &ExperimentRecipeEditor::onFormEdited);
  connect(steps_, &QSpinBox::valueChanged, this, &ExperimentRecipeEditor::onFormEdited);
  connect(epochs_, &QSpinBox::valueChanged, this, &ExperimentRecipeEditor::onFormEdited);
  connect(preset_, &QComboBox::currentIndexChanged, this, &ExperimentRecipeEditor::onFormEdited);
}

void ExperimentRecipeEditor::fillForm() {
  filling_ = true;
  const json& d = document_;
  name_->setText(fromStd(stringField(d, "name")));
  title_->setText(fromStd(stringField(d, "title")));
  seeds_->setValue(static_cast<int>(integerField(d, "seeds", 1)));
  const std::string preset = stringField(objectField(d, "model"), "preset");
  preset_->setCurrentIndex(
      std::max(0, preset_->findData(fromStd(preset.empty() ? "tiny" : preset))));
  steps_->setValue(static_cast<int>(integerField(objectField(d, "pretraining"), "steps", 1000)));
  epochs_->setValue(static_cast<int>(integerField(objectField(d, "finetuning"), "epochs", 0)));
  const json tasks =
      d.is_object() && d.contains("tasks") && d["tasks"].is_array() ? d["tasks"] : json::array();
  for (TaskRow& row : tasks_) {
    row.use->setChecked(false);
    row.examples->setValue(0);
    for (const json& task : tasks) {
      if (stringField(task, "task") == row.task.toStdString()) {
        row.use->setChecked(true);
        row.examples->setValue(static_cast<int>(integerField(task, "trainExamples", 0)));
      }
    }
    row.examples->setEnabled(row.use->isChecked());
  }
  variants_->clear();
  try {
    // A valid recipe's variants in words; while it has problems, their raw overrides.
    for (const ExperimentVariant& v : parseExperimentRecipe(d, "the recipe").variants)
      variants_->addItem(fromStd(v.name) + QStringLiteral(" — ") +
                         QTextDocumentFragment::fromHtml(variantChangesText(v)).toPlainText());
  } catch (const Error&) {
    if (d.is_object() && d.contains("variants") && d["variants"].is_array())
      for (const json& variant : d["variants"])
        if (variant.is_object()) variants_->addItem(variantSummary(variant));
  }
  if (json_->toPlainText() != fromStd(d.dump(2))) {
    const QSignalBlocker blocker(json_);
    json_->setPlainText(fromStd(d.dump(2)));
  }
  filling_ = false;
}

void ExperimentRecipeEditor::onFormEdited() {
  if (filling_) return;
  json& d = document_;
  if (!d.is_object()) d = json::object();
  d["name"] = name_->text().trimmed().toStdString();
  if (title_->text().trimmed().isEmpty())
    d.erase("title");
  else
    d["title"] = title_->text().trimmed().toStdString();
  d["seeds"] = seeds_->value();
  if (!d["model"].is_object()) d["model"] = json::object();
  d["model"]["preset"] = preset_->currentData().toString().toStdString();
  if (!d["pretraining"].is_object()) d["pretraining"] = json::object();
  d["pretraining"]["steps"] = steps_->value();
  if (!d["finetuning"].is_object()) d["finetuning"] = json::object();
  if (epochs_->value() == 0)
    d["finetuning"].erase("epochs");
  else
    d["finetuning"]["epochs"] = epochs_->value();
  json tasks = json::array();
  for (TaskRow& row : tasks_) {
    row.examples->setEnabled(row.use->isChecked());
    if (!row.use->isChecked()) continue;
    json task = {{"task", row.task.toStdString()}};
    if (row.examples->value() > 0) task["trainExamples"] = row.examples->value();
    tasks.push_back(task);
  }
  d["tasks"] = tasks;
  const QSignalBlocker blocker(json_);
  json_->setPlainText(fromStd(d.dump(2)));
  validate();
}

void ExperimentRecipeEditor::onJsonEdited() {
  const std::string text = json_->toPlainText().toStdString();
  json parsed = parseJsonOrDiscarded(text);
  if (parsed.is_discarded()) {
    problems_->setText(tr("The JSON does not parse (a missing comma, quote or brace?)."));
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(false);
    estimate_->clear();
    return;
  }
  document_ = std::move(parsed);
  if (document_.is_object()) fillForm();
  validate();
}

void ExperimentRecipeEditor::validate() {
  QStringList problems;
  bool parsed = false;
  try {
    recipe_ = parseExperimentRecipe(document_, "the recipe");
    parsed = true;
  } catch (const Error& e) {
    problems << fromStd(e.what());
  }
  if (parsed && nameTaken_ && nameTaken_(fromStd(recipe_.name)))
    problems << tr("An experiment called '%1' exists already; choose another name.")
                    .arg(fromStd(recipe_.name));
  if (parsed) {
    const std::vector<ExperimentCell> cells = planExperimentCells(recipe_);
    double seconds = 0;
    for (const ExperimentCell& cell : cells) seconds += estimateCellSeconds(recipe_, cell);
    estimate_->setText(tr("%n cell(s), %1 on 2 CPU cores", nullptr, static_cast<int>(cells.size()))
                           .arg(aboutDuration(seconds)));
  } else {
    estimate_->clear();
  }
  problems_->setText(problems.join(QLatin1Char('\n')));
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(problems.isEmpty());
}

QString ExperimentRecipeEditor::problems() const {
  return problems_->text();
}

bool ExperimentRecipeEditor::isValid() const {
  return problems_->text().isEmpty();
}

void ExperimentRecipeEditor::setJsonText(const QString& text) {
  json_->setPlainText(text);  // textChanged → onJsonEdited
}

QString ExperimentRecipeEditor::jsonText() const {
  return json_->toPlainText();
}

}  // namespace bertwb::ui
