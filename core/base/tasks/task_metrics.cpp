#include "tasks/task_metrics.h"

#include <nlohmann/json.hpp>

namespace bertwb {
namespace {

// The keys, as Hugging Face's glue / seqeval / squad_v2 metrics name them.
const char* const kAccuracy = "accuracy";
const char* const kF1 = "f1";
const char* const kMacroF1 = "macro_f1";
const char* const kMatthews = "matthews_correlation";
const char* const kPearson = "pearson";
const char* const kSpearman = "spearmanr";
const char* const kMeanSquaredError = "mse";
const char* const kPrecision = "precision";
const char* const kRecall = "recall";
const char* const kExact = "exact";
const char* const kTotal = "total";
const char* const kMainMetricKey = "main_metric";

// Binary F1 only means something when class 1 is "the" positive class of two.
constexpr int kBinaryClasses = 2;

const char* classificationMainName(ClassificationMainMetric choice) {
  switch (choice) {
    case ClassificationMainMetric::BinaryF1:
      return kF1;
    case ClassificationMainMetric::Matthews:
      return kMatthews;
    case ClassificationMainMetric::Accuracy:
      break;
  }
  return kAccuracy;
}

void addSquadGroup(TaskMetrics& metrics, const std::string& prefix, double exact, double f1,
                   int64_t total) {
  if (total == 0) return;  // the script adds a group only when it has questions
  metrics.values[prefix + "_exact"] = exact;
  metrics.values[prefix + "_f1"] = f1;
  metrics.values[prefix + "_total"] = static_cast<double>(total);
}

}  // namespace

MetricSet metricSetFor(MetricFamily family, ClassificationMainMetric choice) {
  switch (family) {
    case MetricFamily::Classification:
      return {{kAccuracy, kMacroF1, kMatthews}, classificationMainName(choice)};
    case MetricFamily::Regression:
      return {{kPearson, kSpearman, kMeanSquaredError}, kPearson};
    case MetricFamily::Tagging:
      return {{kPrecision, kRecall, kF1}, kF1};
    case MetricFamily::QuestionAnswering:
      return {{kExact, kF1, kTotal}, kF1};
    case MetricFamily::MultipleChoice:
      break;
  }
  return {{kAccuracy}, kAccuracy};
}

double TaskMetrics::main() const {
  const auto found = values.find(mainMetric);
  return found == values.end() ? 0.0 : found->second;
}

nlohmann::json TaskMetrics::toJson() const {
  nlohmann::json json = nlohmann::json::object();
  json[kMainMetricKey] = mainMetric;
  for (const auto& [name, value] : values) json[name] = value;
  return json;
}

bool improvesOn(const TaskMetrics& candidate, const TaskMetrics& best) {
  return candidate.main() > best.main();
}

TaskMetrics taskMetrics(const ClassificationReport& report, ClassificationMainMetric choice) {
  TaskMetrics metrics;
  metrics.values[kAccuracy] = report.accuracy;
  metrics.values[kMacroF1] = report.macroF1;
  metrics.values[kMatthews] = report.matthews;
  if (report.confusion.size() == kBinaryClasses) metrics.values[kF1] = report.binaryF1;
  metrics.mainMetric = classificationMainName(choice);
  return metrics;
}

TaskMetrics taskMetrics(const RegressionReport& report) {
  TaskMetrics metrics;
  metrics.values[kPearson] = report.pearson;
  metrics.values[kSpearman] = report.spearman;
  metrics.values[kMeanSquaredError] = report.meanSquaredError;
  metrics.mainMetric = metricSetFor(MetricFamily::Regression).mainMetric;
  return metrics;
}

TaskMetrics taskMetrics(const EntityReport& report) {
  TaskMetrics metrics;
  metrics.values[kPrecision] = report.overall.precision;
  metrics.values[kRecall] = report.overall.recall;
  metrics.values[kF1] = report.overall.f1;
  metrics.mainMetric = metricSetFor(MetricFamily::Tagging).mainMetric;
  return metrics;
}

TaskMetrics taskMetrics(const SquadScores& scores) {
  TaskMetrics metrics;
  metrics.values[kExact] = scores.exact;
  metrics.values[kF1] = scores.f1;
  metrics.values[kTotal] = static_cast<double>(scores.total);
  addSquadGroup(metrics, "HasAns", scores.hasAnsExact, scores.hasAnsF1, scores.hasAnsTotal);
  addSquadGroup(metrics, "NoAns", scores.noAnsExact, scores.noAnsF1, scores.noAnsTotal);
  metrics.mainMetric = metricSetFor(MetricFamily::QuestionAnswering).mainMetric;
  return metrics;
}

TaskMetrics multipleChoiceMetrics(double correctFraction) {
  TaskMetrics metrics;
  metrics.values[kAccuracy] = correctFraction;
  metrics.mainMetric = metricSetFor(MetricFamily::MultipleChoice).mainMetric;
  return metrics;
}

}  // namespace bertwb
