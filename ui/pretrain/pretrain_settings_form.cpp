#include "pretrain/pretrain_settings_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <limits>

#include "widgets/precision_box.h"

namespace bertwb::ui {
namespace {

constexpr int kMaxSteps = 10'000'000;  // ten times the paper's million steps
constexpr int kMaxBatch = 4096;
constexpr int kMinSeqLength = 8;  // [CLS] A [SEP] B [SEP] with room for a few words
constexpr int kMaxAccumulate = 1024;
constexpr int kMaxEvery = 1'000'000;
constexpr double kMinLearningRate = 1e-7, kMaxLearningRate = 1.0;
constexpr int kLearningRateDecimals = 10;
constexpr int kDefaultPositions = 512;  // BERT's max_position_embeddings

}  // namespace

PretrainSettingsForm::PretrainSettingsForm(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

  runName_ = new QLineEdit(this);
  runName_->setPlaceholderText(tr("run-YYYYMMDD-HHMMSS"));
  runName_->setToolTip(
      tr("The run's folder under the workspace's runs/ (checkpoints, metrics.jsonl, the final "
         "model). Empty: named after the start time."));
  form->addRow(tr("Run name:"), runName_);

  steps_ = addSpinBox(
      1, kMaxSteps,
      tr("Optimizer steps. The paper trains 1,000,000 steps of 256 sequences (about 40 passes over "
         "3.3 billion words); a few hundred steps already show a small model learning."));
  form->addRow(tr("Steps:"), steps_);
  batchSize_ = addSpinBox(
      1, kMaxBatch,
      tr("Sequences per micro-batch. The paper: 256 sequences (128,000 tokens). Larger batches "
         "give smoother gradients but cost memory and time per step."));
  form->addRow(tr("Batch size:"), batchSize_);
  maxSeqLength_ = addSpinBox(
      kMinSeqLength, kDefaultPositions,
      tr("Longest instance, in tokens ([CLS] A [SEP] B [SEP]). The paper uses 128 tokens for "
         "90% of the steps and 512 for the last 10%: attention costs grow with the square "
         "of the length, and long positions are rare."));
  form->addRow(tr("Max sequence length:"), maxSeqLength_);

  learningRate_ = new QLineEdit(this);
  auto* validator = new QDoubleValidator(kMinLearningRate, kMaxLearningRate, kLearningRateDecimals,
                                         learningRate_);
  validator->setNotation(QDoubleValidator::ScientificNotation);
  validator->setLocale(QLocale::c());
  learningRate_->setValidator(validator);
  learningRate_->setToolTip(
      tr("Peak learning rate of Adam with weight decay (β₁ 0.9, β₂ 0.999, weight decay "
         "0.01, not on biases or LayerNorm). The paper: 1e-4 for Base and Large. Small "
         "models tolerate larger rates (the demo uses 2e-3 for Tiny); too large and the "
         "loss jumps or becomes NaN."));
  form->addRow(tr("Learning rate:"), learningRate_);
  connect(learningRate_, &QLineEdit::textEdited, this, &PretrainSettingsForm::edited);

  warmup_ = addSpinBox(
      0, kMaxSteps,
      tr("Steps over which the learning rate rises linearly from 0 to the peak. The paper: 10,000 "
         "of 1,000,000 steps (1%). Warm-up keeps Adam's first, badly estimated updates small."));
  form->addRow(tr("Warm-up steps:"), warmup_);

  schedule_ = new QComboBox(this);
  schedule_->addItem(tr("linear decay to 0"), QStringLiteral("linear"));
  schedule_->addItem(tr("cosine decay to 0"), QStringLiteral("cosine"));
  schedule_->addItem(tr("constant"), QStringLiteral("constant"));
  schedule_->setToolTip(
      tr("What the learning rate does after warm-up. The paper: linear decay to 0 at the last "
         "step. Cosine decays more slowly at first; constant never decays."));
  form->addRow(tr("Schedule:"), schedule_);

  precision_ = new PrecisionBox(this);
  form->addRow(tr("Precision:"), precision_);
  connect(precision_, &QComboBox::currentIndexChanged, this, &PretrainSettingsForm::edited);
  connect(schedule_, &QComboBox::currentIndexChanged, this, &PretrainSettingsForm::edited);

  accumulate_ = addSpinBox(
      1, kMaxAccumulate,
      tr("Micro-batches whose gradients are summed before one optimizer step: the effective "
         "batch is batch size × this. Reaches the paper's 256 sequences on a small machine, "
         "at the paper's cost in time."));
  form->addRow(tr("Accumulate:"), accumulate_);
  seed_ = addSpinBox(
      0, std::numeric_limits<int>::max(),
      tr("Seeds the initial weights, the instances (pairs and masks) and dropout: the same seed "
         "gives the same run. The original scripts use 12345."));
  form->addRow(tr("Seed:"), seed_);
  saveEvery_ = addSpinBox(
      0, kMaxEvery,
      tr("A checkpoint every N steps (the last two are kept), so a crash loses little and a "
         "run can be resumed. 0: only at the end and when you press Stop."));
  saveEvery_->setSpecialValueText(tr("end and Stop only"));
  form->addRow(tr("Save every:"), saveEvery_);
  logEvery_ = addSpinBox(
      1, kMaxEvery,
      tr("A chart point (and a metrics.jsonl line) every N steps: the average since the last."));
  form->addRow(tr("Log every:"), logEvery_);
  probeEvery_ = addSpinBox(
      0, kMaxEvery,
      tr("Run the probe sentences through the model every N steps. Each probe costs about "
         "one small forward pass."));
  probeEvery_->setSpecialValueText(tr("never"));
  form->addRow(tr("Probe every:"), probeEvery_);

  nsp_ = new QCheckBox(tr("Next-sentence prediction"), this);
  nsp_->setToolTip(
      tr("Train the second task too: is sentence B the real continuation of A (50%) or a random "
         "sentence? The paper's ablation (Table 5) found removing it hurts QNLI, MNLI and SQuAD; "
         "RoBERTa later found it unnecessary with longer inputs. Off: masked LM only."));
  form->addRow(QString(), nsp_);
  connect(nsp_, &QCheckBox::toggled, this, &PretrainSettingsForm::edited);
  connect(runName_, &QLineEdit::textEdited, this, &PretrainSettingsForm::edited);
}

QSpinBox* PretrainSettingsForm::addSpinBox(int minimum, int maximum, const QString& tooltip) {
  auto* box = new QSpinBox(this);
  box->setRange(minimum, maximum);
  box->setGroupSeparatorShown(true);
  box->setToolTip(tooltip);
  connect(box, &QSpinBox::valueChanged, this, &PretrainSettingsForm::edited);
  return box;
}

void PretrainSettingsForm::setMaxSequenceLimit(int positions) {
  maxSeqLength_->setMaximum(positions);
}

void PretrainSettingsForm::setSettings(const PretrainSettings& s) {
  const QSignalBlocker block(this);
  base_ = s;
  runName_->setText(s.runName);
  steps_->setValue(static_cast<int>(s.steps));
  batchSize_->setValue(s.batchSize);
  maxSeqLength_->setValue(s.maxSeqLength);
  learningRate_->setText(QString::number(s.learningRate, 'g'));
  warmup_->setValue(static_cast<int>(s.warmupSteps));
  const int scheduleIndex = schedule_->findData(QString::fromStdString(s.schedule));
  schedule_->setCurrentIndex(scheduleIndex >= 0 ? scheduleIndex : 0);
  accumulate_->setValue(s.accumulate);
  precision_->setPrecision(s.precision);
  seed_->setValue(static_cast<int>(s.seed));
  saveEvery_->setValue(static_cast<int>(s.saveEvery));
  nsp_->setChecked(s.nsp);
  logEvery_->setValue(static_cast<int>(s.logEvery));
  probeEvery_->setValue(static_cast<int>(s.probeEvery));
}

PretrainSettings PretrainSettingsForm::settings() const {
  PretrainSettings s = base_;
  s.runName = runName_->text().trimmed();
  s.steps = steps_->value();
  s.batchSize = batchSize_->value();
  s.maxSeqLength = maxSeqLength_->value();
  bool ok = false;
  const double rate = QLocale::c().toDouble(learningRate_->text(), &ok);
  if (ok && rate > 0) s.learningRate = rate;  // a half-typed number keeps the last good one
  s.warmupSteps = warmup_->value();
  s.schedule = schedule_->currentData().toString().toStdString();
  s.accumulate = accumulate_->value();
  s.precision = precision_->precision();
  s.seed = static_cast<quint64>(seed_->value());
  s.saveEvery = saveEvery_->value();
  s.nsp = nsp_->isChecked();
  s.logEvery = logEvery_->value();
  s.probeEvery = probeEvery_->value();
  return s;
}

}  // namespace bertwb::ui
