#include "finetune/finetune_file_problems.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>

#include "shell/bounded_read.h"
#include "util/error.h"

namespace bertwb::ui {
namespace {

// Re-reading a file once per bad line costs a read of the whole file each time: fine for task
// files of a few megabytes, too slow for a large one (which then lists its first problem only).
constexpr qint64 kRereadLimitBytes = 32 * 1024 * 1024;

bool isDelimitedTask(FinetuneTask task) {
  return task == FinetuneTask::Classify || task == FinetuneTask::Pair ||
         task == FinetuneTask::Regress;
}

// The core's messages start with the path they were given: "PATH:12: what". Shown with the
// file's name only, and the line number picked out.
TaskFileProblem problemOf(const QString& message, const QString& readPath,
                          const QString& shownName) {
  TaskFileProblem problem;
  problem.message = message;
  if (message.startsWith(readPath)) {
    problem.message = shownName + message.mid(readPath.size());
    const QString rest = message.mid(readPath.size());
    if (rest.startsWith(QLatin1Char(':'))) {
      const int end = rest.indexOf(QLatin1Char(':'), 1);
      bool ok = false;
      const qint64 line = rest.mid(1, end - 1).toLongLong(&ok);
      if (ok && end > 1) problem.line = line;
    }
  }
  return problem;
}

void takeResult(TaskFileCheck& check, const TaskDataset& data) {
  check.examples = static_cast<qint64>(datasetSize(data));
  check.labels = datasetLabels(data);
}

}  // namespace

TaskFileCheck checkTaskFile(FinetuneTask task, const QString& path, const TaskColumns& columns,
                            const std::vector<std::string>& labelSet, int maxProblems) {
  TaskFileCheck check;
  const QString shownName = QFileInfo(path).fileName();
  try {
    takeResult(check, readTaskDataset(task, path.toStdString(), columns, labelSet));
    return check;
  } catch (const std::exception& e) {
    check.problems.push_back(problemOf(QString::fromStdString(e.what()), path, shownName));
  }
  const TaskFileProblem& first = check.problems.front();
  // Line 1 is the header or the only row: a problem there concerns the whole file.
  if (!isDelimitedTask(task) || first.line <= 1 || QFileInfo(path).size() > kRereadLimitBytes)
    return check;

  const std::optional<QByteArray> bytes =
      readBoundedFile(path, FileKind{"task file", static_cast<uint64_t>(kRereadLimitBytes)});
  if (!bytes) return check;
  QList<QByteArray> lines = bytes->split('\n');
  QTemporaryDir scratch;
  if (!scratch.isValid()) return check;
  // The same file name, so the delimiter (by extension) is chosen the same way.
  const QString copy = QDir(scratch.path()).filePath(shownName);
  QSet<qint64> setAside;
  qint64 line = first.line;
  while (true) {
    if (line <= 1 || line > lines.size() || setAside.contains(line)) break;
    if (static_cast<int>(check.problems.size()) >= maxProblems) {
      check.truncated = true;
      break;
    }
    setAside.insert(line);
    lines[static_cast<int>(line - 1)].clear();  // a blank line: skipped, numbers kept
    QFile out(copy);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) break;
    out.write(lines.join('\n'));
    out.close();
    try {
      takeResult(check, readTaskDataset(task, copy.toStdString(), columns, labelSet));
      break;
    } catch (const std::exception& e) {
      check.problems.push_back(problemOf(QString::fromStdString(e.what()), copy, shownName));
      line = check.problems.back().line;
    }
  }
  return check;
}

}  // namespace bertwb::ui
