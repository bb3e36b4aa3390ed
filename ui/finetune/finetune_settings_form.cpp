#include "finetune/finetune_settings_form.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "shell/model_catalog.h"
#include "shell/workspace.h"
#include "widgets/precision_box.h"

namespace bertwb::ui {
namespace {

constexpr int kMaxBatch = 4096;
constexpr int kMaxEpochs = 100;
constexpr int kMinSeq = 8, kMaxSeq = 4096;
constexpr int kMaxEvalEvery = 1000000;
constexpr int kMaxExamples = 100000000;

QString rateText(double rate) {
  return QString::number(rate, 'g', 3);
}

}  // namespace

FinetuneSettingsForm::FinetuneSettingsForm(Workspace* workspace, QWidget* parent)
    : QWidget(parent), workspace_(workspace) {
  auto* startBox = new QGroupBox(tr("Start from"), this);
  pretrainedButton_ = new QRadioButton(tr("Checkpoint"), startBox);
  pretrainedButton_->setToolTip(
      tr("A pre-training run (or one of its checkpoints) of this workspace."));
  importedButton_ = new QRadioButton(tr("Imported"), startBox);
  importedButton_->setToolTip(
      tr("A Hugging Face BERT folder (config.json, model.safetensors, vocab.txt)."));
  randomButton_ =
      new QRadioButton(tr("Random initialisation (no pre-training, for comparison)"), startBox);
  randomButton_->setToolTip(
      tr("The workspace's model size with fresh random weights: what pre-training adds shows "
         "as the gap to a run from a checkpoint."));
  startGroup_ = new QButtonGroup(this);
  startGroup_->addButton(pretrainedButton_);
  startGroup_->addButton(importedButton_);
  startGroup_->addButton(randomButton_);
  checkpointBox_ = new QComboBox(startBox);
  checkpointBox_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  checkpointBox_->setMinimumContentsLength(14);
  importedEdit_ = new QLineEdit(startBox);
  importedEdit_->setPlaceholderText(tr("a Hugging Face model folder"));
  auto* browse = new QToolButton(startBox);
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(tr("Choose a Hugging Face model folder"));
  connect(browse, &QToolButton::clicked, this, &FinetuneSettingsForm::importFolder);
  auto* startLayout = new QGridLayout(startBox);
  startLayout->addWidget(pretrainedButton_, 0, 0);
  startLayout->addWidget(checkpointBox_, 0, 1, 1, 2);
  startLayout->addWidget(importedButton_, 1, 0);
  startLayout->addWidget(importedEdit_, 1, 1);
  startLayout->addWidget(browse, 1, 2);
  startLayout->addWidget(randomButton_, 2, 0, 1, 3);
  startLayout->setColumnStretch(1, 1);

  learningRateBox_ = new QComboBox(this);
  learningRateBox_->setEditable(true);
  for (double rate : kPaperFinetuningLearningRates) learningRateBox_->addItem(rateText(rate));
  learningRateBox_->setValidator(new QDoubleValidator(1e-8, 1.0, 10, learningRateBox_));
  learningRateBox_->setToolTip(
      tr("Peak learning rate (the paper tries 5e-5, 3e-5 and 2e-5; a model trained from "
         "random weights wants ~1e-3)."));
  batchBox_ = new QSpinBox(this);
  batchBox_->setRange(1, kMaxBatch);
  batchBox_->setToolTip(tr("Sequences per optimizer step (paper: 16 or 32)."));
  epochsBox_ = new QSpinBox(this);
  epochsBox_->setRange(1, kMaxEpochs);
  epochsBox_->setToolTip(tr("Passes over the training set (paper: 2, 3 or 4)."));
  maxSeqBox_ = new QSpinBox(this);
  maxSeqBox_->setRange(kMinSeq, kMaxSeq);
  maxSeqBox_->setToolTip(tr("Longest input in word pieces (128; 384 for question answering)."));
  warmupBox_ = new QDoubleSpinBox(this);
  warmupBox_->setRange(0, 1);
  warmupBox_->setSingleStep(0.05);
  warmupBox_->setDecimals(2);
  warmupBox_->setToolTip(
      tr("Share of the steps over which the learning rate rises from 0 (10% in the paper)."));
  evalEveryBox_ = new QSpinBox(this);
  evalEveryBox_->setRange(0, kMaxEvalEvery);
  evalEveryBox_->setSpecialValueText(tr("each epoch"));
  evalEveryBox_->setSuffix(tr(" steps"));
  evalEveryBox_->setToolTip(
      tr("Score the dev set every N steps (and at each epoch's end); the best score's model "
         "is kept."));
  maxExamplesBox_ = new QSpinBox(this);
  maxExamplesBox_->setRange(0, kMaxExamples);
  maxExamplesBox_->setSpecialValueText(tr("all"));
  maxExamplesBox_->setToolTip(
      tr("Train on the first N examples only: a quick look, or a learning curve."));
  frozenBox_ = new QCheckBox(tr("Frozen encoder (train the head only)"), this);
  frozenBox_->setToolTip(
      tr("The feature-based comparison of the paper (§5.3): BERT's weights stay as they are."));
  seedBox_ = new QSpinBox(this);
  seedBox_->setRange(0, 1 << 30);
  seedBox_->setToolTip(tr("Seeds the new head's weights, the data order and dropout."));

  precisionBox_ = new PrecisionBox(this);

  auto* hyper = new QGroupBox(tr("Hyper-parameters"), this);
  auto* form = new QFormLayout(hyper);
  form->addRow(tr("Learning rate"), learningRateBox_);
  form->addRow(tr("Batch size"), batchBox_);
  form->addRow(tr("Epochs"), epochsBox_);
  form->addRow(tr("Max sequence"), maxSeqBox_);
  form->addRow(tr("Warm-up"), warmupBox_);
  form->addRow(tr("Evaluate"), evalEveryBox_);
  form->addRow(tr("Training examples"), maxExamplesBox_);
  form->addRow(tr("Seed"), seedBox_);
  form->addRow(tr("Precision"), precisionBox_);
  form->addRow(frozenBox_);
  auto* defaultsButton = new QPushButton(tr("Defaults for this model"), this);
  defaultsButton->setToolTip(
      tr("Learning rate, epochs and the rest as the recipe gives them for the model this run "
         "starts from: the paper's for BERT-Base and wider, measured values for narrow models."));
  connect(defaultsButton, &QPushButton::clicked, this, &FinetuneSettingsForm::defaultsRequested);
  defaultsSource_ = new QLabel(this);
  defaultsSource_->setWordWrap(true);
  form->addRow(defaultsButton);
  form->addRow(defaultsSource_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(startBox);
  layout->addWidget(hyper);

  auto changed = [this] {
    updateEnabled();
    if (!filling_) Q_EMIT edited();
  };
  connect(startGroup_, &QButtonGroup::buttonToggled, this, changed);
  connect(checkpointBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, changed);
  connect(importedEdit_, &QLineEdit::textEdited, this, changed);
  connect(learningRateBox_, &QComboBox::currentTextChanged, this, changed);
  connect(precisionBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, changed);
  for (QSpinBox* box :
       {batchBox_, epochsBox_, maxSeqBox_, evalEveryBox_, maxExamplesBox_, seedBox_})
    connect(box, qOverload<int>(&QSpinBox::valueChanged), this, changed);
  connect(warmupBox_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, changed);
  connect(frozenBox_, &QCheckBox::toggled, this, changed);
  refreshCheckpoints();
}

void FinetuneSettingsForm::refreshCheckpoints() {
  const QString current = checkpointBox_->currentData().toString();
  const bool wasFilling = filling_;
  filling_ = true;
  checkpointBox_->clear();
  for (const CatalogModel& model : listWorkspaceModels(*workspace_)) {
    // Pre-training runs and their checkpoints; imported folders have their own row.
    if (model.origin != CatalogModel::Origin::Pretrained) continue;
    checkpointBox_->addItem(model.name, model.folder);
    checkpointBox_->setItemData(checkpointBox_->count() - 1, model.folder, Qt::ToolTipRole);
  }
  if (checkpointBox_->count() == 0)
    checkpointBox_->addItem(tr("(no checkpoint yet: pre-train first)"), QString());
  const int index = checkpointBox_->findData(current);
  if (index >= 0) checkpointBox_->setCurrentIndex(index);
  filling_ = wasFilling;
  updateEnabled();
}

int FinetuneSettingsForm::checkpointCount() const {
  int count = 0;
  for (int i = 0; i < checkpointBox_->count(); ++i)
    count += checkpointBox_->itemData(i).toString().isEmpty() ? 0 : 1;
  return count;
}

void FinetuneSettingsForm::importFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Hugging Face model folder"),
                                                           importedEdit_->text());
  if (folder.isEmpty()) return;
  if (!isModelFolder(folder)) {
    QMessageBox::warning(
        this, tr("Not a model folder"),
        tr("%1 holds no config.json with model weights (model.safetensors).").arg(folder));
    return;
  }
  rememberImportedModel(*workspace_, folder);
  importedEdit_->setText(folder);
  importedButton_->setChecked(true);
  Q_EMIT edited();
}

void FinetuneSettingsForm::updateEnabled() {
  checkpointBox_->setEnabled(pretrainedButton_->isChecked());
  importedEdit_->setEnabled(importedButton_->isChecked());
}

void FinetuneSettingsForm::setDefaultsSource(const QString& source) {
  defaultsSource_->setText(source.isEmpty() ? QString() : tr("Defaults: %1.").arg(source));
}

QString FinetuneSettingsForm::startFolder() const {
  FinetuneSettings settings;
  applyTo(settings);
  return settings.start == FinetuneStart::Random ? QString() : settings.startFolder;
}

void FinetuneSettingsForm::setSettings(const FinetuneSettings& s) {
  filling_ = true;
  pretrainedButton_->setChecked(s.start == FinetuneStart::Pretrained);
  importedButton_->setChecked(s.start == FinetuneStart::Imported);
  randomButton_->setChecked(s.start == FinetuneStart::Random);
  if (s.start == FinetuneStart::Pretrained) {
    const int index = checkpointBox_->findData(s.startFolder);
    if (index >= 0) checkpointBox_->setCurrentIndex(index);
  }
  if (s.start == FinetuneStart::Imported) importedEdit_->setText(s.startFolder);
  learningRateBox_->setEditText(rateText(s.learningRate));
  batchBox_->setValue(s.batchSize);
  epochsBox_->setValue(s.epochs);
  maxSeqBox_->setValue(s.maxSeqLength);
  warmupBox_->setValue(s.warmupFraction);
  evalEveryBox_->setValue(s.evalEvery);
  maxExamplesBox_->setValue(s.maxTrainExamples);
  frozenBox_->setChecked(s.frozenEncoder);
  seedBox_->setValue(static_cast<int>(s.seed));
  precisionBox_->setPrecision(s.precision);
  filling_ = false;
  updateEnabled();
}

void FinetuneSettingsForm::applyTo(FinetuneSettings& s) const {
  s.start = randomButton_->isChecked()     ? FinetuneStart::Random
            : importedButton_->isChecked() ? FinetuneStart::Imported
                                           : FinetuneStart::Pretrained;
  s.startFolder = s.start == FinetuneStart::Imported     ? importedEdit_->text().trimmed()
                  : s.start == FinetuneStart::Pretrained ? checkpointBox_->currentData().toString()
                                                         : QString();
  bool ok = false;
  const double rate = learningRateBox_->currentText().toDouble(&ok);
  if (ok && rate > 0) s.learningRate = rate;
  s.batchSize = batchBox_->value();
  s.epochs = epochsBox_->value();
  s.maxSeqLength = maxSeqBox_->value();
  s.warmupFraction = warmupBox_->value();
  s.evalEvery = evalEveryBox_->value();
  s.maxTrainExamples = maxExamplesBox_->value();
  s.frozenEncoder = frozenBox_->isChecked();
  s.seed = seedBox_->value();
  s.precision = precisionBox_->precision();
}

}  // namespace bertwb::ui
