#include "train/metrics_log.h"

#include <filesystem>
#include <fstream>

#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

nlohmann::json metricsOrNull(const std::optional<TaskMetrics>& metrics) {
  return metrics ? metrics->toJson() : nlohmann::json(nullptr);
}

std::optional<TaskMetrics> metricsFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  TaskMetrics metrics;
  metrics.mainMetric = jsonStringOr(json, "main_metric");
  for (const auto& [name, value] : json.items())
    if (value.is_number()) metrics.values[name] = value.get<double>();
  return metrics;
}

}  // namespace

std::string metricsPath(const std::string& outputFolder) {
  return (std::filesystem::path(outputFolder) / "metrics.jsonl").string();
}

void trimMetrics(const std::string& path, int64_t step) {
  std::ifstream in;
  try {
    in = openRegularFile(path, "metrics log");
  } catch (const Error&) {
    return;  // no log to trim
  }
  std::string kept, line;
  while (std::getline(in, line)) {
    try {
      if (jsonInteger<int64_t>(parseJson(line).at("step")) <= step) kept += line + "\n";
    } catch (const nlohmann::json::exception&) {
      // A line torn by a crash is dropped.
    }
  }
  in.close();
  writeFileAtomically(path, kept);
}

nlohmann::json evaluationRecordToJson(const EvaluationRecord& record) {
  if (!record.best) return nlohmann::json::object();
  return {{"best", metricsOrNull(record.best)},
          {"last", metricsOrNull(record.last)},
          {"best_step", record.bestStep},
          {"best_folder", record.bestFolder}};
}

EvaluationRecord evaluationRecordFromJson(const nlohmann::json& json) {
  EvaluationRecord record;
  if (!json.is_object() || json.empty()) return record;
  try {
    record.best = metricsFromJson(json.at("best"));
    record.last = metricsFromJson(json.value("last", nlohmann::json()));
    record.bestStep = jsonIntegerOr<int64_t>(json, "best_step", 0);
    record.bestFolder = jsonStringOr(json, "best_folder");
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("the checkpoint's evaluation record is malformed: ") + e.what());
  }
  return record;
}

}  // namespace bertwb
