#pragma once
// The checkpoints of one pre-training run (OUT/checkpoint-000100/ ...), listed from disk as
// the trainer saves and prunes them, plus the final model once a run finishes.
#include <QListWidget>
#include <QString>
#include <QStringList>

namespace bertwb::ui {

// Checkpoint folder names of a run, oldest first; the trainer's hidden staging folders are not
// listed.
QStringList checkpointFolders(const QString& runFolder);
// 100 for "checkpoint-000100".
qint64 checkpointStep(const QString& folderName);

class CheckpointList : public QListWidget {
  Q_OBJECT
 public:
  explicit CheckpointList(QWidget* parent = nullptr);
  // Lists `runFolder`'s checkpoints as they are on disk now.
  void showRun(const QString& runFolder);
  void addFinalModel(qint64 step);
  QStringList checkpointNames() const;

 private:
  QString runFolder_;
};

}  // namespace bertwb::ui
