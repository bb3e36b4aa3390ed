#include "train/run_setup.h"

namespace bertwb {

TrainingRunOptions pretrainingRunOptions(const PretrainingRecipe& r,
                                         const std::string& outputFolder,
                                         const PrecisionChoice& precision) {
  TrainingRunOptions o;
  o.outputFolder = outputFolder;
  o.steps = r.steps;
  o.accumulate = r.accumulate;
  o.adam.learningRate = r.learningRate;
  o.adam.weightDecay = r.weightDecay;
  o.warmupSteps = r.warmupSteps;
  o.schedule = lrScheduleKindFromName(r.schedule);
  o.clipNorm = r.clipNorm;
  o.precision = precision;
  o.seed = r.seed;
  o.logEvery = r.logEvery;
  o.evaluateEvery = r.probeEvery;
  o.checkpoints = true;
  o.saveEvery = r.saveEvery;
  o.keepLast = r.keepLast;
  return o;
}

PretrainingObjectiveOptions pretrainingObjectiveOptions(const PretrainingRecipe& r,
                                                        ProbeSet probes) {
  PretrainingObjectiveOptions o;
  o.batchSize = r.batchSize;
  o.maxSeqLength = r.maxSeqLength;
  o.nsp = r.nsp;
  o.probes = std::move(probes);
  return o;
}

PretrainingDataOptions pretrainingDataOptions(const PretrainingRecipe& r) {
  PretrainingDataOptions o;
  o.maxSeqLength = r.maxSeqLength;
  o.maskedLmProb = r.maskedLmProb;
  o.dupeFactor = r.dupeFactor;
  o.dynamicMasking = r.dynamicMasking;
  o.wholeWordMask = r.wholeWordMask;
  o.seed = r.seed;
  return o;
}

TrainingRunOptions finetuningRunOptions(const FinetuningRecipe& r, const std::string& outputFolder,
                                        const PrecisionChoice& precision, int64_t totalSteps) {
  TrainingRunOptions o;
  o.outputFolder = outputFolder;
  o.steps = totalSteps;
  o.accumulate = r.accumulate;
  o.adam.learningRate = r.learningRate;
  o.adam.weightDecay = r.weightDecay;
  o.warmupSteps = finetuningWarmupSteps(r, totalSteps);
  o.schedule = lrScheduleKindFromName(r.schedule);
  o.clipNorm = r.clipNorm;
  o.precision = precision;
  o.seed = r.seed;
  o.logEvery = r.logEvery;
  o.evaluateEvery = r.evalEvery;
  o.checkpoints = false;
  return o;
}

FinetuningObjectiveOptions finetuningObjectiveOptions(const FinetuningRecipe& r) {
  FinetuningObjectiveOptions o;
  o.epochs = r.epochs;
  o.batchSize = r.batchSize;
  o.accumulate = r.accumulate;
  o.seed = r.seed;
  o.evalBatchSize = r.evalBatchSize;
  o.frozenEncoder = r.frozenEncoder;
  return o;
}

}  // namespace bertwb
