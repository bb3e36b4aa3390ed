#include "train/pretrainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "data/collator.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "train/pretraining_loss.h"
#include "train/training_checkpoint.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kArchitecture = "BertForPreTraining";
constexpr const char* kMetricsFile = "metrics.jsonl";
// fp16 loss scaling as PyTorch's GradScaler does it by default.
constexpr double kInitialLossScale = 65536.0;
constexpr int64_t kLossScaleGrowthInterval = 2000;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// clip_grad_norm_ returns a double in some LibTorch versions and a tensor in others.
double toDouble(double value) { return value; }
double toDouble(const torch::Tensor& value) { return value.item<double>(); }

std::string metricsPath(const std::string& outputFolder) { return (fs::path(outputFolder) / kMetricsFile).string(); }

// After resuming at `step`, metrics.jsonl keeps only the lines up to that step, so the file
// always tells one consistent history.
void trimMetrics(const std::string& path, int64_t step) {
  std::ifstream in(path);
  if (!in) return;
  std::string kept, line;
  while (std::getline(in, line)) {
    try {
      if (nlohmann::json::parse(line).at("step").get<int64_t>() <= step) kept += line + "\n";
    } catch (const nlohmann::json::exception&) {
      // A line torn by a crash is dropped.
    }
  }
  in.close();
  writeFileAtomically(path, kept);
}

nlohmann::json metricsJson(const StepMetrics& m, bool skipped) {
  nlohmann::json j = {{"step", m.step},
                      {"epoch", m.epoch},
                      {"loss", m.loss},
                      {"mlm_loss", m.mlmLoss},
                      {"nsp_loss", m.nspLoss},
                      {"mlm_accuracy", m.mlmAccuracy},
                      {"mlm_perplexity", m.mlmPerplexity},
                      {"nsp_accuracy", m.nspAccuracy},
                      {"learning_rate", m.learningRate},
                      {"grad_norm", m.gradNorm},
                      {"tokens_per_second", m.tokensPerSecond},
                      {"sequences_per_second", m.sequencesPerSecond},
                      {"elapsed_seconds", m.elapsedSeconds},
                      {"eta_seconds", m.etaSeconds}};
  if (m.lossScale > 0) j["loss_scale"] = m.lossScale;
  if (skipped) j["skipped_steps"] = true;
  return j;
}

}  // namespace

// Sums over the steps since the last metrics line.
struct Pretrainer::Interval {
  int64_t steps = 0;
  double mlmLossSum = 0, nspLossSum = 0;
  int64_t mlmCount = 0, mlmCorrect = 0, nspCount = 0, nspCorrect = 0;
  int64_t tokens = 0, sequences = 0;
  double gradNorm = 0, learningRate = 0;
  bool skipped = false;
  Clock::time_point start = Clock::now();
};

Pretrainer::Pretrainer(BertForPreTraining model, const Tokenizer& tokenizer, InstanceSource& data,
                       PretrainingRunOptions options, torch::Device device)
    : model_(std::move(model)), tokenizer_(tokenizer), data_(data), options_(std::move(options)), device_(device) {
  if (options_.outputFolder.empty()) throw Error("the run needs an output folder");
  if (options_.steps < 1) throw Error("the number of steps must be at least 1");
  if (options_.batchSize < 1) throw Error("the batch size must be at least 1");
  if (options_.accumulate < 1) throw Error("gradient accumulation must be at least 1 micro-batch");
  if (options_.logEvery < 1) options_.logEvery = 1;
  if (!(options_.adam.learningRate > 0)) throw Error("the learning rate must be positive");
  if (options_.warmupSteps < 0) throw Error("warm-up steps cannot be negative");
  if (tokenizer_.vocabSize() > model_->config().vocab_size) {
    throw Error("the tokenizer has " + std::to_string(tokenizer_.vocabSize()) + " tokens but the model's vocab_size is " +
                std::to_string(model_->config().vocab_size));
  }
  checkPrecisionSupported(options_.precision, device_);
  model_->to(device_);
  model_->train();
  optimizer_ = makeAdamW(*model_, options_.adam);
  for (const auto& group : optimizer_->param_groups())
    parameters_.insert(parameters_.end(), group.params().begin(), group.params().end());
  if (options_.precision == Precision::Fp16) lossScale_ = kInitialLossScale;
  torch::manual_seed(options_.seed);
  if (device_.is_cuda()) allowTf32();
}

Pretrainer::~Pretrainer() = default;

std::vector<torch::Device> Pretrainer::rngDevices() const {
  std::vector<torch::Device> devices = {torch::kCPU};
  if (device_.is_cuda()) devices.push_back(device_);
  return devices;
}

nlohmann::json Pretrainer::runSettings() const {
  const auto& o = options_;
  return {{"steps", o.steps},
          {"batch_size", o.batchSize},
          {"accumulate", o.accumulate},
          {"max_seq_length", o.maxSeqLength},
          {"pad_to_max_length", o.padToMaxLength},
          {"learning_rate", o.adam.learningRate},
          {"beta1", o.adam.beta1},
          {"beta2", o.adam.beta2},
          {"epsilon", o.adam.epsilon},
          {"weight_decay", o.adam.weightDecay},
          {"warmup_steps", o.warmupSteps},
          {"schedule", lrScheduleKindName(o.schedule)},
          {"clip_norm", o.clipNorm},
          {"nsp", o.nsp},
          {"precision", precisionName(o.precision)},
          {"seed", o.seed},
          {"device", device_.str()}};
}

std::string Pretrainer::latestCheckpoint() const {
  const auto checkpoints = listTrainingCheckpoints(options_.outputFolder);
  return checkpoints.empty() ? std::string() : checkpoints.back().folder;
}

void Pretrainer::resumeFrom(const std::string& folder) {
  const TrainerState state = loadTrainerState(folder);
  for (const char* key : {"batch_size", "accumulate"}) {
    const nlohmann::json now = runSettings()[key];
    if (state.run.contains(key) && state.run[key] != now) {
      throw Error("cannot resume from '" + folder + "': it was trained with " + key + " " + state.run[key].dump() +
                  ", this run asks for " + now.dump() + " (the data position would no longer line up)");
    }
  }
  const CheckpointSummary summary = inspectCheckpoint(folder);
  const BertConfig& mine = model_->config();
  if (summary.config.num_hidden_layers != mine.num_hidden_layers || summary.config.hidden_size != mine.hidden_size ||
      summary.config.num_attention_heads != mine.num_attention_heads || summary.config.vocab_size != mine.vocab_size ||
      summary.config.intermediate_size != mine.intermediate_size) {
    throw Error("cannot resume from '" + folder + "': its model (L=" + std::to_string(summary.config.num_hidden_layers) +
                " H=" + std::to_string(summary.config.hidden_size) + " A=" +
                std::to_string(summary.config.num_attention_heads) + ") is not this run's (L=" +
                std::to_string(mine.num_hidden_layers) + " H=" + std::to_string(mine.hidden_size) +
                " A=" + std::to_string(mine.num_attention_heads) + ")");
  }
  {
    torch::NoGradGuard noGrad;
    const LoadReport report = loadWeights(*model_, SafetensorsReader(weightsPath(folder)));
    if (!report.missingKeys.empty()) {
      throw Error("cannot resume from '" + folder + "': its weights lack " + report.missingKeys.front() + " (and " +
                  std::to_string(report.missingKeys.size() - 1) + " more)");
    }
  }
  loadOptimizerState(folder, *optimizer_);
  restoreRngState(folder, rngDevices());
  data_.skipTo(state.dataPosition);
  step_ = state.step;
  elapsedBefore_ = state.elapsedSeconds;
  if (options_.precision == Precision::Fp16 && state.lossScale > 0) {
    lossScale_ = state.lossScale;
    goodStepsAtScale_ = state.goodStepsAtScale;
  }
  lastCheckpoint_ = folder;
  trimMetrics(metricsPath(options_.outputFolder), step_);
}

std::string Pretrainer::saveCheckpointNow() {
  TrainerState state;
  state.step = step_;
  state.dataPosition = data_.position();
  state.epoch = data_.epoch();
  state.elapsedSeconds = elapsedBefore_;
  state.lossScale = lossScale_;
  state.goodStepsAtScale = goodStepsAtScale_;
  state.run = runSettings();
  lastCheckpoint_ = saveTrainingCheckpoint(options_.outputFolder, model_->config(), *model_, kArchitecture, &tokenizer_,
                                           *optimizer_, state, rngDevices());
  pruneTrainingCheckpoints(options_.outputFolder, options_.keepLast);
  return lastCheckpoint_;
}

void Pretrainer::writeFinalModel() {
  saveCheckpoint(options_.outputFolder, model_->config(), *model_, kArchitecture, std::nullopt, &tokenizer_);
}

bool Pretrainer::trainStep(Interval& interval, std::string& failure) {
  const int32_t padId = tokenizer_.specialTokenIds().pad >= 0 ? tokenizer_.specialTokenIds().pad : 0;
  std::vector<PretrainingBatch> micro;
  double predictions = 0, sequences = 0;
  for (int k = 0; k < options_.accumulate; ++k) {
    std::vector<PretrainingInstance> instances;
    instances.reserve(static_cast<size_t>(options_.batchSize));
    for (int b = 0; b < options_.batchSize; ++b) instances.push_back(data_.next());
    micro.push_back(collatePretraining(instances, padId, options_.padToMaxLength ? options_.maxSeqLength : 0, 0,
                                       device_.is_cuda()));
    predictions += micro.back().maskedLabels.ne(kIgnoreLabel).sum().item<double>();
    sequences += static_cast<double>(instances.size());
    interval.tokens += micro.back().attentionMask.sum().item<int64_t>();
  }
  const LossNormalisers normalisers{std::max(1.0, predictions), sequences};
  const double scale = options_.precision == Precision::Fp16 ? lossScale_ : 1.0;

  optimizer_->zero_grad();
  bool overflow = false;
  for (auto& batch : micro) {
    PretrainingBatch onDevice;
    const bool async = device_.is_cuda();
    onDevice.inputIds = batch.inputIds.to(device_, async);
    onDevice.segmentIds = batch.segmentIds.to(device_, async);
    onDevice.attentionMask = batch.attentionMask.to(device_, async);
    onDevice.maskedPositions = batch.maskedPositions.to(device_, async);
    onDevice.maskedLabels = batch.maskedLabels.to(device_, async);
    onDevice.nextSentenceLabels = batch.nextSentenceLabels.to(device_, async);
    PreTrainingOutput output;
    {
      AutocastScope autocast(device_, options_.precision);
      const BertInputs inputs{onDevice.inputIds, onDevice.segmentIds, onDevice.attentionMask};
      if (options_.denseMlmHead) {
        output = model_->forward(inputs);
        output.predictionLogits = gatherPositions(output.predictionLogits, onDevice.maskedPositions);
      } else {
        output = model_->forward(inputs, onDevice.maskedPositions);
      }
    }
    const PretrainingLoss loss = pretrainingLoss(output, onDevice, options_.nsp, normalisers);
    if (!std::isfinite(loss.mlmLossSum) || !std::isfinite(loss.nspLossSum)) {
      if (options_.precision == Precision::Fp16) {
        overflow = true;
        break;
      }
      std::ostringstream message;
      message << "the loss became " << (std::isnan(loss.mlmLossSum + loss.nspLossSum) ? "NaN" : "infinite") << " at step "
              << step_ + 1 << " (MLM sum " << loss.mlmLossSum << ", NSP sum " << loss.nspLossSum
              << "); training stopped and no checkpoint was written over the last good one. A lower learning rate, "
                 "more warm-up or bf16 instead of fp16 usually helps";
      failure = message.str();
      return false;
    }
    (loss.total * scale).backward();
    interval.mlmLossSum += loss.mlmLossSum;
    interval.mlmCount += loss.mlmCount;
    interval.mlmCorrect += loss.mlmCorrect;
    interval.nspLossSum += loss.nspLossSum;
    interval.nspCount += loss.nspCount;
    interval.nspCorrect += loss.nspCorrect;
    interval.sequences += loss.nspCount;
  }

  if (scale != 1.0 && !overflow) {
    torch::NoGradGuard noGrad;
    for (auto& p : parameters_)
      if (p.grad().defined()) p.grad().div_(scale);
  }
  double gradNorm = std::numeric_limits<double>::quiet_NaN();
  if (!overflow) {
    const double maxNorm = options_.clipNorm > 0 ? options_.clipNorm : std::numeric_limits<double>::infinity();
    gradNorm = toDouble(torch::nn::utils::clip_grad_norm_(parameters_, maxNorm));
    overflow = !std::isfinite(gradNorm);
  }
  const double learningRate =
      learningRateAt({options_.adam.learningRate, options_.warmupSteps, options_.steps, options_.schedule}, step_);
  if (overflow) {
    if (options_.precision != Precision::Fp16) {
      failure = "the gradient norm became " + std::string(std::isnan(gradNorm) ? "NaN" : "infinite") + " at step " +
                std::to_string(step_ + 1) + "; training stopped and no checkpoint was written over the last good one";
      return false;
    }
    // fp16 overflow: skip this update and halve the scale, as dynamic loss scaling does.
    optimizer_->zero_grad();
    lossScale_ = std::max(1.0, lossScale_ / 2);
    goodStepsAtScale_ = 0;
    interval.skipped = true;
  } else {
    setLearningRate(*optimizer_, learningRate);
    optimizer_->step();
    if (options_.precision == Precision::Fp16 && ++goodStepsAtScale_ >= kLossScaleGrowthInterval) {
      lossScale_ *= 2;
      goodStepsAtScale_ = 0;
    }
    interval.gradNorm = gradNorm;
  }
  interval.learningRate = learningRate;
  ++interval.steps;
  ++step_;
  return true;
}

RunOutcome Pretrainer::run(TrainingEvents* events, const CancelFlag* cancel, const PauseFlag* pause) {
  RunOutcome outcome;
  auto finish = [&](RunEnd end, std::string message) {
    outcome.end = end;
    outcome.step = step_;
    outcome.message = std::move(message);
    outcome.lastCheckpoint = lastCheckpoint_;
    if (events) events->onFinished(outcome);
    return outcome;
  };
  try {
    fs::create_directories(options_.outputFolder);
    pruneTrainingCheckpoints(options_.outputFolder, 0);  // staging leftovers of a killed save
    if (step_ == 0) writeFileAtomically(metricsPath(options_.outputFolder), "");
  } catch (const std::exception& e) {
    return finish(RunEnd::Failed, "cannot prepare the output folder '" + options_.outputFolder + "': " + e.what());
  }
  std::ofstream metrics(metricsPath(options_.outputFolder), std::ios::app);
  const bool probing = options_.probeEvery > 0 && !options_.probes.empty();
  auto probe = [&] {
    if (probing && events) events->onProbe(runProbes(model_, tokenizer_, options_.probes, device_, step_));
  };
  if (step_ == 0) probe();

  const int64_t firstStep = step_;
  const Clock::time_point sessionStart = Clock::now();
  Clock::duration pausedFor{};
  Interval interval;
  // trainer_state.json records the training time of every session so far.
  auto saveWithElapsed = [&] {
    const double before = elapsedBefore_;
    elapsedBefore_ = before + seconds(Clock::now() - sessionStart - pausedFor);
    saveCheckpointNow();
    elapsedBefore_ = before;
    if (events) events->onCheckpoint(lastCheckpoint_, step_);
  };
  try {
    while (step_ < options_.steps) {
      if (pause && pause->isPaused()) {
        const Clock::time_point pausedAt = Clock::now();
        while (pause->isPaused() && !(cancel && cancel->isRequested()))
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        pausedFor += Clock::now() - pausedAt;
        interval.start += Clock::now() - pausedAt;
      }
      if (cancel && cancel->isRequested()) {
        if (step_ > firstStep || lastCheckpoint_.empty()) saveWithElapsed();
        return finish(RunEnd::Cancelled, "stopped at step " + std::to_string(step_) + "; resume with the checkpoint " +
                                             lastCheckpoint_);
      }
      std::string failure;
      if (!trainStep(interval, failure)) return finish(RunEnd::Failed, failure);

      const bool last = step_ == options_.steps;
      if (step_ % options_.logEvery == 0 || last) {
        if (device_.is_cuda()) torch::cuda::synchronize();
        const Clock::time_point now = Clock::now();
        const double sessionSeconds = seconds(now - sessionStart - pausedFor);
        const double intervalSeconds = std::max(1e-9, seconds(now - interval.start));
        StepMetrics m;
        m.step = step_;
        m.totalSteps = options_.steps;
        m.epoch = data_.epoch();
        m.mlmLoss = interval.mlmCount ? interval.mlmLossSum / interval.mlmCount : 0;
        m.nspLoss = options_.nsp && interval.nspCount ? interval.nspLossSum / interval.nspCount : 0;
        m.loss = m.mlmLoss + m.nspLoss;
        m.mlmAccuracy = interval.mlmCount ? static_cast<double>(interval.mlmCorrect) / interval.mlmCount : 0;
        m.mlmPerplexity = std::exp(m.mlmLoss);
        m.nspAccuracy = interval.nspCount ? static_cast<double>(interval.nspCorrect) / interval.nspCount : 0;
        m.learningRate = interval.learningRate;
        m.gradNorm = interval.gradNorm;
        m.tokensPerSecond = interval.tokens / intervalSeconds;
        m.sequencesPerSecond = interval.sequences / intervalSeconds;
        m.elapsedSeconds = elapsedBefore_ + sessionSeconds;
        m.etaSeconds = sessionSeconds / static_cast<double>(step_ - firstStep) * static_cast<double>(options_.steps - step_);
        m.lossScale = lossScale_;
        metrics << metricsJson(m, interval.skipped).dump() << "\n" << std::flush;
        if (events) events->onStep(m);
        interval = Interval();
      }
      if (probing && (step_ % options_.probeEvery == 0 || last)) probe();
      if (!last && options_.saveEvery > 0 && step_ % options_.saveEvery == 0) saveWithElapsed();
    }
    if (options_.saveAtEnd) {
      saveWithElapsed();
      writeFinalModel();
    }
  } catch (const Cancelled&) {
    return finish(RunEnd::Cancelled, "stopped at step " + std::to_string(step_));
  } catch (const std::exception& e) {
    return finish(RunEnd::Failed, e.what());
  }
  return finish(RunEnd::Finished, "trained " + std::to_string(step_ - firstStep) + " steps to step " +
                                      std::to_string(step_) + "; model saved in " + options_.outputFolder);
}

}  // namespace bertwb
