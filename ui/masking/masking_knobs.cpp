#include "masking/masking_knobs.h"
#include "widgets/display_units.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace bertwb::ui {
namespace {

// Ranges: wide enough to experiment (the paper's Table 8 tries 0–100% mixes), narrow enough
// that every setting still yields instances. 8 tokens: [CLS] A [SEP] B [SEP] with room for text.
constexpr int kShortestSequence = 8;
constexpr int kLongestSequence = 512;  // BERT's position embeddings
constexpr int kMostPredictions = 512;
constexpr double kSmallestMaskPercent = 1.0;

const char* const kMaskedLmProbKey = "maskedLmProb";
const char* const kMaskShareKey = "maskTokenShare";
const char* const kRandomShareKey = "randomTokenShare";
const char* const kWholeWordKey = "wholeWordMask";
const char* const kMaxPredictionsKey = "maxPredictionsPerSeq";
const char* const kMaxSeqLengthKey = "maxSeqLength";
const char* const kShortSeqProbKey = "shortSeqProb";

QDoubleSpinBox* percentBox(QWidget* parent, double minimum) {
  auto* box = new QDoubleSpinBox(parent);
  box->setRange(minimum, kPercent);
  box->setDecimals(0);
  box->setSuffix(QStringLiteral(" %"));
  return box;
}

QString key(const char* name) {
  return QString::fromLatin1(name);
}

}  // namespace

MaskingKnobs::MaskingKnobs(QWidget* parent) : QWidget(parent) {
  maskProbability_ = percentBox(this, kSmallestMaskPercent);
  maskProbability_->setToolTip(
      tr("<b>Mask probability</b> (masked_lm_prob): the share of positions the model must predict. "
         "Exactly round(length × this) positions are chosen, never [CLS] or [SEP]. "
         "Too few: little to learn per sequence; too many: too little context left.<br><i>Paper: "
         "15%.</i>"));
  maskShare_ = percentBox(this, 0);
  maskShare_->setToolTip(
      tr("<b>→ [MASK]</b>: of the chosen positions, the share replaced by the [MASK] token. "
         "[MASK] never appears when the model is fine-tuned, so not every chosen position gets it."
         "<br><i>Paper: 80%.</i>"));
  randomShare_ = percentBox(this, 0);
  randomShare_->setToolTip(tr(
      "<b>→ random token</b>: the share of chosen positions replaced by a random vocabulary token. "
      "The model cannot tell which visible words are wrong, so it must keep a good representation "
      "of "
      "every word.<br><i>Paper: 10%.</i>"));
  keptShare_ = new QLabel(this);
  keptShare_->setToolTip(tr(
      "<b>kept</b>: the rest of the chosen positions stay unchanged but are still predicted, which "
      "pulls the representation towards the word actually there.<br><i>Paper: 10%.</i>"));
  wholeWord_ = new QCheckBox(tr("Whole-word masking"), this);
  wholeWord_->setToolTip(
      tr("Choose whole words: a word's ##pieces are chosen together with its first piece, so the "
         "model "
         "cannot guess “##ing” from the visible “play”.<br><i>Off in the paper; Google's later "
         "“whole word masking” models turned it on.</i>"));
  maxPredictions_ = new QSpinBox(this);
  maxPredictions_->setRange(1, kMostPredictions);
  maxPredictions_->setToolTip(tr(
      "<b>Max predictions</b> (max_predictions_per_seq): a cap on chosen positions per sequence, "
      "so the MLM output has a fixed size. At 128 tokens and 15%, round(19.2) = 19 fits under it."
      "<br><i>Paper: 20 (for max_seq_length 128).</i>"));
  sequenceLength_ = new QSpinBox(this);
  sequenceLength_->setRange(kShortestSequence, kLongestSequence);
  sequenceLength_->setSuffix(tr(" tokens"));
  sequenceLength_->setToolTip(tr(
      "<b>Sequence length</b> (max_seq_length): [CLS] A [SEP] B [SEP] in all. Sentences are packed "
      "until this is full; the longer of A and B is trimmed to fit.<br><i>Paper: 128 for 90% of "
      "the "
      "steps, then 512.</i>"));
  shortSequenceProbability_ = percentBox(this, 0);
  shortSequenceProbability_->setToolTip(tr(
      "<b>Short-sequence probability</b> (short_seq_prob): how often an instance aims at a random, "
      "shorter length instead of the full one, so the model also sees the short inputs it will get "
      "when fine-tuned.<br><i>Paper: 10%.</i>"));
  paperDefaults_ = new QPushButton(tr("Paper defaults"), this);
  paperDefaults_->setToolTip(
      tr("15% chosen, 80/10/10, max predictions 20, short 10%, no whole-word masking. The sequence "
         "length stays as it is (the paper: 128)."));

  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("Mask probability:"), maskProbability_);
  form->addRow(tr("→ [MASK]:"), maskShare_);
  form->addRow(tr("→ random token:"), randomShare_);
  form->addRow(tr("kept unchanged:"), keptShare_);
  form->addRow(wholeWord_);
  form->addRow(tr("Max predictions:"), maxPredictions_);
  form->addRow(tr("Sequence length:"), sequenceLength_);
  form->addRow(tr("Short-sequence prob.:"), shortSequenceProbability_);
  form->addRow(paperDefaults_);

  setOptions(PretrainingDataOptions{});
  auto notify = [this] {
    updateKeptShare();
    if (!settingOptions_) Q_EMIT changed();
  };
  for (QDoubleSpinBox* box :
       {maskProbability_, maskShare_, randomShare_, shortSequenceProbability_})
    connect(box, &QDoubleSpinBox::valueChanged, this, notify);
  for (QSpinBox* box : {maxPredictions_, sequenceLength_})
    connect(box, &QSpinBox::valueChanged, this, notify);
  connect(wholeWord_, &QCheckBox::toggled, this, notify);
  connect(paperDefaults_, &QPushButton::clicked, this, [this] {
    PretrainingDataOptions paper;
    // Not masking: the sequence length is also the run's cost (the demo's measured 64), and
    // the dupe factor and dynamic masking have no knob here. They stay as the recipe has them.
    paper.maxSeqLength = shown_.maxSeqLength;
    paper.dupeFactor = shown_.dupeFactor;
    paper.dynamicMasking = shown_.dynamicMasking;
    setOptions(paper);
  });
}

void MaskingKnobs::updateKeptShare() {
  // The three shares add up to 100%: the random share may take only what [MASK] left.
  randomShare_->setMaximum(kPercent - maskShare_->value());
  keptShare_->setText(QStringLiteral("%1 %").arg(
      kPercent - maskShare_->value() - randomShare_->value(), 0, 'f', 0));
}

PretrainingDataOptions MaskingKnobs::options() const {
  PretrainingDataOptions o = shown_;  // what the knobs do not show (dupe factor, dynamic) stays
  o.maskedLmProb = maskProbability_->value() / kPercent;
  o.maskTokenShare = maskShare_->value() / kPercent;
  o.randomTokenShare = randomShare_->value() / kPercent;
  o.wholeWordMask = wholeWord_->isChecked();
  o.maxPredictionsPerSeq = maxPredictions_->value();
  o.maxSeqLength = sequenceLength_->value();
  o.shortSeqProb = shortSequenceProbability_->value() / kPercent;
  return o;
}

void MaskingKnobs::setOptions(const PretrainingDataOptions& o) {
  settingOptions_ = true;
  shown_ = o;
  maskProbability_->setValue(o.maskedLmProb * kPercent);
  maskShare_->setValue(o.maskTokenShare * kPercent);
  randomShare_->setMaximum(kPercent);  // so the next line is not clamped by the old [MASK] share
  randomShare_->setValue(o.randomTokenShare * kPercent);
  wholeWord_->setChecked(o.wholeWordMask);
  maxPredictions_->setValue(o.maxPredictionsPerSeq);
  sequenceLength_->setValue(o.maxSeqLength);
  shortSequenceProbability_->setValue(o.shortSeqProb * kPercent);
  updateKeptShare();
  settingOptions_ = false;
  Q_EMIT changed();
}

QJsonObject MaskingKnobs::toJson() const {
  const PretrainingDataOptions o = options();
  QJsonObject json;
  json[key(kMaskedLmProbKey)] = o.maskedLmProb;
  json[key(kMaskShareKey)] = o.maskTokenShare;
  json[key(kRandomShareKey)] = o.randomTokenShare;
  json[key(kWholeWordKey)] = o.wholeWordMask;
  json[key(kMaxPredictionsKey)] = o.maxPredictionsPerSeq;
  json[key(kMaxSeqLengthKey)] = o.maxSeqLength;
  json[key(kShortSeqProbKey)] = o.shortSeqProb;
  return json;
}

void MaskingKnobs::fromJson(const QJsonObject& json) {
  PretrainingDataOptions o;
  o.maskedLmProb = json.value(key(kMaskedLmProbKey)).toDouble(o.maskedLmProb);
  o.maskTokenShare = json.value(key(kMaskShareKey)).toDouble(o.maskTokenShare);
  o.randomTokenShare = json.value(key(kRandomShareKey)).toDouble(o.randomTokenShare);
  o.wholeWordMask = json.value(key(kWholeWordKey)).toBool(o.wholeWordMask);
  o.maxPredictionsPerSeq = json.value(key(kMaxPredictionsKey)).toInt(o.maxPredictionsPerSeq);
  o.maxSeqLength = json.value(key(kMaxSeqLengthKey)).toInt(o.maxSeqLength);
  o.shortSeqProb = json.value(key(kShortSeqProbKey)).toDouble(o.shortSeqProb);
  setOptions(o);  // the spin boxes clamp values out of range
}

}  // namespace bertwb::ui
