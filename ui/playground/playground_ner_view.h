#pragma once
// Playground page for a token classifier: a sentence → its entities coloured inline by type
// (with a legend), and a table of every entity: words, type, code point start/end, score.
#include "playground/playground_mode_view.h"

class QLabel;
class QPlainTextEdit;
class QTableWidget;
class QTextEdit;

namespace bertwb::ui {

class PlaygroundNerView : public PlaygroundModeView {
  Q_OBJECT
 public:
  explicit PlaygroundNerView(QWidget* parent = nullptr);

  QString channel() const override { return QStringLiteral("playground-ner"); }
  QString textA() const override;
  QString textB() const override { return {}; }
  void setTexts(const QString& textA, const QString& textB) override;
  PredictorService::Work request() const override;
  void showResult(const std::any& result) override;
  void clearResult() override;

  // The highlighted copy of the text (tests read its character formats).
  QTextEdit* highlightedText() const { return highlighted_; }
  QTableWidget* entityTable() const { return table_; }

 private:
  void showLegend(const QStringList& types);

  QPlainTextEdit* input_;
  QTextEdit* highlighted_;
  QLabel* legend_;
  QTableWidget* table_;
};

}  // namespace bertwb::ui
