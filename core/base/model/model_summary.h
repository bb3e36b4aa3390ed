#pragma once
// A model's summary as text (config, exact parameter counts by part, memory, FLOPs per
// token): what `bert-workbench-cli info` prints and the GUI's headless fallback shows.
#include <string>

#include "model/bert_config.h"

namespace bertwb {

// Share of positions whose MLM logits are computed when only the masked positions go
// through the output layer (BERT paper §3.1: 15% of the tokens are chosen).
constexpr double kMaskedFraction = 0.15;

std::string modelSummaryText(const BertConfig& config, const std::string& title, int batchSize,
                             int sequenceLength);

// The same numbers as one JSON object (for scripts).
std::string modelSummaryJson(const BertConfig& config, int batchSize, int sequenceLength);

}  // namespace bertwb
