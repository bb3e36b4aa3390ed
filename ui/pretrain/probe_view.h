#pragma once
// Probe sentences and what the model currently predicts for them: each [MASK]'s top
// candidates with their probabilities, and how sure the model is that sentence B follows A.
// The sentences are editable between runs (the trainer takes them when a run starts). "Over
// time" keeps every probe step of the run as a row: each [MASK]'s top guess and its
// probability, and P(IsNext), so a class sees the guesses change as the model learns.
#include <QString>
#include <QStringList>
#include <QWidget>

#include "train/training_events.h"  // ProbeResult: a plain struct, no torch

class QLineEdit;
class QPlainTextEdit;
class QTabWidget;
class QTableWidget;
class QTextBrowser;
class QLabel;

namespace bertwb::ui {

class ProbeView : public QWidget {
  Q_OBJECT
 public:
  explicit ProbeView(QWidget* parent = nullptr);

  void setProbes(const QStringList& fillMaskTexts, const QString& nspA, const QString& nspB);
  QStringList fillMaskTexts() const;  // non-empty lines
  QString nspTextA() const;
  QString nspTextB() const;
  void setEditable(bool editable);

  void showResult(const ProbeResult& result);
  void clearResult();
  qint64 resultStep() const { return resultStep_; }  // -1: none shown yet
  QString resultText() const;                        // plain text of the predictions
  // The "Over time" table: a row per probe step, a column per [MASK] (then P(IsNext)).
  QTableWidget* historyTable() const { return history_; }

 Q_SIGNALS:
  void probesEdited();

 private:
  void addHistoryRow(const ProbeResult& result);

  QPlainTextEdit* fillMaskEdit_;
  QLineEdit* nspAEdit_;
  QLineEdit* nspBEdit_;
  QLabel* stepLabel_;
  QTextBrowser* results_;
  QTabWidget* tabs_;
  QTableWidget* history_;
  qint64 resultStep_ = -1;
};

}  // namespace bertwb::ui
