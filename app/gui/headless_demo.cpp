#include "headless_demo.h"

#include <chrono>
#include <iostream>

#include "model/bert_pretraining.h"
#include "model/initialization.h"
#include "model/model_summary.h"
#include "model/presets.h"
#include "runtime/device.h"

namespace bertwb {

int runHeadlessDemo(const std::string& presetName) {
  const ModelPreset& preset = findPreset(presetName);
  const BertConfig config = presetConfig(preset.name);
  std::cout << modelSummaryText(config, preset.display, /*batchSize=*/32, /*sequenceLength=*/128)
            << "\n";

  // One forward pass on [CLS] A [SEP] B [SEP]-shaped ids, to show the engine runs here.
  constexpr int64_t kBatch = 2, kLength = 16;
  const uint64_t seed = 12345;
  BertForPreTraining model(config);
  initializeBertWeights(*model, config.initializer_range, seed);
  model->eval();
  torch::NoGradGuard noGrad;
  auto ids = torch::randint(1000, 2000, {kBatch, kLength}, torch::kInt64);
  auto segments = torch::cat({torch::zeros({kBatch, kLength / 2}, torch::kInt64),
                              torch::ones({kBatch, kLength / 2}, torch::kInt64)},
                             /*dim=*/1);
  const auto start = std::chrono::steady_clock::now();
  PreTrainingOutput out = model->forward(BertInputs{ids, segments, torch::ones_like(ids)});
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "Forward pass on " << describeDevice(torch::kCPU) << ": batch " << kBatch << " × "
            << kLength << " tokens in " << ms << " ms\n"
            << "  last_hidden_state " << out.bert.lastHiddenState.sizes() << ", prediction_logits "
            << out.predictionLogits.sizes() << ", seq_relationship_logits "
            << out.seqRelationshipLogits.sizes() << "\n";
  return 0;
}

}  // namespace bertwb
