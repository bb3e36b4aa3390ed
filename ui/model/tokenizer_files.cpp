#include "model/tokenizer_files.h"
#include "widgets/display_units.h"

#include <QDir>
#include <QFile>
#include <filesystem>
#include <system_error>

#include "util/error.h"

namespace bertwb::ui {
namespace {

// Beside the target, so the rename stays on one file system and is atomic.
const QString kPartialSuffix = QStringLiteral(".partial");

}  // namespace

const QStringList& tokenizerFileNames() {
  static const QStringList names = {QStringLiteral("vocab.txt"), QStringLiteral("spiece.model"),
                                    QStringLiteral("tokenizer_config.json")};
  return names;
}

void clearTokenizerFiles(const QString& folder) {
  const QDir dir(folder);
  if (!dir.mkpath(QStringLiteral(".")))
    throw Error("cannot create the folder '" + localPath(folder) + "'");
  for (const QString& name : tokenizerFileNames()) {
    if (dir.exists(name) && !QFile::remove(dir.filePath(name)))
      throw Error("cannot remove '" + localPath(dir.filePath(name)) + "'");
  }
}

void installTokenizerFiles(const QString& staging, const QString& target) {
  const QDir from(staging);
  const QDir to(target);
  if (!to.mkpath(QStringLiteral(".")))
    throw Error("cannot create the tokenizer folder '" + localPath(target) + "'");
  for (const QString& name : tokenizerFileNames()) {
    if (!from.exists(name)) continue;
    const QString partial = to.filePath(name + kPartialSuffix);
    QFile::remove(partial);
    if (!QFile::copy(from.filePath(name), partial))
      throw Error("cannot copy '" + localPath(from.filePath(name)) + "' to '" + localPath(partial) +
                  "'");
    std::error_code error;
    // std::filesystem::rename replaces an existing file in one step (QFile::rename refuses).
    std::filesystem::rename(localPath(partial), localPath(to.filePath(name)), error);
    if (error) {
      QFile::remove(partial);
      throw Error("cannot replace '" + localPath(to.filePath(name)) + "': " + error.message());
    }
  }
  for (const QString& name : tokenizerFileNames()) {
    if (!from.exists(name) && to.exists(name) && !QFile::remove(to.filePath(name)))
      throw Error("cannot remove the old '" + localPath(to.filePath(name)) + "'");
  }
}

}  // namespace bertwb::ui
