#include "playground/playground_classify_view.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>
#include <optional>

#include "widgets/probability_bars.h"

namespace bertwb::ui {
namespace {
constexpr int kTextRows = 3;  // the sentence box's height in lines
}

PlaygroundClassifyView::PlaygroundClassifyView(QWidget* parent) : PlaygroundModeView(parent) {
  textAEdit_ = new QPlainTextEdit(this);
  textAEdit_->setPlaceholderText(tr("Type a sentence to classify…"));
  textAEdit_->setFixedHeight(textAEdit_->fontMetrics().lineSpacing() * kTextRows + 16);
  textBEdit_ = new QLineEdit(this);
  textBEdit_->setPlaceholderText(
      tr("Optional second sentence, for pair tasks (entailment, paraphrase)"));
  textBEdit_->setClearButtonEnabled(true);
  bars_ = new ProbabilityBars(this);
  verdict_ = new QLabel(this);
  verdict_->setTextFormat(Qt::RichText);
  verdict_->setWordWrap(true);

  auto* inputs = new QFormLayout;
  inputs->addRow(tr("Text A"), textAEdit_);
  inputs->addRow(tr("Text B"), textBEdit_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(inputs);
  layout->addSpacing(8);
  layout->addWidget(verdict_);
  layout->addWidget(bars_);
  layout->addStretch(1);

  connect(textAEdit_, &QPlainTextEdit::textChanged, this, &PlaygroundModeView::edited);
  connect(textBEdit_, &QLineEdit::textChanged, this, &PlaygroundModeView::edited);
}

QString PlaygroundClassifyView::textA() const {
  return textAEdit_->toPlainText();
}

QString PlaygroundClassifyView::textB() const {
  return textBEdit_->text();
}

void PlaygroundClassifyView::setTexts(const QString& textA, const QString& textB) {
  textAEdit_->setPlainText(textA);
  textBEdit_->setText(textB);
}

PredictorService::Work PlaygroundClassifyView::request() const {
  const std::string a = textA().toStdString();
  const QString b = textB().trimmed();
  const std::optional<std::string> textB =
      b.isEmpty() ? std::nullopt : std::optional<std::string>(b.toStdString());
  return
      [a, textB](const Predictor& predictor) -> std::any { return predictor.classify(a, textB); };
}

void PlaygroundClassifyView::showResult(const std::any& result) {
  const auto* classification = std::any_cast<ClassificationResult>(&result);
  if (!classification) return;
  if (classification->regression) {
    bars_->setRows({});
    bars_->hide();
    verdict_->setText(tr("Predicted value: <b>%1</b>").arg(classification->value, 0, 'f', 4));
    return;
  }
  std::vector<ProbabilityBars::Row> rows;
  for (const LabelProbability& label : classification->labels)
    rows.push_back({QString::fromStdString(label.label), label.probability});
  bars_->setRows(std::move(rows));
  bars_->show();
  QString verdict = tr("Predicted label: <b>%1</b>")
                        .arg(QString::fromStdString(classification->bestLabel).toHtmlEscaped());
  if (classification->truncatedPieces > 0)
    verdict += tr(" <span style='color:#a05a00'>(%1 pieces cut to fit the model)</span>")
                   .arg(classification->truncatedPieces);
  verdict_->setText(verdict);
}

void PlaygroundClassifyView::clearResult() {
  bars_->setRows({});
  verdict_->clear();
}

}  // namespace bertwb::ui
