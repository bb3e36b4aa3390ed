#pragma once
// Checkpoint folders in the Hugging Face layout: config.json + model.safetensors (the
// tokenizer files and the trainer's files live beside them). Reads every variant published
// BERT checkpoints come in: LayerNorm.gamma/beta names, an extra position_ids buffer, the
// tied decoder weight present or absent, with or without the "bert." prefix.
#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "model/bert_config.h"
#include "text/tokenizer.h"

namespace bertwb {

constexpr const char* kConfigFileName = "config.json";
constexpr const char* kWeightsFileName = "model.safetensors";

struct LoadReport {
  std::vector<std::string> missingKeys;     // in the model, not in the file: left as initialised
  std::vector<std::string> unexpectedKeys;  // in the file, no place in the model: not used
  std::vector<std::string> notes;           // renames and ties applied, for the curious
  // Warnings worded as Hugging Face words them; empty when everything matched.
  std::string warningText(const std::string& modelName, const std::string& source) const;
};

// Maps a file's key to this model's naming. `modelHasBertPrefix`: the model is a BERT with
// heads (keys "bert.…"), not a bare BertModel. Returns "" for keys that are deliberately
// ignored (position_ids buffer, tied decoder weight).
std::string canonicalParameterName(const std::string& fileKey, bool modelHasBertPrefix);

// Copies the file's tensors into the module's parameters (converting dtype), checking
// shapes (a mismatch is an error naming the key and both shapes).
LoadReport loadWeights(torch::nn::Module& model, const SafetensorsReader& file);

// Parameters and buffers under their checkpoint names.
NamedTensors namedWeights(const torch::nn::Module& model);

struct CheckpointSummary {
  BertConfig config;
  bool hasPretrainingHeads = false;  // cls.predictions.* or cls.seq_relationship.* present
  std::vector<std::string> tensorNames;
};

// Reads config.json and the weights file's header, without loading tensors.
CheckpointSummary inspectCheckpoint(const std::string& folder);

// Writes config.json (with "architectures") and model.safetensors. A new folder is written
// under a temporary name and renamed into place as a whole; in an existing folder each file
// is replaced atomically, so other files there (vocab.txt, metrics.jsonl) are kept.
// With a `tokenizer`, its files are saved too: a checkpoint carries its tokenizer.
void saveCheckpoint(const std::string& folder, const BertConfig& config,
                    const torch::nn::Module& model, const std::string& architecture,
                    std::optional<torch::ScalarType> storeAs = std::nullopt,
                    const Tokenizer* tokenizer = nullptr);

std::string weightsPath(const std::string& folder);

}  // namespace bertwb
