#pragma once
// Qt's JSON objects and nlohmann's, converted through their text form: the workspace is
// written with Qt's, the core's recipes read and write nlohmann's. Both hold the same JSON.
#include <QJsonObject>
#include <nlohmann/json.hpp>

namespace bertwb::ui {

nlohmann::json toNlohmann(const QJsonObject& object);
QJsonObject toQJson(const nlohmann::json& object);  // a non-object gives an empty object
// The JSON object in the file at `path`; empty when it is missing, unreadable or not an
// object (the run-folder records are read this way: a missing one is no error).
QJsonObject readJsonObjectFile(const QString& path);

}  // namespace bertwb::ui
