#include "model/model_summary_widget.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include "widgets/qcustomplot_include.h"

#include "model/model_stats.h"
#include "model/model_summary.h"
#include "model/presets.h"
#include "util/format.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

// What the memory estimate assumes: the paper's pre-training shape for short sequences.
constexpr int kSummaryBatch = 32;
constexpr int kSummarySequence = 128;

}  // namespace

ModelSummaryWidget::ModelSummaryWidget(QWidget* parent) : QWidget(parent) {
  presetBox_ = new QComboBox(this);
  for (const auto& preset : modelPresets())
    presetBox_->addItem(fromStd(preset.display), fromStd(preset.name));
  presetBox_->setToolTip(
      tr("Model size. Google's 24 small BERTs (L layers × H hidden, A = H/64 heads), BERT-Base "
         "(110M parameters) and BERT-Large (340M)."));
  shapeLabel_ = new QLabel(this);
  shapeLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  parameterTable_ = new QTableWidget(0, 3, this);
  parameterTable_->setHorizontalHeaderLabels({tr("Part"), tr("Parameters"), tr("Share")});
  parameterTable_->verticalHeader()->hide();
  parameterTable_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  parameterTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  parameterTable_->setSelectionMode(QAbstractItemView::NoSelection);
  parameterTable_->setMinimumHeight(230);

  parameterChart_ = new QCustomPlot(this);
  parameterChart_->setMinimumSize(320, 230);
  parameterChart_->setToolTip(
      tr("Where the parameters are: small models spend most of theirs on the "
         "word-embedding table, large ones on the encoder."));

  costLabel_ = new QLabel(this);
  costLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  costLabel_->setWordWrap(true);

  auto* top = new QFormLayout;
  top->addRow(tr("Preset:"), presetBox_);
  top->addRow(tr("Shape:"), shapeLabel_);

  auto* parametersBox = new QGroupBox(tr("Parameters"), this);
  auto* parametersLayout = new QHBoxLayout(parametersBox);
  parametersLayout->addWidget(parameterTable_, 3);
  parametersLayout->addWidget(parameterChart_, 2);

  auto* costBox = new QGroupBox(tr("Memory and compute"), this);
  auto* costLayout = new QVBoxLayout(costBox);
  costLayout->addWidget(costLabel_);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(parametersBox, 1);
  layout->addWidget(costBox);

  connect(presetBox_, &QComboBox::currentIndexChanged, this, [this] {
    const QString name = presetBox_->currentData().toString();
    if (name.isEmpty()) return;  // the "Custom" entry only names a config set from code
    config_ = presetConfig(name.toStdString(), config_.vocab_size, config_.max_position_embeddings);
    showConfig();
    Q_EMIT configChanged();
    if (!settingFromCode_) Q_EMIT presetChosen(name);
  });
  setPreset(QStringLiteral("tiny"));
  config_ = presetConfig("tiny");
  showConfig();
}

void ModelSummaryWidget::setPresetChoiceEnabled(bool enabled, const QString& why) {
  if (presetTip_.isEmpty()) presetTip_ = presetBox_->toolTip();
  presetBox_->setEnabled(enabled);
  presetBox_->setToolTip(enabled || why.isEmpty() ? presetTip_ : why);
}

void ModelSummaryWidget::setPreset(const QString& presetName) {
  const std::string name = findPreset(presetName.toStdString()).name;
  const int index = presetBox_->findData(fromStd(name));
  settingFromCode_ = true;
  if (index >= 0) presetBox_->setCurrentIndex(index);
  settingFromCode_ = false;
}

void ModelSummaryWidget::setConfig(const BertConfig& config, const QString& presetName) {
  int index = presetBox_->findData(presetName);
  if (index < 0) {
    // A custom size: one extra entry, with empty data, that names it.
    index = presetBox_->findData(QString());
    if (index < 0) {
      presetBox_->addItem(QString(), QString());
      index = presetBox_->count() - 1;
    }
    presetBox_->setItemText(index, tr("Custom (L=%1, H=%2, A=%3)")
                                       .arg(config.num_hidden_layers)
                                       .arg(config.hidden_size)
                                       .arg(config.num_attention_heads));
  }
  settingFromCode_ = true;
  presetBox_->setCurrentIndex(index);
  settingFromCode_ = false;
  config_ = config;
  showConfig();
  Q_EMIT configChanged();
}

QStringList ModelSummaryWidget::parameterRows() const {
  QStringList rows;
  for (int r = 0; r < parameterTable_->rowCount(); ++r) {
    QStringList cells;
    for (int c = 0; c < parameterTable_->columnCount(); ++c)
      cells << parameterTable_->item(r, c)->text();
    rows << cells.join('\t');
  }
  return rows;
}

void ModelSummaryWidget::showConfig() {
  const BertConfig& c = config_;
  const ParameterBreakdown p = countParameters(c);
  shapeLabel_->setText(tr("L = %1 layers, H = %2 hidden, A = %3 heads of %4, feed-forward %5, "
                          "vocabulary %6, %7 positions, %8")
                           .arg(c.num_hidden_layers)
                           .arg(c.hidden_size)
                           .arg(c.num_attention_heads)
                           .arg(c.headSize())
                           .arg(c.intermediate_size)
                           .arg(fromStd(formatCount(c.vocab_size)))
                           .arg(c.max_position_embeddings)
                           .arg(fromStd(c.hidden_act)));

  struct Part {
    QString name;
    int64_t count;
  };
  const QList<Part> parts = {
      {tr("Embeddings"), p.embeddings},
      {tr("Encoder (%1 × %2)").arg(c.num_hidden_layers).arg(fromStd(formatCount(p.perLayer))),
       p.encoder},
      {tr("Pooler"), p.pooler},
      {tr("MLM head (decoder tied)"), p.mlmHead},
      {tr("NSP head"), p.nspHead}};
  const double total = static_cast<double>(p.withPretrainingHeads());
  parameterTable_->setRowCount(parts.size() + 2);
  auto setRow = [&](int row, const QString& name, int64_t count, bool bold) {
    auto* nameItem = new QTableWidgetItem(name);
    auto* countItem = new QTableWidgetItem(fromStd(formatCount(count)));
    auto* shareItem = new QTableWidgetItem(QString::number(100.0 * count / total, 'f', 1) + "%");
    countItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    shareItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QFont font = nameItem->font();
    font.setBold(bold);
    for (auto* item : {nameItem, countItem, shareItem}) item->setFont(font);
    parameterTable_->setItem(row, 0, nameItem);
    parameterTable_->setItem(row, 1, countItem);
    parameterTable_->setItem(row, 2, shareItem);
  };
  for (int i = 0; i < parts.size(); ++i) setRow(i, parts[i].name, parts[i].count, false);
  setRow(parts.size(), tr("BertModel"), p.bertModel(), true);
  setRow(parts.size() + 1, tr("With pre-training heads"), p.withPretrainingHeads(), true);
  parameterTable_->resizeColumnsToContents();

  // Horizontal bars, one per part, in millions.
  parameterChart_->clearPlottables();
  auto* bars = new QCPBars(parameterChart_->yAxis, parameterChart_->xAxis);
  bars->setBrush(QColor(70, 130, 180));
  bars->setPen(Qt::NoPen);
  QVector<double> ticks, values;
  QVector<QString> labels;
  const QStringList shortNames = {tr("Embeddings"), tr("Encoder"), tr("Pooler"), tr("MLM head"),
                                  tr("NSP head")};
  for (int i = 0; i < parts.size(); ++i) {
    ticks << parts.size() - i;
    values << parts[i].count / 1e6;
    labels << shortNames[i];
  }
  bars->setData(ticks, values);
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  ticker->addTicks(ticks, labels);
  parameterChart_->yAxis->setTicker(ticker);
  parameterChart_->yAxis->setRange(0.3, parts.size() + 0.7);
  parameterChart_->xAxis->setLabel(tr("million parameters"));
  double largest = 0;
  for (double v : values) largest = std::max(largest, v);
  parameterChart_->xAxis->setRange(0, largest * 1.1);
  parameterChart_->replot(QCustomPlot::rpQueuedReplot);

  const MemoryEstimate m = estimateTrainingMemory(c, kSummaryBatch, kSummarySequence);
  const FlopEstimate sparse = estimateFlops(c, kSummarySequence, kMaskedFraction);
  costLabel_->setText(
      tr("<b>Weights</b> (fp32): %1<br><b>Adam training</b> at batch %2 × %3 tokens: %4 "
         "(weights %1 + gradients %1 + two moments %5 + activations ≈ %6)<br>"
         "<b>FLOPs per token</b> at length %3: forward %7, training step %8 "
         "(MLM logits at the 15% masked positions only)")
          .arg(fromStd(formatBytes(static_cast<double>(m.weightBytes))))
          .arg(kSummaryBatch)
          .arg(kSummarySequence)
          .arg(fromStd(formatBytes(static_cast<double>(m.trainingBytes()))))
          .arg(fromStd(formatBytes(static_cast<double>(m.optimizerBytes))))
          .arg(fromStd(formatBytes(static_cast<double>(m.activationBytes))))
          .arg(fromStd(formatFlops(sparse.forwardPerToken)))
          .arg(fromStd(formatFlops(sparse.trainingPerToken))));
}

}  // namespace bertwb::ui
