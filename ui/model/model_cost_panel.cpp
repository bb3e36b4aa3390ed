#include "model/model_cost_panel.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>

#include "model/model_cost_estimator.h"
#include "util/format.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

// The paper's pre-training shape for 90% of the steps (§A.2: batch 256 at length 128); the
// default batch is smaller because a CPU workbench rarely fits 256.
constexpr int kDefaultBatch = 32;
constexpr int kDefaultSequence = 128;
constexpr int kMaxBatch = 65536;

QString count(int64_t value) {
  return fromStd(formatCount(value));
}
QString bytes(int64_t value) {
  return fromStd(formatBytes(static_cast<double>(value)));
}

// One row: the part, its exact count and its share of the whole pre-training model.
QString tableRow(const QString& name, int64_t value, int64_t total, bool bold = false) {
  const QString open = bold ? QStringLiteral("<b>") : QString();
  const QString close = bold ? QStringLiteral("</b>") : QString();
  const QString share =
      QString::number(kPercent * static_cast<double>(value) / static_cast<double>(total), 'f', 1);
  return QStringLiteral(
             "<tr><td>%1%2%3</td><td align=right>&nbsp;&nbsp;%1%4%3</td>"
             "<td align=right>&nbsp;&nbsp;%5%</td></tr>")
      .arg(open, name, close, count(value), share);
}

}  // namespace

ModelCostPanel::ModelCostPanel(QWidget* parent)
    : QWidget(parent), probe_(new MatmulRateProbe(this)) {
  batchBox_ = new QSpinBox(this);
  batchBox_->setObjectName(QStringLiteral("costBatch"));
  batchBox_->setRange(1, kMaxBatch);
  batchBox_->setValue(kDefaultBatch);
  batchBox_->setToolTip(
      tr("Batch size: sequences per training step. Memory for activations and the time of a "
         "step grow with it. BERT pre-training used 256 (paper §A.2)."));
  sequenceBox_ = new QSpinBox(this);
  sequenceBox_->setObjectName(QStringLiteral("costSequence"));
  sequenceBox_->setRange(1, kDefaultSequence);
  sequenceBox_->setValue(kDefaultSequence);
  sequenceBox_->setToolTip(
      tr("Sequence length S in tokens. BERT pre-trained 90% of the steps at 128 and the rest at "
         "512 (paper §A.2); attention costs grow with S². At most the model's max positions."));
  parametersLabel_ = new QLabel(this);
  parametersLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  parametersLabel_->setToolTip(
      tr("Exact parameter counts. Small models spend most of theirs on the word-embedding table "
         "(vocabulary × H); large ones on the encoder (12·H² per layer)."));
  costLabel_ = new QLabel(this);
  costLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  costLabel_->setToolTip(
      tr("Adam keeps two moments per weight, so training needs 4× the weights plus the activations "
         "saved for the backward pass (an estimate, good to a rough factor). A training step costs "
         "about 3× the forward FLOPs. The step time divides the FLOPs per step by the speed this "
         "machine measured for one large matrix multiplication."));

  auto* shapeRow = new QHBoxLayout;
  shapeRow->addWidget(new QLabel(tr("Training at batch"), this));
  shapeRow->addWidget(batchBox_);
  shapeRow->addWidget(new QLabel(tr("× sequence length"), this));
  shapeRow->addWidget(sequenceBox_);
  shapeRow->addStretch(1);

  auto* parametersBox = new QGroupBox(tr("Parameters"), this);
  auto* parametersLayout = new QVBoxLayout(parametersBox);
  parametersLayout->addWidget(parametersLabel_);
  parametersLayout->addStretch(1);
  auto* costBox = new QGroupBox(tr("Memory and compute"), this);
  auto* costLayout = new QVBoxLayout(costBox);
  costLayout->addLayout(shapeRow);
  costLayout->addWidget(costLabel_);
  costLayout->addStretch(1);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(parametersBox, 2);
  layout->addWidget(costBox, 3);

  connect(batchBox_, &QSpinBox::valueChanged, this, &ModelCostPanel::refresh);
  connect(sequenceBox_, &QSpinBox::valueChanged, this, &ModelCostPanel::refresh);
  connect(probe_, &MatmulRateProbe::measured, this, [this](double gflops) {
    rateGflops_ = gflops;
    refresh();
  });
  connect(probe_, &MatmulRateProbe::failed, this, [this](const QString& message) {
    rateProblem_ = message;
    refresh();
  });
  probe_->start();
}

void ModelCostPanel::setConfig(const BertConfig& config) {
  config_ = config;
  valid_ = true;
  // A sequence longer than the position table cannot be fed to the model.
  sequenceBox_->setMaximum(config.max_position_embeddings);
  refresh();
}

void ModelCostPanel::showInvalid() {
  valid_ = false;
  parametersLabel_->setText(tr("<i>No model: see the problem above.</i>"));
  costLabel_->setText(QString());
}

void ModelCostPanel::setTrainingShape(int batchSize, int sequenceLength) {
  batchBox_->setValue(batchSize);
  sequenceBox_->setValue(sequenceLength);
}

int ModelCostPanel::batchSize() const {
  return batchBox_->value();
}
int ModelCostPanel::sequenceLength() const {
  return sequenceBox_->value();
}

QString ModelCostPanel::summaryText() const {
  QTextDocument document;
  document.setHtml(parametersLabel_->text() + QStringLiteral("<br>") + costLabel_->text());
  return document.toPlainText();
}

QString ModelCostPanel::stepTimeText(double flopsPerStep) const {
  if (!rateProblem_.isEmpty())
    return tr("unknown<br>&nbsp;&nbsp;(the speed test failed: %1)")
        .arg(rateProblem_.toHtmlEscaped());
  // As many lines as the answer will have, so the page does not jump when it arrives.
  if (rateGflops_ <= 0)
    return tr(
        "measuring…<br>&nbsp;&nbsp;(timing a few matrix multiplications on this CPU)<br>&nbsp;");
  return tr("≈ %1 on this CPU<br>&nbsp;&nbsp;(ideal at the measured matmul speed, %2 GFLOP/s;<br>"
            "&nbsp;&nbsp;real steps are slower)")
      .arg(fromStd(formatSeconds(estimateStepSeconds(flopsPerStep, rateGflops_))))
      .arg(rateGflops_, 0, 'f', 0);
}

void ModelCostPanel::refresh() {
  if (!valid_) return;
  const BertConfig& c = config_;
  const TrainingCost cost = estimateTrainingCost(c, batchSize(), sequenceLength());
  const ParameterBreakdown& p = cost.parameters;
  const int64_t total = p.withPretrainingHeads();
  QString table = QStringLiteral("<table cellspacing=2>");
  table += tableRow(tr("Embeddings (vocabulary %1)").arg(count(c.vocab_size)), p.embeddings, total);
  table += tableRow(tr("Encoder (%1 layers × %2)").arg(c.num_hidden_layers).arg(count(p.perLayer)),
                    p.encoder, total);
  table += tableRow(tr("Pooler"), p.pooler, total);
  table += tableRow(tr("BertModel"), p.bertModel(), total, /*bold=*/true);
  table += tableRow(tr("MLM head (decoder tied)"), p.mlmHead, total);
  table += tableRow(tr("NSP head"), p.nspHead, total);
  table += tableRow(tr("With pre-training heads"), total, total, /*bold=*/true);
  table += QStringLiteral("</table>");
  parametersLabel_->setText(table);

  const MemoryEstimate& m = cost.memory;
  // Short lines, no word wrap: a wrapped label inside a group box does not always grow to
  // its new height when the text changes, and the last line would be clipped.
  costLabel_->setText(
      tr("<b>Weights</b> (fp32): %1<br>"
         "<b>Adam training</b>: %2<br>"
         "&nbsp;&nbsp;= weights %1 + gradients %3<br>"
         "&nbsp;&nbsp;+ two moments %4 + activations ≈ %5<br>"
         "<b>FLOPs per token</b>: forward %6, training %7<br>"
         "<b>FLOPs per step</b>: %8 (MLM logits at the 15% masked positions)<br>"
         "<b>Step time</b>: %9")
          .arg(bytes(m.weightBytes), bytes(m.trainingBytes()), bytes(m.gradientBytes),
               bytes(m.optimizerBytes), bytes(m.activationBytes),
               fromStd(formatFlops(cost.flops.forwardPerToken)),
               fromStd(formatFlops(cost.flops.trainingPerToken)),
               fromStd(formatFlops(cost.flopsPerStep)), stepTimeText(cost.flopsPerStep)));
}

}  // namespace bertwb::ui
