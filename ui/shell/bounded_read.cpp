#include "shell/bounded_read.h"

#include <exception>
#include <string>

namespace bertwb::ui {

std::optional<QByteArray> readBoundedFile(const QString& path, const FileKind& kind,
                                          QString* error) {
  try {
    const std::string bytes = readRegularFile(path.toStdString(), kind);
    return QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return std::nullopt;
  }
}

bool isReadableRegularFile(const QString& path, QString* error) {
  try {
    requireRegularFile(path.toStdString());
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

}  // namespace bertwb::ui
