#pragma once
// Unit factors and text conversions every panel uses, in one place so that files compiled
// together (the ui unity groups) do not each define their own copy.
#include <QDir>
#include <QString>
#include <string>

namespace bertwb::ui {

constexpr double kPercent = 100.0;  // a share of 1 as a percentage
constexpr double kFlopsPerGflop = 1e9;

// The core's UTF-8 std::string as Qt text.
inline QString fromStd(const std::string& text) {
  return QString::fromStdString(text);
}
// A path from Qt for the core's file functions (native separators, UTF-8).
inline std::string localPath(const QString& path) {
  return QDir::toNativeSeparators(path).toStdString();
}

}  // namespace bertwb::ui
