#pragma once
// An experiment recipe expanded into the runs it needs ("cells"), each named by a key that
// hashes everything that determines its result. A finished cell is found again by its key, so
// an interrupted experiment resumes where it stopped and an edited recipe reruns only the
// cells whose settings changed. Pre-training runs are cells of their own, shared by every
// task (and by every variant with the same pre-training settings); fine-tuning cells name
// the pre-training cell they start from.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/experiment_recipe.h"
#include "model/bert_config.h"

namespace bertwb {

// Bumped whenever the meaning of a cell's settings changes (a default moved, a bug fixed that
// changes results), so no result of the old meaning is reused.
inline constexpr int kExperimentCellVersion = 1;

enum class CellKind { Pretraining, Finetuning };

struct ExperimentCell {
  CellKind kind = CellKind::Pretraining;
  size_t variant = 0;          // the first variant that needs this cell
  std::optional<size_t> task;  // fine-tuning cells only
  int seedIndex = 0;           // 0 … seeds-1
  uint64_t seed = 0;           // the run's seed: weights, data order, masking, dropout
  std::string key;             // 16 hex digits; also the cell's folder name
  std::string pretrainingKey;  // fine-tuning from a pre-trained model: that cell's key
  nlohmann::json settings;     // everything that determines the result (hashed into key)
};

// The cells in the order they run: seed by seed (so every variant has a first result early),
// within a seed variant by variant, a variant's pre-training before its fine-tuning.
std::vector<ExperimentCell> planExperimentCells(const ExperimentRecipe& recipe);

// One variant's cells for one seed index (a variant shares a cell with another whose settings
// are the same; the key says so).
ExperimentCell pretrainingCellOf(const ExperimentRecipe& recipe, size_t variant, int seedIndex);
ExperimentCell finetuningCellOf(const ExperimentRecipe& recipe, size_t variant, size_t task,
                                int seedIndex);

// The run seed of seed index `index` (the recipes' default seed, then the next ones).
uint64_t experimentSeed(int index);

// The key of a cell's settings: FNV-1a (64 bit) of its canonical JSON (sorted keys) and the
// cell version, in hex.
std::string experimentCellKey(const nlohmann::json& settings);

// The model a recipe's model spec names ({"preset": "tiny", "layers": 4, ...}), with the
// tokenizer's vocabulary (throws bertwb::Error when H is not divisible by A).
BertConfig experimentModelConfig(const nlohmann::json& spec, int vocabSize, int padTokenId);

// "mlm-nsp · pre-training · seed 2" or "ltr · qa · seed 1" for progress lines and tables.
std::string describeCell(const ExperimentRecipe& recipe, const ExperimentCell& cell);

}  // namespace bertwb
