#pragma once
// Playground page for a pre-trained (masked-LM) model: a text with one or more [MASK]s → the
// k most probable pieces for each mask, as bars, and the sentence with the best guesses in.
#include <vector>

#include "playground/playground_mode_view.h"

class QGridLayout;
class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace bertwb::ui {

class ProbabilityBars;

// What a fill-mask request returns: the candidates with the text they were computed for (the
// box may hold newer text by the time they arrive).
struct PlaygroundFill {
  QString text;
  FillMaskResult result;
};

class PlaygroundFillMaskView : public PlaygroundModeView {
  Q_OBJECT
 public:
  explicit PlaygroundFillMaskView(QWidget* parent = nullptr);

  QString channel() const override { return QStringLiteral("playground-fill-mask"); }
  QString textA() const override;
  QString textB() const override { return {}; }
  void setTexts(const QString& textA, const QString& textB) override;
  PredictorService::Work request() const override;
  void showResult(const std::any& result) override;
  void clearResult() override;

  int topK() const;
  void setTopK(int k);
  // One bar chart per [MASK], left to right.
  const std::vector<ProbabilityBars*>& maskBars() const { return maskBars_; }
  QLabel* filledSentenceLabel() const { return filled_; }

 private:
  QPlainTextEdit* input_;
  QSpinBox* topK_;
  QLabel* filled_;
  QWidget* barsArea_;
  QGridLayout* barsGrid_;
  std::vector<ProbabilityBars*> maskBars_;
};

}  // namespace bertwb::ui
