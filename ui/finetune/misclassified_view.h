#pragma once
// The dev examples the best model got wrong, read from the run's dev_predictions.jsonl: the
// text, the gold and the predicted label and how confident the model was, the most confident
// mistakes first (the ones worth a look: a wrong gold label, a pattern the model missed).
// Filtered by words in the text and by gold label; exported as CSV.
#include <QString>
#include <QVector>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace bertwb::ui {

struct DevPrediction {
  QString source, text, gold, predicted;
  double confidence = -1;  // -1: the task gives none (tagging, QA)
};

// The predictions in a dev_predictions.jsonl file; empty (and `error` set) when unreadable.
QVector<DevPrediction> readDevPredictions(const QString& path, QString* error = nullptr);

class MisclassifiedView : public QWidget {
  Q_OBJECT
 public:
  explicit MisclassifiedView(QWidget* parent = nullptr);

  // Shows the mistakes of the run in `runFolder` (its dev_predictions.jsonl); says why not
  // when there is no such file.
  void showRun(const QString& runFolder);
  void clear(const QString& note);

  void setTextFilter(const QString& words);
  void setGoldFilter(const QString& label);  // "" for every label
  int mistakeCount() const { return static_cast<int>(mistakes_.size()); }
  int shownCount() const;
  int scoredCount() const { return scored_; }
  QTableWidget* table() const { return table_; }
  QString summary() const;
  bool exportCsv(const QString& path, QString* error = nullptr) const;

 private:
  void refill();
  void exportWithDialog();

  QVector<DevPrediction> mistakes_;
  int scored_ = 0;
  QLabel* summary_;
  QLineEdit* filter_;
  QComboBox* goldFilter_;
  QPushButton* exportButton_;
  QTableWidget* table_;
};

}  // namespace bertwb::ui
