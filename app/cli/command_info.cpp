// `info`: what a model is, in numbers: config, exact parameter counts by part, memory for
// the weights and for Adam training, FLOPs per token.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "io/checkpoint.h"
#include "model/model_stats.h"
#include "model_source.h"
#include "util/format.h"

namespace bertwb::cli {
namespace {

// Share of positions whose MLM logits are computed when only masked positions go through
// the output layer (BERT paper §3.1: 15% of the tokens are chosen).
constexpr double kMaskedFraction = 0.15;

struct InfoOptions {
  ModelSource source;
  int batchSize = 32;
  int sequenceLength = 128;
  bool json = false;
};

void printRow(const std::string& label, const std::string& value, const std::string& note = "") {
  std::printf("  %-28s %15s%s%s\n", label.c_str(), value.c_str(), note.empty() ? "" : "  ", note.c_str());
}

nlohmann::json infoJson(const BertConfig& c, const ParameterBreakdown& p, const MemoryEstimate& m,
                        const FlopEstimate& sparse, const FlopEstimate& dense, const InfoOptions& o) {
  nlohmann::json j;
  j["config"] = nlohmann::json::parse(configToJson(c));
  j["parameters"] = {{"embeddings", p.embeddings}, {"encoder", p.encoder},     {"pooler", p.pooler},
                     {"mlm_head", p.mlmHead},       {"nsp_head", p.nspHead},    {"bert_model", p.bertModel()},
                     {"with_pretraining_heads", p.withPretrainingHeads()}};
  j["memory_bytes"] = {{"weights_fp32", m.weightBytes},       {"gradients", m.gradientBytes},
                       {"adam_moments", m.optimizerBytes},    {"activations", m.activationBytes},
                       {"adam_training_total", m.trainingBytes()}, {"batch_size", o.batchSize},
                       {"sequence_length", o.sequenceLength}};
  j["flops_per_token"] = {{"sequence_length", o.sequenceLength},
                          {"forward", sparse.forwardPerToken},
                          {"training_masked_gather", sparse.trainingPerToken},
                          {"training_all_positions", dense.trainingPerToken}};
  return j;
}

void runInfo(const InfoOptions& o) {
  std::string description;
  BertConfig c = resolveConfig(o.source, &description);
  validateConfig(c, description);
  const ParameterBreakdown p = countParameters(c);
  const MemoryEstimate m = estimateTrainingMemory(c, o.batchSize, o.sequenceLength);
  const FlopEstimate sparse = estimateFlops(c, o.sequenceLength, kMaskedFraction);
  const FlopEstimate dense = estimateFlops(c, o.sequenceLength, 1.0);
  if (o.json) {
    std::cout << infoJson(c, p, m, sparse, dense, o).dump(2) << "\n";
    return;
  }
  std::printf("%s\n", description.c_str());
  if (!o.source.checkpoint.empty()) {
    CheckpointSummary summary = inspectCheckpoint(o.source.checkpoint);
    std::printf("  %s: %zu tensors, %s pre-training heads\n", kWeightsFileName, summary.tensorNames.size(),
                summary.hasPretrainingHeads ? "with" : "without");
  }
  std::printf("\nConfig\n");
  printRow("layers L", std::to_string(c.num_hidden_layers));
  printRow("hidden size H", std::to_string(c.hidden_size));
  printRow("attention heads A", std::to_string(c.num_attention_heads), "head size " + std::to_string(c.headSize()));
  printRow("intermediate size", std::to_string(c.intermediate_size));
  printRow("vocabulary V", formatCount(c.vocab_size));
  printRow("max positions", std::to_string(c.max_position_embeddings));
  printRow("activation", c.hidden_act);
  std::printf("\nParameters\n");
  printRow("embeddings", formatCount(p.embeddings), "word + position + segment + LayerNorm");
  printRow("encoder", formatCount(p.encoder),
           std::to_string(c.num_hidden_layers) + " × " + formatCount(p.perLayer));
  printRow("pooler", formatCount(p.pooler));
  printRow("BertModel total", formatCount(p.bertModel()));
  printRow("MLM head", formatCount(p.mlmHead), "decoder weight tied to the word embeddings");
  printRow("NSP head", formatCount(p.nspHead));
  printRow("with pre-training heads", formatCount(p.withPretrainingHeads()));
  std::printf("\nMemory (fp32)\n");
  printRow("weights", formatBytes(static_cast<double>(m.weightBytes)));
  printRow("Adam training", formatBytes(static_cast<double>(m.trainingBytes())),
           "batch " + std::to_string(o.batchSize) + " × " + std::to_string(o.sequenceLength) +
               ": weights + gradients + 2 moments + ~" + formatBytes(static_cast<double>(m.activationBytes)) +
               " activations");
  std::printf("\nFLOPs per token (sequence length %d)\n", o.sequenceLength);
  printRow("forward", formatFlops(sparse.forwardPerToken));
  printRow("training", formatFlops(sparse.trainingPerToken), "MLM logits at the 15% masked positions");
  printRow("training, dense MLM", formatFlops(dense.trainingPerToken), "MLM logits at every position");
}

}  // namespace

void addInfoCommand(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* command = app.add_subcommand(
      "info", "Show a model's config, exact parameter counts by part, memory and FLOPs per token");
  addModelSourceOptions(command, options->source, /*allowCheckpoint=*/true);
  command->add_option("--batch-size", options->batchSize, "batch size for the training-memory estimate")
      ->check(CLI::PositiveNumber)->capture_default_str();
  command->add_option("--seq-length", options->sequenceLength, "sequence length for memory and FLOPs")
      ->check(CLI::PositiveNumber)->capture_default_str();
  command->add_flag("--json", options->json, "print one JSON object instead of a table");
  command->callback([options] { runInfo(*options); });
}

}  // namespace bertwb::cli
