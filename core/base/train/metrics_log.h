#pragma once
// The files a training run keeps beside its checkpoints: metrics.jsonl (one JSON line per
// logged step or evaluation) and the record of its evaluations that trainer_state.json
// carries, so a resumed run knows its best model.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "io/manifests.h"
#include "train/training_events.h"

namespace bertwb {

constexpr const char* kEvalResultsFile = kEvalResultsManifest;  // io/manifests.h

// OUT/metrics.jsonl
std::string metricsPath(const std::string& outputFolder);

// After resuming at `step`, metrics.jsonl keeps only the lines up to that step (and drops a
// line torn by a crash), so the file always tells one consistent history.
void trimMetrics(const std::string& path, int64_t step);

nlohmann::json evaluationRecordToJson(const EvaluationRecord& record);
// An empty or null object gives an empty record; throws bertwb::Error on a malformed one.
EvaluationRecord evaluationRecordFromJson(const nlohmann::json& json);

}  // namespace bertwb
