#pragma once
// Below the Fine-tune stage's preview: what a full read of the training and dev files finds,
// namely the example counts, the label set, and every malformed row with its file:line. The
// files are read off the GUI thread (a BackgroundJob), a moment after the last edit, and
// again when an edit comes in while a read is running.
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include "finetune/finetune_file_problems.h"
#include "finetune/finetune_settings.h"

class QLabel;
class QListWidget;

namespace bertwb::ui {

class BackgroundJob;

class FinetuneFileCheckView : public QWidget {
  Q_OBJECT
 public:
  explicit FinetuneFileCheckView(QWidget* parent = nullptr);
  ~FinetuneFileCheckView() override;

  // Checks the task files of `settings` shortly (edits in between restart the delay).
  void schedule(const FinetuneSettings& settings);
  bool isChecking() const;
  bool waitForCheck(int milliseconds);  // processes events; false on timeout

  const TaskFileCheck& trainCheck() const { return trainCheck_; }
  const TaskFileCheck& devCheck() const { return devCheck_; }
  QStringList labels() const;
  QStringList problemTexts() const;

 Q_SIGNALS:
  void checked();  // a check of both files has ended and is shown

 private:
  void startCheck();
  void showCheck();

  QLabel* summary_;
  QListWidget* problems_;
  BackgroundJob* job_;
  QTimer delay_;
  FinetuneSettings settings_;
  bool pending_ = false;  // an edit came in while a check was running
  TaskFileCheck trainCheck_, devCheck_;
};

}  // namespace bertwb::ui
