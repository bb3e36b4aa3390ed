#pragma once
// Playground page for a question-answering model: a context and a question → the answer span
// highlighted in the context with its score, and the next best spans; a SQuAD v2 model may
// say that the context holds no answer.
#include "playground/playground_mode_view.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;
class QTextEdit;

namespace bertwb::ui {

// What a QA request returns: the answer with the context it points into (the user may have
// typed on while the model read it, so the box's text is not that context any more).
struct PlaygroundAnswer {
  QString context;
  AnswerResult answer;
};

class PlaygroundQaView : public PlaygroundModeView {
  Q_OBJECT
 public:
  explicit PlaygroundQaView(QWidget* parent = nullptr);

  QString channel() const override { return QStringLiteral("playground-qa"); }
  QString textA() const override;  // the question
  QString textB() const override;  // the context
  void setTexts(const QString& question, const QString& context) override;
  bool hasInput() const override;
  PredictorService::Work request() const override;
  void showResult(const std::any& result) override;
  void clearResult() override;

  QTextEdit* highlightedContext() const { return highlighted_; }
  QLabel* answerLabel() const { return answer_; }
  QTableWidget* nBestTable() const { return nBest_; }
  const AnswerResult& lastAnswer() const { return last_; }

 private:
  QLineEdit* question_;
  QPlainTextEdit* context_;
  QLabel* answer_;
  QTextEdit* highlighted_;
  QTableWidget* nBest_;
  AnswerResult last_;
};

}  // namespace bertwb::ui
