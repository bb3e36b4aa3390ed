#pragma once
// The wizard's live summary: what the model being edited costs. Exact parameters by part,
// memory for the weights and for Adam training at a chosen batch × sequence length, FLOPs
// per token and per step, and an estimated step time on this machine from a matmul
// benchmark that runs once, off the GUI thread ("measuring…" until it is done).
#include <QWidget>

#include "model/bert_config.h"

class QLabel;
class QSpinBox;

namespace bertwb::ui {

class MatmulRateProbe;

class ModelCostPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ModelCostPanel(QWidget* parent = nullptr);

  // Shows `config`'s costs; it must pass configProblems().
  void setConfig(const BertConfig& config);
  // Blanks the numbers when the knobs do not make a model (the page says why).
  void showInvalid();

  void setTrainingShape(int batchSize, int sequenceLength);
  int batchSize() const;
  int sequenceLength() const;
  bool isRateMeasured() const { return rateGflops_ > 0; }
  // Everything the panel shows, as plain text (tests read the numbers from it).
  QString summaryText() const;

 private:
  void refresh();
  QString stepTimeText(double flopsPerStep) const;

  BertConfig config_;
  bool valid_ = false;
  double rateGflops_ = 0;
  QString rateProblem_;
  MatmulRateProbe* probe_;
  QSpinBox* batchBox_;
  QSpinBox* sequenceBox_;
  QLabel* parametersLabel_;
  QLabel* costLabel_;
};

}  // namespace bertwb::ui
