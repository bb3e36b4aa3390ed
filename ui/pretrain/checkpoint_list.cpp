#include "pretrain/checkpoint_list.h"

#include <QDir>

namespace bertwb::ui {
namespace {
const QString kCheckpointPrefix = QStringLiteral("checkpoint-");  // training_checkpoint.h's naming
}

QStringList checkpointFolders(const QString& runFolder) {
  if (runFolder.isEmpty()) return {};
  return QDir(runFolder).entryList({kCheckpointPrefix + QLatin1Char('*')},
                                   QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

qint64 checkpointStep(const QString& folderName) {
  return folderName.mid(kCheckpointPrefix.size()).toLongLong();
}

CheckpointList::CheckpointList(QWidget* parent) : QListWidget(parent) {
  setToolTip(
      tr("Checkpoints of this run as they are saved (the newest few are kept). Resume continues "
         "from the "
         "newest."));
}

void CheckpointList::showRun(const QString& runFolder) {
  runFolder_ = runFolder;
  clear();
  for (const QString& name : checkpointFolders(runFolder)) {
    auto* item = new QListWidgetItem(tr("%1  (step %2)").arg(name).arg(checkpointStep(name)), this);
    item->setData(Qt::UserRole, name);
    item->setToolTip(QDir(runFolder).filePath(name));
  }
}

void CheckpointList::addFinalModel(qint64 step) {
  auto* item = new QListWidgetItem(tr("final model (step %1)").arg(step), this);
  item->setToolTip(runFolder_);
}

QStringList CheckpointList::checkpointNames() const {
  QStringList names;
  for (int i = 0; i < count(); ++i) {
    const QString name = item(i)->data(Qt::UserRole).toString();
    if (!name.isEmpty()) names << name;
  }
  return names;
}

}  // namespace bertwb::ui
