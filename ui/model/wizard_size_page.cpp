#include "model/wizard_size_page.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include "model/model_cost_panel.h"
#include "model/presets.h"
#include "util/error.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

const QString kCustomPreset = QStringLiteral("custom");
// The paper's feed-forward width is 4H (§3: "the feed-forward/filter size to be 4H").
constexpr int kFeedForwardRatio = 4;
// Upper bounds for the knobs: far beyond anything a workbench trains, low enough that the
// estimates cannot overflow.
constexpr int kMaxLayers = 128;
constexpr int kMaxHidden = 16384;
constexpr int kMaxHeads = 256;
constexpr int kMaxIntermediate = 65536;
constexpr int kMaxPositions = 65536;
// Dropout must stay below 1 (core's configProblems); 0.9 already destroys any signal.
constexpr double kMaxDropout = 0.9;
constexpr double kDropoutStep = 0.05;
constexpr int kDropoutDecimals = 2;

QSpinBox* makeSpinBox(QWidget* parent, const char* name, int maximum, const QString& toolTip) {
  auto* box = new QSpinBox(parent);
  box->setObjectName(QLatin1String(name));
  box->setRange(1, maximum);
  box->setGroupSeparatorShown(true);
  box->setToolTip(toolTip);
  return box;
}

QDoubleSpinBox* makeDropoutBox(QWidget* parent, const char* name, const QString& toolTip) {
  auto* box = new QDoubleSpinBox(parent);
  box->setObjectName(QLatin1String(name));
  box->setRange(0.0, kMaxDropout);
  box->setSingleStep(kDropoutStep);
  box->setDecimals(kDropoutDecimals);
  box->setToolTip(toolTip);
  return box;
}

}  // namespace

WizardSizePage::WizardSizePage(const BertConfig& initial, const QString& presetName,
                               QWidget* parent)
    : QWizardPage(parent), base_(initial) {
  setTitle(tr("Model size"));
  setSubTitle(
      tr("Pick a published size or set your own. Hover over any knob to learn what it does "
         "and what the paper used."));
  buildKnobs();

  layersBox_->setValue(initial.num_hidden_layers);
  hiddenBox_->setValue(initial.hidden_size);
  headsBox_->setValue(initial.num_attention_heads);
  intermediateBox_->setValue(initial.intermediate_size);
  positionsBox_->setValue(initial.max_position_embeddings);
  hiddenDropoutBox_->setValue(initial.hidden_dropout_prob);
  attentionDropoutBox_->setValue(initial.attention_probs_dropout_prob);
  const int activation = activationBox_->findData(fromStd(initial.hidden_act));
  if (activation >= 0) activationBox_->setCurrentIndex(activation);
  previousHidden_ = initial.hidden_size;
  if (presetName == kCustomPreset || !setPreset(presetName)) selectMatchingPreset();

  for (QSpinBox* box : {layersBox_, hiddenBox_, headsBox_, intermediateBox_, positionsBox_})
    connect(box, &QSpinBox::valueChanged, this, &WizardSizePage::onKnobChanged);
  for (QDoubleSpinBox* box : {hiddenDropoutBox_, attentionDropoutBox_})
    connect(box, &QDoubleSpinBox::valueChanged, this, &WizardSizePage::onKnobChanged);
  connect(activationBox_, &QComboBox::currentIndexChanged, this, &WizardSizePage::onKnobChanged);
  connect(presetBox_, &QComboBox::currentIndexChanged, this, [this] {
    if (applyingPreset_) return;
    const QString name = presetBox_->currentData().toString();
    if (name != kCustomPreset) setPreset(name);
  });
  onKnobChanged();
}

void WizardSizePage::buildKnobs() {
  presetBox_ = new QComboBox(this);
  presetBox_->setObjectName(QStringLiteral("preset"));
  presetBox_->addItem(tr("Custom"), kCustomPreset);
  for (const ModelPreset& preset : modelPresets())
    presetBox_->addItem(fromStd(preset.display), fromStd(preset.name));
  presetBox_->setToolTip(
      tr("Start from a published size: Google's 24 small BERTs (Turc et al. 2019: L = 2–12, "
         "H = 128–768, A = H/64, I = 4H), BERT-Base (110M parameters) or BERT-Large (340M). "
         "Editing a knob below turns it into Custom."));

  layersBox_ = makeSpinBox(
      this, "layers", kMaxLayers,
      tr("Layers L: Transformer blocks stacked on top of each other; each adds about 12·H² "
         "parameters and as much compute. BERT-Base 12, Large 24, Tiny 2."));
  hiddenBox_ = makeSpinBox(
      this, "hiddenSize", kMaxHidden,
      tr("Hidden size H: width of every token vector. BERT-Base 768, Large 1024, Tiny 128. "
         "Must be divisible by the number of heads A."));
  headsBox_ = makeSpinBox(
      this, "heads", kMaxHeads,
      tr("Attention heads A: how many separate attention patterns each layer learns, each "
         "H/A wide. BERT-Base 12, Large 16 (64 per head in both)."));
  intermediateBox_ = makeSpinBox(
      this, "intermediateSize", kMaxIntermediate,
      tr("Intermediate size I: width of the feed-forward layer inside every block. The paper "
         "uses 4H: Base 3072, Large 4096. It follows 4H when you change H, unless you set it "
         "to something else."));
  positionsBox_ = makeSpinBox(
      this, "maxPositions", kMaxPositions,
      tr("Max positions: the longest sequence the learned position table covers. BERT 512; "
         "longer texts must be cut or split into windows."));
  hiddenDropoutBox_ = makeDropoutBox(
      this, "hiddenDropout",
      tr("Hidden dropout: share of activations zeroed at random during training (embeddings, "
         "attention output, feed-forward output). BERT 0.1 (paper §A.2); 0 turns it off."));
  attentionDropoutBox_ = makeDropoutBox(
      this, "attentionDropout",
      tr("Attention dropout: share of attention probabilities zeroed at random during training. "
         "BERT 0.1."));
  activationBox_ = new QComboBox(this);
  activationBox_->setObjectName(QStringLiteral("activation"));
  activationBox_->addItem(tr("gelu (exact, Hugging Face)"), QStringLiteral("gelu"));
  activationBox_->addItem(tr("gelu_new (tanh, original BERT)"), QStringLiteral("gelu_new"));
  activationBox_->addItem(tr("relu"), QStringLiteral("relu"));
  activationBox_->setToolTip(
      tr("Feed-forward activation. gelu: the exact erf form (Hugging Face's \"gelu\"); "
         "gelu_new: the tanh approximation the original TensorFlow BERT used; relu: the original "
         "Transformer's. Outputs differ by ~1e-3, enough to matter when loading checkpoints."));

  validationLabel_ = new QLabel(this);
  validationLabel_->setObjectName(QStringLiteral("validation"));
  validationLabel_->setWordWrap(true);
  validationLabel_->setStyleSheet(QStringLiteral("QLabel { color: #b00020; font-weight: bold; }"));

  // Two columns of knobs: shape on the left, regularisation and limits on the right.
  auto* shapeForm = new QFormLayout;
  shapeForm->addRow(tr("Layers L:"), layersBox_);
  shapeForm->addRow(tr("Hidden size H:"), hiddenBox_);
  shapeForm->addRow(tr("Attention heads A:"), headsBox_);
  shapeForm->addRow(tr("Intermediate size I:"), intermediateBox_);
  auto* otherForm = new QFormLayout;
  otherForm->addRow(tr("Max positions:"), positionsBox_);
  otherForm->addRow(tr("Hidden dropout:"), hiddenDropoutBox_);
  otherForm->addRow(tr("Attention dropout:"), attentionDropoutBox_);
  otherForm->addRow(tr("Activation:"), activationBox_);
  auto* columns = new QHBoxLayout;
  columns->addLayout(shapeForm, 1);
  columns->addSpacing(24);
  columns->addLayout(otherForm, 1);

  auto* presetForm = new QFormLayout;
  presetForm->addRow(tr("Preset:"), presetBox_);

  costPanel_ = new ModelCostPanel(this);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(presetForm);
  layout->addLayout(columns);
  layout->addWidget(validationLabel_);
  layout->addWidget(costPanel_);
  layout->addStretch(1);
}

BertConfig WizardSizePage::config() const {
  BertConfig c = base_;
  c.num_hidden_layers = layersBox_->value();
  c.hidden_size = hiddenBox_->value();
  c.num_attention_heads = headsBox_->value();
  c.intermediate_size = intermediateBox_->value();
  c.max_position_embeddings = positionsBox_->value();
  c.hidden_dropout_prob = hiddenDropoutBox_->value();
  c.attention_probs_dropout_prob = attentionDropoutBox_->value();
  c.hidden_act = activationBox_->currentData().toString().toStdString();
  return c;
}

QString WizardSizePage::presetName() const {
  return presetBox_->currentData().toString();
}

bool WizardSizePage::setPreset(const QString& presetName) {
  const ModelPreset* preset = nullptr;
  try {
    preset = &findPreset(presetName.toStdString());
  } catch (const Error&) {
    return false;  // an unknown name (a workspace from a newer version, a typo in a test)
  }
  applyingPreset_ = true;
  presetBox_->setCurrentIndex(presetBox_->findData(fromStd(preset->name)));
  layersBox_->setValue(preset->layers);
  hiddenBox_->setValue(preset->hidden);
  headsBox_->setValue(preset->heads);
  intermediateBox_->setValue(kFeedForwardRatio * preset->hidden);
  applyingPreset_ = false;
  onKnobChanged();
  return true;
}

void WizardSizePage::setVocabSize(int vocabSize) {
  base_.vocab_size = vocabSize;
  onKnobChanged();
}

QString WizardSizePage::validationMessage() const {
  QStringList lines;
  for (const std::string& problem : configProblems(config())) lines << fromStd(problem);
  return lines.join('\n');
}

bool WizardSizePage::isComplete() const {
  return configProblems(config()).empty();
}

void WizardSizePage::onKnobChanged() {
  if (applyingPreset_) return;  // setPreset calls once, after all four knobs are set
  // Keep I = 4H while the user has not chosen another ratio.
  const int hidden = hiddenBox_->value();
  if (hidden != previousHidden_ &&
      intermediateBox_->value() == kFeedForwardRatio * previousHidden_) {
    const QSignalBlocker quiet(intermediateBox_);
    intermediateBox_->setValue(kFeedForwardRatio * hidden);
  }
  previousHidden_ = hidden;
  selectMatchingPreset();

  const QString problems = validationMessage();
  if (problems.isEmpty()) {
    validationLabel_->hide();
    costPanel_->setConfig(config());
  } else {
    validationLabel_->setText(tr("Cannot build this model: %1").arg(problems));
    validationLabel_->show();
    costPanel_->showInvalid();
  }
  Q_EMIT completeChanged();
  Q_EMIT configChanged();
}

void WizardSizePage::selectMatchingPreset() {
  int match = presetBox_->findData(kCustomPreset);
  for (const ModelPreset& preset : modelPresets()) {
    if (preset.layers == layersBox_->value() && preset.hidden == hiddenBox_->value() &&
        preset.heads == headsBox_->value() &&
        kFeedForwardRatio * preset.hidden == intermediateBox_->value()) {
      match = presetBox_->findData(fromStd(preset.name));
      break;
    }
  }
  const QSignalBlocker quiet(presetBox_);
  presetBox_->setCurrentIndex(match);
}

}  // namespace bertwb::ui
