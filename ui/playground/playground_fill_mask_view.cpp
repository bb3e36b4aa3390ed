#include "playground/playground_fill_mask_view.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "widgets/probability_bars.h"

namespace bertwb::ui {
namespace {

constexpr int kMaskInputRows = 3;
constexpr int kLargestTopK = 20;
constexpr int kChartsPerRow = 2;  // two masks side by side fit a 1200-pixel window
const QString kMask = QStringLiteral("[MASK]");

}  // namespace

PlaygroundFillMaskView::PlaygroundFillMaskView(QWidget* parent) : PlaygroundModeView(parent) {
  input_ = new QPlainTextEdit(this);
  input_->setPlaceholderText(
      tr("Type a sentence and put [MASK] where the model should guess a word…"));
  input_->setFixedHeight(input_->fontMetrics().lineSpacing() * kMaskInputRows + 16);
  topK_ = new QSpinBox(this);
  topK_->setRange(1, kLargestTopK);
  topK_->setValue(kDefaultPredictorTopK);
  topK_->setToolTip(tr("How many candidates to list for each [MASK]."));
  filled_ = new QLabel(this);
  filled_->setTextFormat(Qt::RichText);
  filled_->setWordWrap(true);
  barsArea_ = new QWidget(this);
  auto* barsColumn = new QVBoxLayout(barsArea_);
  barsColumn->setContentsMargins(0, 0, 0, 0);
  barsGrid_ = new QGridLayout;
  barsGrid_->setHorizontalSpacing(24);
  barsGrid_->setVerticalSpacing(12);
  barsColumn->addLayout(barsGrid_);
  barsColumn->addStretch(1);  // charts stay at the top, however few
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(barsArea_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  // The charts sit on the page's own background, not the scroll area's darker one.
  scroll->viewport()->setAutoFillBackground(false);
  barsArea_->setAutoFillBackground(false);

  auto* options = new QHBoxLayout;
  options->addWidget(new QLabel(tr("Candidates per mask"), this));
  options->addWidget(topK_);
  options->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Text with [MASK]"), this));
  layout->addWidget(input_);
  layout->addLayout(options);
  layout->addWidget(filled_);
  layout->addWidget(scroll, 1);

  connect(input_, &QPlainTextEdit::textChanged, this, &PlaygroundModeView::edited);
  connect(topK_, &QSpinBox::valueChanged, this, &PlaygroundModeView::edited);
}

QString PlaygroundFillMaskView::textA() const {
  return input_->toPlainText();
}

void PlaygroundFillMaskView::setTexts(const QString& textA, const QString&) {
  input_->setPlainText(textA);
}

int PlaygroundFillMaskView::topK() const {
  return topK_->value();
}

void PlaygroundFillMaskView::setTopK(int k) {
  topK_->setValue(k);
}

PredictorService::Work PlaygroundFillMaskView::request() const {
  const QString text = textA();
  const int k = topK();
  return [text, k](const Predictor& predictor) -> std::any {
    return PlaygroundFill{text, predictor.fillMask(text.toStdString(), k)};
  };
}

void PlaygroundFillMaskView::showResult(const std::any& result) {
  const auto* answered = std::any_cast<PlaygroundFill>(&result);
  if (!answered) return;
  const FillMaskResult* filled = &answered->result;
  clearResult();
  // The sentence with each [MASK] replaced by its best guess, in order.
  QString sentence = answered->text.toHtmlEscaped();
  int maskNumber = 0;
  for (const MaskFill& mask : filled->masks) {
    auto* bars = new ProbabilityBars(barsArea_);
    bars->setTitle(tr("[MASK] %1 (position %2)").arg(++maskNumber).arg(mask.position));
    std::vector<ProbabilityBars::Row> rows;
    for (const TokenCandidate& candidate : mask.candidates)
      rows.push_back({QString::fromStdString(candidate.token), candidate.probability});
    bars->setRows(std::move(rows));
    const int index = static_cast<int>(maskBars_.size());
    barsGrid_->addWidget(bars, index / kChartsPerRow, index % kChartsPerRow, Qt::AlignTop);
    maskBars_.push_back(bars);
    const int at = sentence.indexOf(kMask);
    if (at >= 0 && !mask.candidates.empty())
      sentence.replace(
          at, kMask.size(),
          QStringLiteral("<b style='color:#1f5fb4'>%1</b>")
              .arg(QString::fromStdString(mask.candidates.front().token).toHtmlEscaped()));
  }
  filled_->setText(tr("Best guess: %1").arg(sentence));
}

void PlaygroundFillMaskView::clearResult() {
  for (ProbabilityBars* bars : maskBars_) delete bars;
  maskBars_.clear();
  filled_->clear();
}

}  // namespace bertwb::ui
