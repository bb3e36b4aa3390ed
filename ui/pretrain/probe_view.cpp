#include "pretrain/probe_view.h"
#include "widgets/display_units.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

namespace bertwb::ui {
namespace {

const QString kMaskToken = QStringLiteral("[MASK]");
constexpr int kEditorLines = 6;  // the demo's three probes, wrapped at the column's width
constexpr int kCandidatesShown = 4;
const char* const kPredictionColour = "#1f77b4";

QString percent(double probability) {
  return QString::number(probability * kPercent, 'f', 0) + QLatin1Char('%');
}

}  // namespace

ProbeView::ProbeView(QWidget* parent) : QWidget(parent) {
  fillMaskEdit_ = new QPlainTextEdit(this);
  fillMaskEdit_->setPlaceholderText(
      tr("One sentence per line, each with [MASK] where a word is hidden"));
  fillMaskEdit_->setToolTip(
      tr("Fill-mask probes: the model guesses each [MASK] from both sides of the sentence, exactly "
         "the masked-LM "
         "task it trains on. Facts the corpus repeats are learned first. Changes apply when the "
         "next run starts."));
  fillMaskEdit_->setFixedHeight(fillMaskEdit_->fontMetrics().lineSpacing() * kEditorLines +
                                2 * fillMaskEdit_->frameWidth() +
                                fillMaskEdit_->document()->documentMargin() * 2);
  nspAEdit_ = new QLineEdit(this);
  nspBEdit_ = new QLineEdit(this);
  const QString nspTip =
      tr("Next-sentence probe: how sure the model is that B really follows A (IsNext), the "
         "second pre-training task. Changes apply when the next run starts.");
  nspAEdit_->setToolTip(nspTip);
  nspBEdit_->setToolTip(nspTip);
  stepLabel_ = new QLabel(tr("Predictions appear here during training."), this);
  results_ = new QTextBrowser(this);
  results_->setToolTip(
      tr("The model's top guesses for each [MASK] and P(IsNext), updated every few steps."));
  QFont resultFont = results_->font();
  resultFont.setPointSizeF(resultFont.pointSizeF() * 1.1);
  results_->setFont(resultFont);

  auto* pairForm = new QFormLayout;
  pairForm->setContentsMargins(0, 0, 0, 0);
  pairForm->addRow(tr("A:"), nspAEdit_);
  pairForm->addRow(tr("B:"), nspBEdit_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Fill-mask sentences:"), this));
  layout->addWidget(fillMaskEdit_);
  layout->addWidget(new QLabel(tr("Next-sentence pair:"), this));
  layout->addLayout(pairForm);
  layout->addWidget(stepLabel_);
  history_ = new QTableWidget(0, 0, this);
  history_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  history_->verticalHeader()->hide();
  history_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  history_->setToolTip(
      tr("The model's first guess for each [MASK] at every probe step, with "
         "its probability (darker: surer), and how sure it is that B follows A."));
  tabs_ = new QTabWidget(this);
  tabs_->addTab(results_, tr("Now"));
  tabs_->addTab(history_, tr("Over time"));
  layout->addWidget(tabs_, 1);

  connect(fillMaskEdit_, &QPlainTextEdit::textChanged, this, &ProbeView::probesEdited);
  connect(nspAEdit_, &QLineEdit::textChanged, this, &ProbeView::probesEdited);
  connect(nspBEdit_, &QLineEdit::textChanged, this, &ProbeView::probesEdited);
}

void ProbeView::setProbes(const QStringList& fillMaskTexts, const QString& nspA,
                          const QString& nspB) {
  const QSignalBlocker blockText(fillMaskEdit_), blockA(nspAEdit_), blockB(nspBEdit_);
  fillMaskEdit_->setPlainText(fillMaskTexts.join(QLatin1Char('\n')));
  nspAEdit_->setText(nspA);
  nspBEdit_->setText(nspB);
  // Show the beginnings: a sentence is recognised by how it starts.
  nspAEdit_->setCursorPosition(0);
  nspBEdit_->setCursorPosition(0);
}

QStringList ProbeView::fillMaskTexts() const {
  QStringList texts;
  for (const QString& line : fillMaskEdit_->toPlainText().split(QLatin1Char('\n')))
    if (!line.trimmed().isEmpty()) texts << line.trimmed();
  return texts;
}

QString ProbeView::nspTextA() const {
  return nspAEdit_->text().trimmed();
}
QString ProbeView::nspTextB() const {
  return nspBEdit_->text().trimmed();
}

void ProbeView::setEditable(bool editable) {
  fillMaskEdit_->setReadOnly(!editable);
  nspAEdit_->setReadOnly(!editable);
  nspBEdit_->setReadOnly(!editable);
}

void ProbeView::showResult(const ProbeResult& result) {
  resultStep_ = result.step;
  stepLabel_->setText(result.step == 0 ? tr("Predictions before training (random weights):")
                                       : tr("Predictions at step %1:").arg(result.step));
  QString html;
  for (const auto& fill : result.fillMask) {
    // The sentence with each [MASK] replaced by the model's first choice, in colour.
    QString sentence = QString::fromStdString(fill.text).toHtmlEscaped();
    QString candidates;
    for (size_t i = 0; i < fill.perMask.size(); ++i) {
      const auto& top = fill.perMask[i];
      const QString best = top.empty() ? QStringLiteral("?")
                                       : QString::fromStdString(top.front().token).toHtmlEscaped();
      const int at = sentence.indexOf(kMaskToken);
      if (at >= 0)
        sentence.replace(
            at, kMaskToken.size(),
            QStringLiteral("<b style=\"color:%1\">%2</b>").arg(kPredictionColour, best));
      QStringList shown;
      for (size_t k = 0; k < top.size() && k < static_cast<size_t>(kCandidatesShown); ++k)
        shown << QString::fromStdString(top[k].token).toHtmlEscaped() + QStringLiteral(" ") +
                     percent(top[k].probability);
      candidates += QStringLiteral("<br>&nbsp;&nbsp;<span style=\"color:#555\">[MASK] → %1</span>")
                        .arg(shown.join(QStringLiteral(" · ")));
    }
    html += QStringLiteral("<p>%1%2</p>").arg(sentence, candidates);
  }
  if (result.isNextProbability >= 0) {
    html += QStringLiteral("<p>P(B follows A) = <b style=\"color:%1\">%2</b></p>")
                .arg(kPredictionColour, percent(result.isNextProbability));
  }
  results_->setHtml(html);
  addHistoryRow(result);
}

void ProbeView::addHistoryRow(const ProbeResult& result) {
  // The columns come from the first result of a run: one per [MASK], then the pair.
  QStringList headers{tr("Step")};
  QStringList tips{QString()};
  for (size_t p = 0; p < result.fillMask.size(); ++p) {
    for (size_t m = 0; m < result.fillMask[p].perMask.size(); ++m) {
      headers << tr("probe %1").arg(p + 1) + (result.fillMask[p].perMask.size() > 1
                                                  ? QStringLiteral(".%1").arg(m + 1)
                                                  : QString());
      tips << QString::fromStdString(result.fillMask[p].text);
    }
  }
  if (result.isNextProbability >= 0) {
    headers << tr("P(IsNext)");
    tips << tr("P(B follows A)");
  }
  if (history_->columnCount() != headers.size()) {
    history_->setRowCount(0);
    history_->setColumnCount(static_cast<int>(headers.size()));
    history_->setHorizontalHeaderLabels(headers);
    for (int column = 0; column < headers.size(); ++column)
      history_->horizontalHeaderItem(column)->setToolTip(tips[column]);
  }
  const int row = history_->rowCount();
  history_->insertRow(row);
  history_->setItem(row, 0, new QTableWidgetItem(QString::number(result.step)));
  int column = 1;
  const auto shaded = [](const QString& text, double probability) {
    auto* item = new QTableWidgetItem(text);
    QColor shade(kPredictionColour);
    shade.setAlphaF(0.1 + 0.5 * std::clamp(probability, 0.0, 1.0));
    item->setBackground(shade);
    return item;
  };
  for (const auto& fill : result.fillMask) {
    for (const auto& top : fill.perMask) {
      if (column >= history_->columnCount()) break;
      const QString text = top.empty() ? QStringLiteral("?")
                                       : QString::fromStdString(top.front().token) +
                                             QLatin1Char(' ') + percent(top.front().probability);
      history_->setItem(row, column++, shaded(text, top.empty() ? 0 : top.front().probability));
    }
  }
  if (result.isNextProbability >= 0 && column < history_->columnCount())
    history_->setItem(row, column,
                      shaded(percent(result.isNextProbability), result.isNextProbability));
  history_->scrollToBottom();
}

void ProbeView::clearResult() {
  resultStep_ = -1;
  stepLabel_->setText(tr("Predictions appear here during training."));
  results_->clear();
  history_->setRowCount(0);
  history_->setColumnCount(0);
}

QString ProbeView::resultText() const {
  return results_->toPlainText();
}

}  // namespace bertwb::ui
