#pragma once
// The GUI's reads of files it did not write itself this session (workspace.json, configs,
// metrics, predictions, corpus previews) go through the core's file rule
// (util/regular_file.h): regular files only, opened without blocking, at most the cap of
// their kind. A FIFO or /dev/zero named in a workspace is then a message, never a frozen
// window or a read that fills memory.
#include <QByteArray>
#include <QString>
#include <optional>

#include "util/regular_file.h"

namespace bertwb::ui {

// The file's bytes; nullopt when it is missing, not a regular file, larger than kind allows
// or unreadable, with the reason (naming the path) in *error when error is given.
std::optional<QByteArray> readBoundedFile(const QString& path, const FileKind& kind,
                                          QString* error = nullptr);

// Whether `path` is a regular file that can be opened (without blocking), with the reason in
// *error when not. For readers that stream a file line by line.
bool isReadableRegularFile(const QString& path, QString* error = nullptr);

}  // namespace bertwb::ui
