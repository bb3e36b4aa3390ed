#include "io/model_loading.h"

#include "model/initialization.h"

namespace bertwb {
namespace {

template <typename ModelHolder>
ModelHolder buildAndLoad(const std::string& folder, LoadReport* report, uint64_t seed) {
  CheckpointSummary summary = inspectCheckpoint(folder);
  ModelHolder model(summary.config);
  // Initialise first so that anything the file lacks has sensible values, not garbage.
  initializeBertWeights(*model, summary.config.initializer_range, seed);
  LoadReport local = loadWeights(*model, SafetensorsReader(weightsPath(folder)));
  if (report) *report = std::move(local);
  model->eval();
  return model;
}

}  // namespace

BertForPreTraining loadPretrainingModel(const std::string& folder, LoadReport* report,
                                        uint64_t seed) {
  return buildAndLoad<BertForPreTraining>(folder, report, seed);
}

BertModel loadBareModel(const std::string& folder, LoadReport* report) {
  return buildAndLoad<BertModel>(folder, report, kDefaultHeadSeed);
}

}  // namespace bertwb
