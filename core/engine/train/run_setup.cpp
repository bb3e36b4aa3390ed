#include "train/run_setup.h"

namespace bertwb {
namespace {

// What both recipes name alike: the optimizer, the shape of its schedule, clipping, the
// precision, the seed and the logging.
template <typename Recipe>
TrainingRunOptions sharedRunOptions(const Recipe& r, const std::string& outputFolder,
                                    const PrecisionChoice& precision) {
  TrainingRunOptions o;
  o.outputFolder = outputFolder;
  o.accumulate = r.accumulate;
  o.adam.learningRate = r.learningRate;
  o.adam.weightDecay = r.weightDecay;
  o.schedule = lrScheduleKindFromName(r.schedule);
  o.clipNorm = r.clipNorm;
  o.precision = precision;
  o.seed = r.seed;
  o.logEvery = r.logEvery;
  return o;
}

}  // namespace

TrainingRunOptions pretrainingRunOptions(const PretrainingRecipe& r,
                                         const std::string& outputFolder,
                                         const PrecisionChoice& precision) {
  TrainingRunOptions o = sharedRunOptions(r, outputFolder, precision);
  o.steps = r.steps;
  o.warmupSteps = r.warmupSteps;
  o.evaluateEvery = r.probeEvery;  // the probes are pre-training's evaluation
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
  o.dataSettings = pretrainingDataSettings(pretrainingDataOptions(r));
  return o;
}

nlohmann::json pretrainingDataSettings(const PretrainingDataOptions& d) {
  nlohmann::json settings = {{"masked_lm_prob", d.maskedLmProb},
                             {"mask_token_share", d.maskTokenShare},
                             {"random_token_share", d.randomTokenShare},
                             {"max_predictions_per_seq", d.maxPredictionsPerSeq},
                             {"short_seq_prob", d.shortSeqProb},
                             {"whole_word_mask", d.wholeWordMask},
                             {"dupe_factor", d.dupeFactor},
                             {"dynamic_masking", d.dynamicMasking}};
  // Only when set, so the runs recorded before it existed still resume.
  if (d.singleSegments) settings["single_segments"] = true;
  return settings;
}

TrainingRunOptions finetuningRunOptions(const FinetuningRecipe& r, const std::string& outputFolder,
                                        const PrecisionChoice& precision, int64_t totalSteps) {
  TrainingRunOptions o = sharedRunOptions(r, outputFolder, precision);
  o.steps = totalSteps;
  o.warmupSteps = finetuningWarmupSteps(r, totalSteps);
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
