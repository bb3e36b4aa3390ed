#pragma once
// Playground page for a sequence classifier: a sentence (and an optional second one for
// pair tasks such as entailment) → the probability of every label as bars; a regression
// head shows its value instead.
#include "playground/playground_mode_view.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace bertwb::ui {

class ProbabilityBars;

class PlaygroundClassifyView : public PlaygroundModeView {
  Q_OBJECT
 public:
  explicit PlaygroundClassifyView(QWidget* parent = nullptr);

  QString channel() const override { return QStringLiteral("playground-classify"); }
  QString textA() const override;
  QString textB() const override;
  void setTexts(const QString& textA, const QString& textB) override;
  PredictorService::Work request() const override;
  void showResult(const std::any& result) override;
  void clearResult() override;

  ProbabilityBars* bars() const { return bars_; }
  QLabel* verdictLabel() const { return verdict_; }

 private:
  QPlainTextEdit* textAEdit_;
  QLineEdit* textBEdit_;
  ProbabilityBars* bars_;
  QLabel* verdict_;
};

}  // namespace bertwb::ui
