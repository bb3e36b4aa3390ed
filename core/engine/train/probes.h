#pragma once
// Probes: a few fixed inputs run through the model now and then during training, so the
// user watches it learn (what fills each [MASK], how sure it is that B follows A).
#include <string>
#include <vector>

#include "model/bert_pretraining.h"
#include "text/tokenizer.h"
#include "train/training_events.h"

namespace bertwb {

struct ProbeSet {
  std::vector<std::string> fillMaskTexts;  // each with one or more "[MASK]"
  std::string nspTextA, nspTextB;          // empty: no pair probe
  int topK = 5;
  bool empty() const { return fillMaskTexts.empty() && nspTextA.empty(); }
};

// Runs the probes in eval mode without gradients and restores the model's training mode.
ProbeResult runProbes(BertForPreTraining& model, const Tokenizer& tokenizer, const ProbeSet& probes,
                      const torch::Device& device, int64_t step);

}  // namespace bertwb
