#pragma once
// The "Task" part of the Fine-tune stage: the task type, the training and dev files (the demo
// world's tasks one click away), a preview table of a TSV/CSV file whose columns the user maps
// to text A / text B / label, the label set found, and every malformed row with its file:line.
// Reading whole files runs off the GUI thread (a BackgroundJob), re-run after each edit.
#include <QString>
#include <QStringList>
#include <QWidget>

#include "finetune/finetune_settings.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QWidget;

namespace bertwb::ui {

class FinetuneFileCheckView;
class FinetunePreviewTable;

// A task of the demo world: its type and files under the workspace's tasks/ folder.
struct DemoTask {
  QString name;  // "sentiment", "entailment", "ner", "qa"
  FinetuneTask task;
  QString trainFile, devFile;
};
// The demo tasks whose files exist under `tasksFolder`.
QList<DemoTask> demoTasksIn(const QString& tasksFolder);

class FinetuneTaskImport : public QWidget {
  Q_OBJECT
 public:
  explicit FinetuneTaskImport(const QString& tasksFolder, QWidget* parent = nullptr);
  ~FinetuneTaskImport() override;

  // Only the task and file fields are read or written.
  void setSettings(const FinetuneSettings& settings);
  void applyTo(FinetuneSettings& settings) const;
  FinetuneTask task() const;
  bool useDemoTask(const QString& name);  // false when the workspace has no such demo task

  // --- what the view shows (tests) ---
  bool isChecking() const;
  bool waitForCheck(int milliseconds);  // processes events; false on timeout
  QStringList problemTexts() const;
  QStringList labels() const;
  qint64 trainExamples() const;
  qint64 devExamples() const;
  FinetunePreviewTable* previewTable() const { return preview_; }

 Q_SIGNALS:
  void edited();  // the user changed a task field
  void taskChanged(bertwb::FinetuneTask task);
  void checked();  // a check of both files has ended

 private:
  void buildLayout();
  void onTaskChosen();
  void onEdited();
  void chooseFile(QLineEdit* field);
  void refreshPreview();
  void fillColumnChoices(int columns, const QStringList& header);
  void markRejectedRows();
  void scheduleCheck();
  bool isDelimited() const;

  QString tasksFolder_;
  QComboBox* taskBox_;
  QWidget* demoRow_;
  QLineEdit* trainEdit_;
  QLineEdit* devEdit_;
  QWidget* columnsRow_;
  QComboBox* textABox_;
  QComboBox* textBBox_;
  QComboBox* labelBox_;
  QWidget* labelNamesRow_;
  QLineEdit* labelNamesEdit_;
  QWidget* tagRow_;
  QSpinBox* tagColumnBox_;
  FinetunePreviewTable* preview_;
  QLabel* previewNote_;
  FinetuneFileCheckView* checkView_;
  bool filling_ = false;  // programmatic changes: no edited() signal
};

}  // namespace bertwb::ui
