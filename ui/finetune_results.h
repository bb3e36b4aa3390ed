#pragma once
// The results of a fine-tuning run's best evaluation, drawn the way each task is judged:
// the metrics of the task family; a confusion matrix (rows gold, columns predicted) and
// per-class precision / recall / F1 for classification; per-entity-type precision / recall /
// F1 for tagging (seqeval's entity-level scores); EM / F1 overall, HasAns and NoAns for QA.
#include <QString>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace bertwb::ui {

struct FinetuneEvaluation;

class FinetuneResults : public QWidget {
  Q_OBJECT
 public:
  explicit FinetuneResults(QWidget* parent = nullptr);

  void clear(const QString& note);
  void showEvaluation(const FinetuneEvaluation& evaluation);

  // --- what is shown (tests) ---
  QTableWidget* metricsTable() const { return metrics_; }
  QTableWidget* confusionTable() const { return confusion_; }  // gold × predicted counts
  QTableWidget* detailTable() const { return detail_; }        // per class / type / QA subset
  qint64 confusionTotal() const;                               // the sum of its cells
  QString headline() const;

 private:
  void showMetrics(const FinetuneEvaluation& evaluation);
  void showConfusion(const FinetuneEvaluation& evaluation);
  void showClassScores(const FinetuneEvaluation& evaluation);
  void showEntityScores(const FinetuneEvaluation& evaluation);
  void showQaSubsets(const FinetuneEvaluation& evaluation);

  QLabel* headline_;
  QTableWidget* metrics_;
  QLabel* confusionTitle_;
  QTableWidget* confusion_;
  QLabel* detailTitle_;
  QTableWidget* detail_;
};

}  // namespace bertwb::ui
