#pragma once
// What a model costs before it exists: exact parameters by part, memory for weights and for
// Adam training, FLOPs per token and per step (all from the config, see core's model_stats),
// plus an estimated step time from this machine's measured matmul rate. The rate comes from
// a short benchmark run off the GUI thread by MatmulRateProbe.
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

#include "model/bert_config.h"
#include "model/model_stats.h"

namespace bertwb::ui {

class BackgroundJob;

struct TrainingCost {
  ParameterBreakdown parameters;
  MemoryEstimate memory;  // Adam, fp32, at batch × sequence
  FlopEstimate flops;     // per token, MLM logits at the masked positions only
  double flopsPerStep = 0;
};

// Throws nothing for a config that passes configProblems(); callers check that first.
TrainingCost estimateTrainingCost(const BertConfig& config, int batchSize, int sequenceLength);

// Seconds for one training step at `gflopsPerSecond`: the ideal time if every FLOP ran at the
// matmul rate. Real steps are slower (softmax, norms, memory traffic), so this is a lower bound.
double estimateStepSeconds(double flopsPerStep, double gflopsPerSecond);

// Measures the matmul rate once per process (later probes answer from the cache at once).
class MatmulRateProbe : public QObject {
  Q_OBJECT
 public:
  explicit MatmulRateProbe(QObject* parent = nullptr);

  // Starts the benchmark unless it already ran; `measured` follows (queued) either way.
  void start();
  std::optional<double> gflopsPerSecond() const;

 Q_SIGNALS:
  void measured(double gflopsPerSecond);
  void failed(const QString& message);

 private:
  BackgroundJob* job_;
  std::shared_ptr<double> result_;
};

}  // namespace bertwb::ui
