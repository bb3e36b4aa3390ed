#pragma once
// Helpers shared by the core test suites.
#include <QString>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/error.h"

namespace bertwb::test {

// The message of the bertwb::Error `action` throws, or "" when it throws none.
template <typename Action>
QString errorOf(Action&& action) {
  try {
    action();
  } catch (const Error& e) {
    return QString::fromUtf8(e.what());
  }
  return {};
}

// Every line of a JSON-lines file (metrics.jsonl), parsed; none when the file is missing.
inline std::vector<nlohmann::json> readJsonLines(const std::string& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

}  // namespace bertwb::test
