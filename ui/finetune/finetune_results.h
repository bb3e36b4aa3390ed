#pragma once
// The results of a fine-tuning run's best evaluation, drawn the way each task is judged:
// the metrics of the task family; a confusion matrix (rows gold, columns predicted) and
// per-class precision / recall / F1 for classification; per-entity-type precision / recall /
// F1 for tagging (seqeval's entity-level scores); EM / F1 overall, HasAns and NoAns for QA.
#include <QString>
#include <QWidget>

#include "train/training_events.h"  // EvaluationEvent (no torch)

class QLabel;
class QTableWidget;

namespace bertwb::ui {

class FinetuneResults : public QWidget {
  Q_OBJECT
 public:
  explicit FinetuneResults(QWidget* parent = nullptr);

  void clear(const QString& note);
  void showEvaluation(const EvaluationEvent& evaluation);

  // --- what is shown (tests) ---
  QTableWidget* metricsTable() const { return metrics_; }
  QTableWidget* confusionTable() const { return confusion_; }  // gold × predicted counts
  QTableWidget* detailTable() const { return detail_; }        // per class / type / QA subset
  qint64 confusionTotal() const;                               // the sum of its cells
  QString headline() const;

 private:
  void showMetrics(const EvaluationEvent& evaluation);
  void showConfusion(const EvaluationEvent& evaluation);
  void showClassScores(const EvaluationEvent& evaluation);
  void showEntityScores(const EvaluationEvent& evaluation);
  void showQaSubsets(const EvaluationEvent& evaluation);

  QLabel* headline_;
  QTableWidget* metrics_;
  QLabel* confusionTitle_;
  QTableWidget* confusion_;
  QLabel* detailTitle_;
  QTableWidget* detail_;
};

}  // namespace bertwb::ui
