#include "playground/playground_qa_view.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTextEdit>
#include <QVBoxLayout>

#include "widgets/text_highlighting.h"

namespace bertwb::ui {
namespace {

constexpr int kQaContextRows = 4;
constexpr int kQaHighlightRows = 4;
enum QaColumn { QaRank, QaAnswerText, QaStart, QaEnd, QaScore, QaProbability, QaColumnCount };

QTableWidgetItem* qaCell(const QString& text, bool number = false) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

PlaygroundQaView::PlaygroundQaView(QWidget* parent) : PlaygroundModeView(parent) {
  question_ = new QLineEdit(this);
  question_->setPlaceholderText(tr("Ask a question about the context…"));
  question_->setClearButtonEnabled(true);
  context_ = new QPlainTextEdit(this);
  context_->setPlaceholderText(tr("Paste a paragraph that holds the answer…"));
  context_->setFixedHeight(context_->fontMetrics().lineSpacing() * kQaContextRows + 16);
  answer_ = new QLabel(this);
  answer_->setTextFormat(Qt::RichText);
  answer_->setWordWrap(true);
  highlighted_ = new QTextEdit(this);
  highlighted_->setReadOnly(true);
  highlighted_->setFixedHeight(highlighted_->fontMetrics().lineSpacing() * kQaHighlightRows + 16);
  nBest_ = new QTableWidget(0, QaColumnCount, this);
  nBest_->setHorizontalHeaderLabels(
      {tr("#"), tr("Answer"), tr("Start"), tr("End"), tr("Score"), tr("Probability")});
  nBest_->horizontalHeader()->setSectionResizeMode(QaAnswerText, QHeaderView::Stretch);
  nBest_->verticalHeader()->hide();
  nBest_->setToolTip(tr(
      "The best spans: score = start logit + end logit (run_squad.py); probability = softmax over "
      "these scores. Start and end count Unicode characters into the context."));

  auto* inputs = new QFormLayout;
  inputs->addRow(tr("Context"), context_);
  inputs->addRow(tr("Question"), question_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(inputs);
  layout->addWidget(answer_);
  layout->addWidget(highlighted_);
  layout->addWidget(new QLabel(tr("Next best spans"), this));
  layout->addWidget(nBest_, 1);

  connect(question_, &QLineEdit::textChanged, this, &PlaygroundModeView::edited);
  connect(context_, &QPlainTextEdit::textChanged, this, &PlaygroundModeView::edited);
}

QString PlaygroundQaView::textA() const {
  return question_->text();
}

QString PlaygroundQaView::textB() const {
  return context_->toPlainText();
}

void PlaygroundQaView::setTexts(const QString& question, const QString& context) {
  question_->setText(question);
  context_->setPlainText(context);
}

bool PlaygroundQaView::hasInput() const {
  return !textA().trimmed().isEmpty() && !textB().trimmed().isEmpty();
}

PredictorService::Work PlaygroundQaView::request() const {
  const std::string question = textA().toStdString();
  const QString context = textB();
  return [question, context](const Predictor& predictor) -> std::any {
    return PlaygroundAnswer{context, predictor.answer(question, context.toStdString())};
  };
}

void PlaygroundQaView::showResult(const std::any& result) {
  const auto* answered = std::any_cast<PlaygroundAnswer>(&result);
  if (!answered) return;
  last_ = answered->answer;
  const QaPrediction& prediction = last_.prediction;
  const QString& context = answered->context;
  std::vector<HighlightSpan> spans;
  if (prediction.predictedNull) {
    answer_->setText(
        tr("<b>No answer</b> in this context (the model allows unanswerable questions: "
           "no-answer score %1 beats the best span by %2).")
            .arg(prediction.nullScore, 0, 'f', 2)
            .arg(prediction.nullScoreDiff, 0, 'f', 2));
  } else if (prediction.hasSpan) {
    const QaAnswerSpan& best = prediction.best;
    spans.push_back({best.start, best.end, answerHighlightColour(),
                     tr("score %1").arg(best.score, 0, 'f', 2), /*bold=*/true});
    answer_->setText(tr("Answer: <b>%1</b> &nbsp; score %2 &nbsp; probability %3 %")
                         .arg(QString::fromStdString(best.text).toHtmlEscaped())
                         .arg(best.score, 0, 'f', 2)
                         .arg(best.probability * 100.0, 0, 'f', 1) +
                     (last_.allowNoAnswer
                          ? tr(" &nbsp; (this model may also say there is no answer)")
                          : QString()));
  } else {
    answer_->setText(tr("No span fits (the context may be too short)."));
  }
  showHighlightedText(highlighted_->document(), context, spans);

  nBest_->setRowCount(static_cast<int>(prediction.nBest.size()));
  int row = 0;
  for (const QaAnswerSpan& span : prediction.nBest) {
    nBest_->setItem(row, QaRank, qaCell(QString::number(row + 1), true));
    nBest_->setItem(row, QaAnswerText,
                    qaCell(span.isNull ? tr("(no answer)") : QString::fromStdString(span.text)));
    nBest_->setItem(row, QaStart,
                    qaCell(span.isNull ? QString() : QString::number(span.start), true));
    nBest_->setItem(row, QaEnd, qaCell(span.isNull ? QString() : QString::number(span.end), true));
    nBest_->setItem(row, QaScore, qaCell(QString::number(span.score, 'f', 2), true));
    nBest_->setItem(row, QaProbability,
                    qaCell(QStringLiteral("%1 %").arg(span.probability * 100.0, 0, 'f', 1), true));
    ++row;
  }
  nBest_->resizeColumnToContents(QaRank);
}

void PlaygroundQaView::clearResult() {
  last_ = {};
  answer_->clear();
  highlighted_->clear();
  nBest_->setRowCount(0);
}

}  // namespace bertwb::ui
