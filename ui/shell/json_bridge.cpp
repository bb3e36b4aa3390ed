#include "shell/json_bridge.h"
#include "shell/bounded_read.h"

#include <QFile>
#include <QJsonDocument>

namespace bertwb::ui {

nlohmann::json toNlohmann(const QJsonObject& object) {
  const QByteArray text = QJsonDocument(object).toJson(QJsonDocument::Compact);
  return nlohmann::json::parse(text.constData(), text.constData() + text.size(), nullptr,
                               /*allow_exceptions=*/false);
}

QJsonObject toQJson(const nlohmann::json& object) {
  if (!object.is_object()) return {};
  return QJsonDocument::fromJson(QByteArray::fromStdString(object.dump())).object();
}

QJsonObject readJsonObjectFile(const QString& path) {
  const std::optional<QByteArray> bytes = readBoundedFile(path, kSettingsFile);
  return bytes ? QJsonDocument::fromJson(*bytes).object() : QJsonObject();
}

}  // namespace bertwb::ui
