#pragma once
// One shape for every task's dev-set scores: each metric by name (the names Hugging Face's
// GLUE/seqeval/SQuAD metrics use) and which one decides the best checkpoint. The CLI's
// `evaluate` prints it as one JSON line; metrics.jsonl and the GUI read the same names.
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tasks/classification_metrics.h"
#include "tasks/entity_metrics.h"
#include "tasks/squad_metrics.h"

namespace bertwb {

// How a task is scored (regression apart from classification, unlike the model head kinds).
enum class MetricFamily { Classification, Regression, Tagging, QuestionAnswering, MultipleChoice };

// Which classification score picks the best checkpoint: accuracy by default (most GLUE
// tasks), Matthews correlation for CoLA, F1 for MRPC/QQP-style paraphrase tasks when asked.
enum class ClassificationMainMetric { Accuracy, BinaryF1, Matthews };

// The metric names a task family reports (always present) and its main one. Every metric
// here is better when higher.
struct MetricSet {
  std::vector<std::string> names;
  std::string mainMetric;
};

MetricSet metricSetFor(MetricFamily family,
                       ClassificationMainMetric choice = ClassificationMainMetric::Accuracy);

// What the views of an evaluation draw beyond its scores, computed from the per-example
// predictions: the confusion matrix and per-class scores (classification), per-type entity
// scores (BIO tagging). Empty for the other tasks.
struct EvaluationDetails {
  int64_t scoredExamples = 0;
  std::vector<std::string> labels;  // classification: class id → name
  std::optional<ClassificationReport> classification;
  std::optional<EntityReport> entities;
};

struct TaskMetrics {
  std::map<std::string, double> values;
  std::string mainMetric;

  // The main metric's value; 0 when it is missing.
  double main() const;
  // {"main_metric": "f1", "f1": 88.5, "exact": 81.2, ...}: one flat object.
  nlohmann::json toJson() const;
};

// True when `candidate` beats `best` on the main metric (ties keep the earlier checkpoint).
bool improvesOn(const TaskMetrics& candidate, const TaskMetrics& best);

// accuracy, macro_f1, matthews_correlation, plus f1 (class 1) when there are two classes.
TaskMetrics taskMetrics(const ClassificationReport& report,
                        ClassificationMainMetric choice = ClassificationMainMetric::Accuracy);
// pearson, spearmanr, mse; main pearson.
TaskMetrics taskMetrics(const RegressionReport& report);
// precision, recall, f1 (entity-level micro averages); main f1.
TaskMetrics taskMetrics(const EntityReport& report);
// exact, f1, total, and HasAns_* / NoAns_* where such questions exist (as the v2 script);
// main f1.
TaskMetrics taskMetrics(const SquadScores& scores);
// Multiple choice: accuracy over examples; main accuracy.
TaskMetrics multipleChoiceMetrics(double correctFraction);

}  // namespace bertwb
