// `info`: what a model is, in numbers: config, exact parameter counts by part, memory for
// the weights and for Adam training, FLOPs per token.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "io/checkpoint.h"
#include "model/model_summary.h"
#include "model_source.h"

namespace bertwb::cli {
namespace {

struct InfoOptions {
  ModelSource source;
  int batchSize = 32;
  int sequenceLength = 128;
  bool json = false;
};

void runInfo(const InfoOptions& o) {
  std::string description;
  BertConfig config = resolveConfig(o.source, &description);
  validateConfig(config, description);
  if (o.json) {
    std::cout << modelSummaryJson(config, o.batchSize, o.sequenceLength) << "\n";
    return;
  }
  if (!o.source.checkpoint.empty()) {
    CheckpointSummary summary = inspectCheckpoint(o.source.checkpoint);
    description += "\n  " + std::string(kWeightsFileName) + ": " +
                   std::to_string(summary.tensorNames.size()) + " tensors, " +
                   (summary.hasPretrainingHeads ? "with" : "without") + " pre-training heads";
  }
  std::cout << modelSummaryText(config, description, o.batchSize, o.sequenceLength);
}

}  // namespace

void addInfoCommand(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* command = app.add_subcommand(
      "info", "Show a model's config, exact parameter counts by part, memory and FLOPs per token");
  addModelSourceOptions(command, options->source, /*allowCheckpoint=*/true);
  command
      ->add_option("--batch-size", options->batchSize,
                   "batch size for the training-memory estimate")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--seq-length", options->sequenceLength, "sequence length for memory and FLOPs")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_flag("--json", options->json, "print one JSON object instead of a table");
  command->callback([options] { runInfo(*options); });
}

}  // namespace bertwb::cli
