#include "train/training_checkpoint.h"

#include <ATen/Context.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/folder_swap.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStateFile = "trainer_state.json";
constexpr const char* kOptimizerFile = "optimizer.pt";
constexpr const char* kRngFile = "rng_state.safetensors";

std::string rngName(const torch::Device& device) {
  return device.is_cuda() ? "cuda:" + std::to_string(device.has_index() ? device.index() : 0)
                          : "cpu";
}

at::Generator generatorOf(const torch::Device& device) {
  if (device.is_cuda())
    return at::globalContext().defaultGenerator(
        torch::Device(torch::kCUDA, device.has_index() ? device.index() : 0));
  return at::globalContext().defaultGenerator(torch::kCPU);
}

}  // namespace

std::string saveTrainingCheckpoint(const std::string& outputFolder, const BertConfig& config,
                                   const torch::nn::Module& model, const std::string& architecture,
                                   const Tokenizer* tokenizer,
                                   const torch::optim::Optimizer& optimizer,
                                   const TrainerState& state,
                                   const std::vector<torch::Device>& rngDevices) {
  const fs::path out(outputFolder);
  const fs::path staging = out / checkpointStagingName(state.step);
  const fs::path target = out / checkpointFolderName(state.step);
  std::error_code ec;
  fs::create_directories(out, ec);
  fs::remove_all(staging, ec);
  if (!fs::create_directories(staging, ec) || ec) {
    throw Error("cannot create the checkpoint folder '" + staging.string() + "': " + ec.message());
  }
  try {
    saveCheckpoint(staging.string(), config, model, architecture, std::nullopt, tokenizer);

    std::ostringstream optimizerBytes;
    torch::save(optimizer, optimizerBytes);
    writeFileAtomically((staging / kOptimizerFile).string(), optimizerBytes.str());

    NamedTensors generators;
    for (const auto& device : rngDevices)
      generators.emplace_back(rngName(device), generatorOf(device).get_state());
    writeSafetensors((staging / kRngFile).string(), generators);

    const nlohmann::json json = {{"step", state.step},
                                 {"data", state.data},
                                 {"elapsed_seconds", state.elapsedSeconds},
                                 {"loss_scale", state.lossScale},
                                 {"good_steps_at_scale", state.goodStepsAtScale},
                                 {"run", state.run},
                                 {"evaluation", state.evaluation}};
    writeFileAtomically((staging / kStateFile).string(), json.dump(2) + "\n");

    // A checkpoint of the same step (a save after resuming there) is replaced whole.
    installFolder(staging, target, out / checkpointAsideName(state.step));
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(staging, ec);
    throw Error("cannot save the checkpoint '" + target.string() + "': " + e.code().message());
  } catch (const c10::Error& e) {
    fs::remove_all(staging, ec);
    throw Error("cannot save the optimizer state into '" + target.string() +
                "': " + e.what_without_backtrace());
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  return target.string();
}

TrainerState loadTrainerState(const std::string& checkpointFolder) {
  const std::string path = (fs::path(checkpointFolder) / kStateFile).string();
  nlohmann::json json;
  try {
    json = parseJson(readRegularFile(path, kSettingsFile));
  } catch (const nlohmann::json::exception& e) {
    throw Error("'" + path + "' is not valid JSON: " + e.what());
  }
  TrainerState state;
  try {
    state.step = jsonInteger<int64_t>(json.at("step"));
    if (json.contains("data")) {
      state.data = json.at("data");
    } else {
      // Written before the training engine: the pre-training data position at the top level.
      state.data = {{"data_position", jsonInteger<uint64_t>(json.at("data_position"))},
                    {"epoch", jsonIntegerOr<int64_t>(json, "epoch", 0)}};
    }
    state.evaluation = json.value("evaluation", nlohmann::json::object());
    state.elapsedSeconds = json.value("elapsed_seconds", 0.0);
    state.lossScale = json.value("loss_scale", 0.0);
    state.goodStepsAtScale = jsonIntegerOr<int64_t>(json, "good_steps_at_scale", 0);
    state.run = json.value("run", nlohmann::json::object());
  } catch (const nlohmann::json::exception& e) {
    throw Error("'" + path + "' lacks a field resumption needs: " + e.what());
  }
  if (state.step < 0) throw Error("'" + path + "' has a negative step");
  return state;
}

void loadOptimizerState(const std::string& checkpointFolder, torch::optim::Optimizer& optimizer) {
  const std::string path = (fs::path(checkpointFolder) / kOptimizerFile).string();
  std::istringstream bytes(readRegularFile(path, kCheckpointFile));
  try {
    torch::load(optimizer, bytes);
  } catch (const c10::Error& e) {
    throw Error("cannot read the optimizer state '" + path +
                "' (damaged, or from a different model): " + e.what_without_backtrace());
  }
}

void restoreRngState(const std::string& checkpointFolder,
                     const std::vector<torch::Device>& rngDevices) {
  const std::string path = (fs::path(checkpointFolder) / kRngFile).string();
  SafetensorsReader reader(path);
  for (const auto& device : rngDevices) {
    const std::string name = rngName(device);
    if (!reader.contains(name)) throw Error("'" + path + "' holds no generator state for " + name);
    try {
      generatorOf(device).set_state(reader.read(name));
    } catch (const c10::Error& e) {
      throw Error("'" + path + "': the " + name +
                  " generator state does not fit: " + e.what_without_backtrace());
    }
  }
}

}  // namespace bertwb
