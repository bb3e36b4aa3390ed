#include "finetune/finetune_task_import.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "finetune/finetune_file_check_view.h"
#include "finetune/finetune_preview_table.h"
#include "tasks/glue_reader.h"

namespace bertwb::ui {
namespace {

constexpr int kPreviewRows = 8;

struct TaskChoice {
  FinetuneTask task;
  const char* title;
};
const TaskChoice kTaskChoices[] = {
    {FinetuneTask::Classify,
     QT_TRANSLATE_NOOP("FinetuneTaskImport", "Single sentence → class (SST-2)")},
    {FinetuneTask::Pair, QT_TRANSLATE_NOOP("FinetuneTaskImport", "Sentence pair → class (MNLI)")},
    {FinetuneTask::Regress,
     QT_TRANSLATE_NOOP("FinetuneTaskImport", "Sentence pair → number (STS-B)")},
    {FinetuneTask::Tag, QT_TRANSLATE_NOOP("FinetuneTaskImport", "Token tagging (CoNLL NER)")},
    {FinetuneTask::Qa, QT_TRANSLATE_NOOP("FinetuneTaskImport", "Question answering (SQuAD)")},
    {FinetuneTask::Choice, QT_TRANSLATE_NOOP("FinetuneTaskImport", "Multiple choice (SWAG)")},
};

// The value a column combo stands for: an item's data when its text is shown, else the text
// typed (a header name or an index).
QString columnValue(const QComboBox* box) {
  const int index = box->findText(box->currentText());
  if (index >= 0) return box->itemData(index).toString();
  return box->currentText().trimmed();
}

void setColumnValue(QComboBox* box, const QString& value) {
  const int index = box->findData(value);
  if (index >= 0) {
    box->setCurrentIndex(index);
  } else {
    box->setEditText(value);
  }
}

}  // namespace

QList<DemoTask> demoTasksIn(const QString& tasksFolder) {
  const QDir tasks(tasksFolder);
  const QList<DemoTask> all = {
      {QStringLiteral("sentiment"), FinetuneTask::Classify,
       tasks.filePath(QStringLiteral("sentiment/train.tsv")),
       tasks.filePath(QStringLiteral("sentiment/dev.tsv"))},
      {QStringLiteral("entailment"), FinetuneTask::Pair,
       tasks.filePath(QStringLiteral("entailment/train.tsv")),
       tasks.filePath(QStringLiteral("entailment/dev.tsv"))},
      {QStringLiteral("ner"), FinetuneTask::Tag, tasks.filePath(QStringLiteral("ner/train.conll")),
       tasks.filePath(QStringLiteral("ner/dev.conll"))},
      {QStringLiteral("qa"), FinetuneTask::Qa, tasks.filePath(QStringLiteral("qa/train.json")),
       tasks.filePath(QStringLiteral("qa/dev.json"))},
  };
  QList<DemoTask> present;
  for (const DemoTask& demo : all)
    if (QFileInfo::exists(demo.trainFile) && QFileInfo::exists(demo.devFile)) present << demo;
  return present;
}

FinetuneTaskImport::FinetuneTaskImport(const QString& tasksFolder, QWidget* parent)
    : QWidget(parent), tasksFolder_(tasksFolder) {
  buildLayout();
  connect(checkView_, &FinetuneFileCheckView::checked, this, [this] {
    markRejectedRows();
    Q_EMIT checked();
  });
  onTaskChosen();
}

FinetuneTaskImport::~FinetuneTaskImport() = default;

void FinetuneTaskImport::buildLayout() {
  taskBox_ = new QComboBox(this);
  for (const TaskChoice& choice : kTaskChoices)
    taskBox_->addItem(tr(choice.title), QString::fromLatin1(finetuneTaskName(choice.task)));
  taskBox_->setToolTip(
      tr("What the model learns to predict; it decides the head put on top of BERT."));

  demoRow_ = new QWidget(this);
  auto* demoLayout = new QHBoxLayout(demoRow_);
  demoLayout->setContentsMargins(0, 0, 0, 0);
  demoLayout->addWidget(new QLabel(tr("Demo:"), demoRow_));
  for (const DemoTask& demo : demoTasksIn(tasksFolder_)) {
    auto* button = new QToolButton(demoRow_);
    button->setText(demo.name);
    button->setObjectName(QStringLiteral("demo-") + demo.name);
    button->setToolTip(tr("Use the demo world's %1 task (%2)")
                           .arg(demo.name, QString::fromLatin1(finetuneTaskName(demo.task))));
    connect(button, &QToolButton::clicked, this, [this, name = demo.name] {
      useDemoTask(name);
      Q_EMIT edited();
    });
    demoLayout->addWidget(button);
  }
  demoLayout->addStretch(1);
  demoRow_->setVisible(!demoTasksIn(tasksFolder_).isEmpty());

  auto fileRow = [this](QLineEdit*& edit, const QString& placeholder) {
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    edit = new QLineEdit(row);
    edit->setPlaceholderText(placeholder);
    auto* browse = new QToolButton(row);
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(tr("Choose the file"));
    QLineEdit* target = edit;
    connect(browse, &QToolButton::clicked, this, [this, target] { chooseFile(target); });
    connect(edit, &QLineEdit::textEdited, this, &FinetuneTaskImport::onEdited);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
  };
  QWidget* trainRow = fileRow(trainEdit_, tr("training file (TSV/CSV, CoNLL or SQuAD JSON)"));
  QWidget* devRow = fileRow(devEdit_, tr("dev file, scored at each evaluation"));

  columnsRow_ = new QWidget(this);
  auto* columnsLayout = new QHBoxLayout(columnsRow_);
  columnsLayout->setContentsMargins(0, 0, 0, 0);
  auto columnBox = [this, columnsLayout](QComboBox*& box, const QString& title,
                                         const QString& tip) {
    box = new QComboBox(columnsRow_);
    box->setEditable(true);
    box->setToolTip(tip);
    box->setMinimumContentsLength(8);
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    connect(box, &QComboBox::currentTextChanged, this, [this] {
      if (!filling_) onEdited();
    });
    columnsLayout->addWidget(new QLabel(title, columnsRow_));
    columnsLayout->addWidget(box, 1);
  };
  columnBox(textABox_, tr("Text A"), tr("The (first) text: a column index or header name"));
  columnBox(textBBox_, tr("Text B"), tr("The second text of a pair task"));
  columnBox(labelBox_, tr("Label"), tr("The class (or the number, for regression)"));

  labelNamesRow_ = new QWidget(this);
  auto* namesLayout = new QHBoxLayout(labelNamesRow_);
  namesLayout->setContentsMargins(0, 0, 0, 0);
  labelNamesEdit_ = new QLineEdit(labelNamesRow_);
  labelNamesEdit_->setPlaceholderText(tr("optional, e.g. 0=negative, 1=positive"));
  labelNamesEdit_->setToolTip(
      tr("Names for labels the file stores as numbers: the results, the confusion matrix, the "
         "Playground's bars and the saved model (id2label) then show the names."));
  connect(labelNamesEdit_, &QLineEdit::textEdited, this, [this] {
    if (!filling_) onEdited();
  });
  namesLayout->addWidget(new QLabel(tr("Label names"), labelNamesRow_));
  namesLayout->addWidget(labelNamesEdit_, 1);

  tagRow_ = new QWidget(this);
  auto* tagLayout = new QHBoxLayout(tagRow_);
  tagLayout->setContentsMargins(0, 0, 0, 0);
  tagColumnBox_ = new QSpinBox(tagRow_);
  tagColumnBox_->setRange(-1, 20);
  tagColumnBox_->setSpecialValueText(tr("last"));
  tagColumnBox_->setValue(-1);
  connect(tagColumnBox_, qOverload<int>(&QSpinBox::valueChanged), this, [this] {
    if (!filling_) onEdited();
  });
  tagLayout->addWidget(new QLabel(tr("Tag column"), tagRow_));
  tagLayout->addWidget(tagColumnBox_);
  tagLayout->addStretch(1);

  preview_ = new FinetunePreviewTable(this);
  previewNote_ = new QLabel(this);
  previewNote_->setWordWrap(true);
  checkView_ = new FinetuneFileCheckView(this);

  auto* form = new QFormLayout;
  form->addRow(tr("Task"), taskBox_);
  form->addRow(QString(), demoRow_);
  form->addRow(tr("Train"), trainRow);
  form->addRow(tr("Dev"), devRow);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addWidget(columnsRow_);
  layout->addWidget(labelNamesRow_);
  layout->addWidget(tagRow_);
  layout->addWidget(preview_, 1);
  layout->addWidget(previewNote_);
  layout->addWidget(checkView_);
  connect(taskBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    onTaskChosen();
    if (!filling_) {
      Q_EMIT taskChanged(task());
      onEdited();
    }
  });
}

FinetuneTask FinetuneTaskImport::task() const {
  return finetuneTaskFromName(taskBox_->currentData().toString().toStdString())
      .value_or(FinetuneTask::Classify);
}

bool FinetuneTaskImport::isDelimited() const {
  const FinetuneTask t = task();
  return t == FinetuneTask::Classify || t == FinetuneTask::Pair || t == FinetuneTask::Regress;
}

void FinetuneTaskImport::onTaskChosen() {
  columnsRow_->setVisible(isDelimited());
  labelNamesRow_->setVisible(isDelimited() && task() != FinetuneTask::Regress);
  textBBox_->setEnabled(task() != FinetuneTask::Classify);
  tagRow_->setVisible(task() == FinetuneTask::Tag);
  refreshPreview();
  scheduleCheck();
}

void FinetuneTaskImport::onEdited() {
  if (filling_) return;
  refreshPreview();
  scheduleCheck();
  Q_EMIT edited();
}

void FinetuneTaskImport::setSettings(const FinetuneSettings& s) {
  filling_ = true;
  taskBox_->setCurrentIndex(
      std::max(0, taskBox_->findData(QString::fromLatin1(finetuneTaskName(s.task)))));
  trainEdit_->setText(s.trainFile);
  devEdit_->setText(s.devFile);
  tagColumnBox_->setValue(s.tagColumn);
  labelNamesEdit_->setText(s.labelNames);
  refreshPreview();  // fills the column choices from the file
  setColumnValue(textABox_, s.textA);
  setColumnValue(textBBox_, s.textB);
  setColumnValue(labelBox_, s.label);
  filling_ = false;
  onTaskChosen();
}

void FinetuneTaskImport::applyTo(FinetuneSettings& s) const {
  s.task = task();
  s.trainFile = trainEdit_->text().trimmed();
  s.devFile = devEdit_->text().trimmed();
  s.textA = columnValue(textABox_);
  s.textB = columnValue(textBBox_);
  s.label = columnValue(labelBox_);
  s.tagColumn = tagColumnBox_->value();
  s.labelNames = labelNamesEdit_->text().trimmed();
}

bool FinetuneTaskImport::useDemoTask(const QString& name) {
  for (const DemoTask& demo : demoTasksIn(tasksFolder_)) {
    if (demo.name != name) continue;
    FinetuneSettings s;
    s.task = demo.task;
    s.trainFile = demo.trainFile;
    s.devFile = demo.devFile;
    const bool taskChanges = demo.task != task();
    setSettings(s);
    if (taskChanges) Q_EMIT taskChanged(demo.task);
    return true;
  }
  return false;
}

void FinetuneTaskImport::chooseFile(QLineEdit* field) {
  const QString start =
      field->text().isEmpty() ? tasksFolder_ : QFileInfo(field->text()).absolutePath();
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Task file"), start,
      tr("Task files (*.tsv *.csv *.txt *.conll *.json);;All files (*)"));
  if (path.isEmpty()) return;
  field->setText(path);
  onEdited();
}

void FinetuneTaskImport::fillColumnChoices(int columns, const QStringList& header) {
  const QString a = columnValue(textABox_), b = columnValue(textBBox_),
                label = columnValue(labelBox_);
  const bool wasFilling = filling_;
  filling_ = true;
  for (QComboBox* box : {textABox_, textBBox_, labelBox_}) box->clear();
  textBBox_->addItem(tr("(default)"), QString());
  textBBox_->addItem(tr("none"), QStringLiteral("none"));
  labelBox_->addItem(tr("(last column)"), QString());
  for (int i = 0; i < columns; ++i) {
    const QString text =
        i < header.size() ? QStringLiteral("%1 · %2").arg(i).arg(header[i]) : QString::number(i);
    for (QComboBox* box : {textABox_, textBBox_, labelBox_}) box->addItem(text, QString::number(i));
  }
  setColumnValue(textABox_, a.isEmpty() ? QStringLiteral("0") : a);
  setColumnValue(textBBox_, b);
  setColumnValue(labelBox_, label);
  filling_ = wasFilling;
}

void FinetuneTaskImport::refreshPreview() {
  preview_->clearRows();
  const QString path = trainEdit_->text().trimmed();
  preview_->setVisible(isDelimited());
  if (!isDelimited()) {
    previewNote_->setText(
        task() == FinetuneTask::Tag ? tr("CoNLL: one word per line, the tag in the chosen column, "
                                         "a blank line between sentences.")
        : task() == FinetuneTask::Qa
            ? tr("SQuAD v1.1 / v2.0 JSON: contexts with questions and answer offsets.")
            : tr("TSV/CSV with a header: context, ending0…endingN, label."));
    return;
  }
  if (path.isEmpty() || !QFileInfo::exists(path)) {
    previewNote_->setText(path.isEmpty() ? tr("Choose a training file to see its first rows.")
                                         : tr("No file at %1").arg(path));
    return;
  }
  FinetuneSettings s;
  applyTo(s);
  PreviewRows rows;
  try {
    rows = readPreviewRows(path, kPreviewRows, textReadOptionsFor(s.task, s.columns()));
  } catch (const std::exception& e) {
    previewNote_->setText(QString::fromStdString(e.what()));
    return;
  }
  const TablePreview& table = rows.table;
  QStringList header;
  for (const std::string& name : table.header) header << QString::fromStdString(name);
  fillColumnChoices(table.columns, header);
  applyTo(s);
  const int defaultB = s.task == FinetuneTask::Classify ? -1 : 1;
  preview_->showRows(rows, previewColumnOf(s.textA, header, table.columns, 0),
                     previewColumnOf(s.textB, header, table.columns, defaultB),
                     previewColumnOf(s.label, header, table.columns, table.columns - 1));
  markRejectedRows();
  previewNote_->setText(tr("%1-separated, %2; the first %3 rows, headed by their line in the file.")
                            .arg(table.delimiter == ',' ? tr("Comma") : tr("Tab"))
                            .arg(table.hasHeader ? tr("with a header row") : tr("no header row"))
                            .arg(table.rows.size()));
}

void FinetuneTaskImport::markRejectedRows() {
  QSet<qint64> lines;
  for (const TaskFileProblem& problem : checkView_->trainCheck().problems)
    if (problem.line > 0) lines.insert(problem.line);
  preview_->markProblemLines(lines);
}

void FinetuneTaskImport::scheduleCheck() {
  FinetuneSettings s;
  applyTo(s);
  checkView_->schedule(s);
}

bool FinetuneTaskImport::isChecking() const {
  return checkView_->isChecking();
}
bool FinetuneTaskImport::waitForCheck(int milliseconds) {
  return checkView_->waitForCheck(milliseconds);
}
QStringList FinetuneTaskImport::problemTexts() const {
  return checkView_->problemTexts();
}
QStringList FinetuneTaskImport::labels() const {
  return checkView_->labels();
}
qint64 FinetuneTaskImport::trainExamples() const {
  return checkView_->trainCheck().examples;
}
qint64 FinetuneTaskImport::devExamples() const {
  return checkView_->devCheck().examples;
}

}  // namespace bertwb::ui
