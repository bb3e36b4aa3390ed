#pragma once
// A training run's checkpoints: OUT/checkpoint-000100/ holds the model in the Hugging Face
// layout (config.json, model.safetensors, the tokenizer) plus what exact resumption needs:
// optimizer.pt (AdamW moments), rng_state.safetensors (the dropout generators) and
// trainer_state.json (step, data position, the run's settings including its precision, the
// best evaluation so far). A checkpoint is written in
// a hidden staging folder and renamed into place, so a save killed at any moment leaves the
// previous checkpoint whole and never a half one under a checkpoint-* name.
#include <torch/torch.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/bert_config.h"
#include "text/tokenizer.h"
#include "train/checkpoint_folders.h"

namespace bertwb {

struct TrainerState {
  int64_t step = 0;           // optimizer steps done
  nlohmann::json data;        // the objective's data position (pre-training: data_position, epoch)
  double elapsedSeconds = 0;  // training time so far, over all sessions
  double lossScale = 0;       // fp16 loss scaler (0: unused)
  int64_t goodStepsAtScale = 0;
  nlohmann::json run;         // the run's settings, for the record and for resume checks
  nlohmann::json evaluation;  // the best and last evaluations (metrics_log.h)
};

// Writes OUT/checkpoint-<step> (replacing one of the same step: swapped in one step where the
// file system can, else through an aside folder recoverCheckpointFolders restores) and
// returns its path.
std::string saveTrainingCheckpoint(const std::string& outputFolder, const BertConfig& config,
                                   const torch::nn::Module& model, const std::string& architecture,
                                   const Tokenizer* tokenizer,
                                   const torch::optim::Optimizer& optimizer,
                                   const TrainerState& state,
                                   const std::vector<torch::Device>& rngDevices);

// Reads trainer_state.json; throws bertwb::Error naming the file when it is missing or bad.
TrainerState loadTrainerState(const std::string& checkpointFolder);
// Optimizer moments and generator states, into objects already built with the same shapes.
void loadOptimizerState(const std::string& checkpointFolder, torch::optim::Optimizer& optimizer);
void restoreRngState(const std::string& checkpointFolder,
                     const std::vector<torch::Device>& rngDevices);

}  // namespace bertwb
