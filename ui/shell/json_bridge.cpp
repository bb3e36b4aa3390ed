#include "shell/json_bridge.h"

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
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll()).object();
}

}  // namespace bertwb::ui
