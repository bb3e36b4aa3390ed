// The training engine's persistent side: the run's settings as trainer_state.json records
// them, resumable checkpoints (written and resumed from), and the final model with its
// evaluation results. The step itself is in training_engine.cpp.
#include <filesystem>

#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "train/metrics_log.h"
#include "train/training_checkpoint.h"
#include "train/training_engine.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb {

std::vector<torch::Device> TrainingEngine::rngDevices() const {
  std::vector<torch::Device> devices = {torch::kCPU};
  if (device_.is_cuda()) devices.push_back(device_);
  return devices;
}

nlohmann::json TrainingEngine::runSettings() const {
  const auto& o = options_;
  nlohmann::json settings = {{"steps", o.steps},
                             {"accumulate", o.accumulate},
                             {"learning_rate", o.adam.learningRate},
                             {"beta1", o.adam.beta1},
                             {"beta2", o.adam.beta2},
                             {"epsilon", o.adam.epsilon},
                             {"weight_decay", o.adam.weightDecay},
                             {"warmup_steps", o.warmupSteps},
                             {"schedule", lrScheduleKindName(o.schedule)},
                             {"clip_norm", o.clipNorm},
                             {"precision", precisionName(o.precision.precision)},
                             {"precision_reason", o.precision.reason},
                             {"seed", o.seed},
                             {"device", device_.str()}};
  settings.update(objective_.settings());
  return settings;
}

std::string TrainingEngine::latestCheckpoint() const {
  const auto checkpoints = listTrainingCheckpoints(options_.outputFolder);
  return checkpoints.empty() ? std::string() : checkpoints.back().folder;
}

void TrainingEngine::resumeFrom(const std::string& folder) {
  const TrainerState state = loadTrainerState(folder);
  std::vector<std::string> keys = objective_.resumeKeys();
  keys.push_back("accumulate");
  const nlohmann::json now = runSettings();
  for (const std::string& key : keys) {
    if (!state.run.contains(key) || !now.contains(key) || state.run[key] == now[key]) continue;
    // A group of settings ("data") is named by its first differing member.
    std::string name = key;
    nlohmann::json was = state.run[key], asked = now[key];
    if (was.is_object() && asked.is_object()) {
      for (const auto& [member, value] : now[key].items()) {
        if (was.contains(member) && was[member] == value) continue;
        name = key + "." + member;
        was = was.contains(member) ? nlohmann::json(was[member]) : nlohmann::json(nullptr);
        asked = value;
        break;
      }
    }
    throw Error("cannot resume from '" + folder + "' (step " + std::to_string(state.step) +
                "): it was trained with " + name + " " + was.dump() + ", this run asks for " +
                asked.dump() + " (the data position would no longer line up)");
  }
  const CheckpointSummary summary = inspectCheckpoint(folder);
  const BertConfig mine = objective_.config();
  if (summary.config.num_hidden_layers != mine.num_hidden_layers ||
      summary.config.hidden_size != mine.hidden_size ||
      summary.config.num_attention_heads != mine.num_attention_heads ||
      summary.config.vocab_size != mine.vocab_size ||
      summary.config.intermediate_size != mine.intermediate_size) {
    throw Error("cannot resume from '" + folder + "' (step " + std::to_string(state.step) +
                "): its model (L=" + std::to_string(summary.config.num_hidden_layers) +
                " H=" + std::to_string(summary.config.hidden_size) +
                " A=" + std::to_string(summary.config.num_attention_heads) +
                ") is not this run's (L=" + std::to_string(mine.num_hidden_layers) +
                " H=" + std::to_string(mine.hidden_size) +
                " A=" + std::to_string(mine.num_attention_heads) + ")");
  }
  {
    torch::NoGradGuard noGrad;
    const LoadReport report =
        loadWeights(objective_.model(), SafetensorsReader(weightsPath(folder)));
    if (!report.missingKeys.empty()) {
      throw Error("cannot resume from '" + folder + "': its weights lack " +
                  report.missingKeys.front() + " (and " +
                  std::to_string(report.missingKeys.size() - 1) + " more)");
    }
  }
  loadOptimizerState(folder, *optimizer_);
  restoreRngState(folder, rngDevices());
  objective_.restoreDataState(state.data, state.step);
  step_ = state.step;
  elapsedBefore_ = state.elapsedSeconds;
  if (options_.precision.precision == Precision::Fp16 && state.lossScale > 0) {
    lossScale_ = state.lossScale;
    goodStepsAtScale_ = state.goodStepsAtScale;
  }
  record_ = evaluationRecordFromJson(state.evaluation);
  lastCheckpoint_ = folder;
  trimMetrics(metricsPath(options_.outputFolder), step_);
}

void TrainingEngine::saveCheckpointNow(double sessionSeconds, TrainingEvents* events,
                                       const nlohmann::json* dataState) {
  enter(TrainingPhase::Checkpoint);
  TrainerState state;
  state.step = step_;
  state.data = dataState ? *dataState : objective_.dataState();
  // trainer_state.json records the training time of every session so far.
  state.elapsedSeconds = elapsedBefore_ + sessionSeconds;
  state.lossScale = lossScale_;
  state.goodStepsAtScale = goodStepsAtScale_;
  state.run = runSettings();
  state.evaluation = evaluationRecordToJson(record_);
  lastCheckpoint_ = saveTrainingCheckpoint(options_.outputFolder, objective_.config(),
                                           objective_.model(), objective_.architecture(),
                                           tokenizer_, *optimizer_, state, rngDevices());
  pruneTrainingCheckpoints(options_.outputFolder, options_.keepLast);
  if (events) events->onCheckpoint(lastCheckpoint_, step_);
}

std::string TrainingEngine::saveAfterFailure(double sessionSeconds, TrainingEvents* events) {
  // Half-updated weights are not worth keeping; anything before the optimizer step leaves
  // them as the last completed step made them (the gradients are simply dropped).
  if (updating_)
    return "; the failure came inside the optimizer step, so no checkpoint was written";
  try {
    optimizer_->zero_grad();
    // The step in progress never happened: the data position is the one from before it.
    saveCheckpointNow(sessionSeconds, events, inStep_ ? &stepStartData_ : nullptr);
    return "; the last completed step was saved in " + lastCheckpoint_ +
           " (resume continues from it)";
  } catch (const std::exception& e) {
    return std::string("; saving a checkpoint after the failure failed too: ") + e.what();
  }
}

void TrainingEngine::writeFinalModel(TrainingEvents* events) {
  saveCheckpoint(options_.outputFolder, objective_.config(), objective_.model(),
                 objective_.architecture(), std::nullopt, tokenizer_);
  if (record_.best) {
    const nlohmann::json results = {
        {"best", record_.best->toJson()},
        {"best_step", record_.bestStep},
        {"last", record_.last ? record_.last->toJson() : nlohmann::json(nullptr)},
        {"steps", step_}};
    writeFileAtomically((std::filesystem::path(options_.outputFolder) / kEvalResultsFile).string(),
                        results.dump(2) + "\n");
  }
  if (events) events->onModelSaved(options_.outputFolder);
}

}  // namespace bertwb
