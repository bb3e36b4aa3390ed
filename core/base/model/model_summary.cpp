#include "model/model_summary.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "model/model_stats.h"
#include "util/format.h"

namespace bertwb {
namespace {

void appendRow(std::string& out, const std::string& label, const std::string& value,
               const std::string& note = "") {
  char line[256];
  std::snprintf(line, sizeof line, "  %-26s %15s", label.c_str(), value.c_str());
  out += line;
  if (!note.empty()) out += "  " + note;
  out += "\n";
}

}  // namespace

std::string modelSummaryText(const BertConfig& c, const std::string& title, int batchSize,
                             int sequenceLength) {
  const ParameterBreakdown p = countParameters(c);
  const MemoryEstimate m = estimateTrainingMemory(c, batchSize, sequenceLength);
  const FlopEstimate sparse = estimateFlops(c, sequenceLength, kMaskedFraction);
  const FlopEstimate dense = estimateFlops(c, sequenceLength, 1.0);
  std::string out = title + "\n\nConfig\n";
  appendRow(out, "layers L", std::to_string(c.num_hidden_layers));
  appendRow(out, "hidden size H", std::to_string(c.hidden_size));
  appendRow(out, "attention heads A", std::to_string(c.num_attention_heads),
            "head size " + std::to_string(c.headSize()));
  appendRow(out, "intermediate size", std::to_string(c.intermediate_size));
  appendRow(out, "vocabulary V", formatCount(c.vocab_size));
  appendRow(out, "max positions", std::to_string(c.max_position_embeddings));
  appendRow(out, "activation", c.hidden_act);
  out += "\nParameters\n";
  appendRow(out, "embeddings", formatCount(p.embeddings), "word + position + segment + LayerNorm");
  appendRow(out, "encoder", formatCount(p.encoder),
            std::to_string(c.num_hidden_layers) + " × " + formatCount(p.perLayer));
  appendRow(out, "pooler", formatCount(p.pooler));
  appendRow(out, "BertModel total", formatCount(p.bertModel()));
  appendRow(out, "MLM head", formatCount(p.mlmHead), "decoder weight tied to the word embeddings");
  appendRow(out, "NSP head", formatCount(p.nspHead));
  appendRow(out, "with pre-training heads", formatCount(p.withPretrainingHeads()));
  out += "\nMemory (fp32)\n";
  appendRow(out, "weights", formatBytes(static_cast<double>(m.weightBytes)));
  appendRow(out, "Adam training", formatBytes(static_cast<double>(m.trainingBytes())),
            "batch " + std::to_string(batchSize) + " × " + std::to_string(sequenceLength) +
                ": weights + gradients + 2 moments + ~" +
                formatBytes(static_cast<double>(m.activationBytes)) + " activations");
  out += "\nFLOPs per token (sequence length " + std::to_string(sequenceLength) + ")\n";
  appendRow(out, "forward", formatFlops(sparse.forwardPerToken));
  appendRow(out, "training", formatFlops(sparse.trainingPerToken),
            "MLM logits at the 15% masked positions");
  appendRow(out, "training, dense MLM", formatFlops(dense.trainingPerToken),
            "MLM logits at every position");
  return out;
}

std::string modelSummaryJson(const BertConfig& c, int batchSize, int sequenceLength) {
  const ParameterBreakdown p = countParameters(c);
  const MemoryEstimate m = estimateTrainingMemory(c, batchSize, sequenceLength);
  const FlopEstimate sparse = estimateFlops(c, sequenceLength, kMaskedFraction);
  const FlopEstimate dense = estimateFlops(c, sequenceLength, 1.0);
  nlohmann::json j;
  j["config"] = nlohmann::json::parse(configToJson(c));
  j["parameters"] = {{"embeddings", p.embeddings},
                     {"encoder", p.encoder},
                     {"pooler", p.pooler},
                     {"mlm_head", p.mlmHead},
                     {"nsp_head", p.nspHead},
                     {"bert_model", p.bertModel()},
                     {"with_pretraining_heads", p.withPretrainingHeads()}};
  j["memory_bytes"] = {{"weights_fp32", m.weightBytes},
                       {"gradients", m.gradientBytes},
                       {"adam_moments", m.optimizerBytes},
                       {"activations", m.activationBytes},
                       {"adam_training_total", m.trainingBytes()},
                       {"batch_size", batchSize},
                       {"sequence_length", sequenceLength}};
  j["flops_per_token"] = {{"sequence_length", sequenceLength},
                          {"forward", sparse.forwardPerToken},
                          {"training_masked_gather", sparse.trainingPerToken},
                          {"training_all_positions", dense.trainingPerToken}};
  return j.dump(2);
}

}  // namespace bertwb
