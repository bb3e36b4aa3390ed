#include "train/training_engine.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <thread>

#include "io/checkpoint.h"
#include "runtime/device.h"
#include "train/metrics_log.h"
#include "train/training_checkpoint.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;
using EngineClock = std::chrono::steady_clock;

// fp16 loss scaling as PyTorch's GradScaler does it by default.
constexpr double kInitialLossScale = 65536.0;
constexpr int64_t kLossScaleGrowthInterval = 2000;
constexpr const char* kBestFolder = "best";

double engineSeconds(EngineClock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// clip_grad_norm_ returns a double in some LibTorch versions and a tensor in others.
double normValue(double value) {
  return value;
}
double normValue(const torch::Tensor& value) {
  return value.item<double>();
}

const char* nonFiniteName(double value) {
  return std::isnan(value) ? "NaN" : "infinite";
}

}  // namespace

const char* trainingPhaseName(TrainingPhase phase) {
  switch (phase) {
    case TrainingPhase::Schedule:
      return "schedule";
    case TrainingPhase::LoadData:
      return "load-data";
    case TrainingPhase::Forward:
      return "forward";
    case TrainingPhase::Backward:
      return "backward";
    case TrainingPhase::Unscale:
      return "unscale";
    case TrainingPhase::Clip:
      return "clip";
    case TrainingPhase::OptimizerStep:
      return "optimizer-step";
    case TrainingPhase::Log:
      return "log";
    case TrainingPhase::Evaluate:
      return "evaluate";
    case TrainingPhase::Checkpoint:
      return "checkpoint";
  }
  return "?";
}

// What the steps since the last metrics line add up to.
struct TrainingEngine::Interval {
  int64_t steps = 0, updates = 0;  // updates: steps whose optimizer step ran (fp16 may skip)
  double gradNormSum = 0, learningRate = 0;
  int64_t tokens = 0, sequences = 0;
  bool skipped = false;
  EngineClock::time_point start = EngineClock::now();
};

// One call of run(): its clock, net of pauses.
struct TrainingEngine::Session {
  int64_t firstStep = 0;
  EngineClock::time_point start = EngineClock::now();
  EngineClock::duration pausedFor{};
  double seconds() const { return engineSeconds(EngineClock::now() - start - pausedFor); }
};

TrainingEngine::TrainingEngine(TrainingObjective& objective, const Tokenizer* tokenizer,
                               TrainingRunOptions options, torch::Device device)
    : objective_(objective), tokenizer_(tokenizer), options_(std::move(options)), device_(device) {
  if (options_.outputFolder.empty()) throw Error("the run needs an output folder");
  if (options_.steps < 1)
    throw Error("the number of steps must be at least 1 (got " + std::to_string(options_.steps) +
                ")");
  if (options_.accumulate < 1) throw Error("gradient accumulation must be at least 1 micro-batch");
  if (!(options_.adam.learningRate > 0)) throw Error("the learning rate must be positive");
  if (options_.warmupSteps < 0) throw Error("warm-up steps cannot be negative");
  if (options_.logEvery < 1) options_.logEvery = 1;
  if (options_.precision.reason.empty())
    options_.precision.reason = precisionName(options_.precision.precision);
  lock_ = options_.folderLock ? options_.folderLock
                              : FolderLock::acquire(options_.outputFolder, "training");
  recoverCheckpointFolders(options_.outputFolder);  // a save a kill interrupted
  torch::nn::Module& model = objective_.model();
  model.to(device_);
  model.train();
  optimizer_ = makeAdamW(model, options_.adam);
  for (const auto& group : optimizer_->param_groups())
    parameters_.insert(parameters_.end(), group.params().begin(), group.params().end());
  if (options_.precision.precision == Precision::Fp16) lossScale_ = kInitialLossScale;
  torch::manual_seed(options_.seed);  // dropout
  if (device_.is_cuda()) allowTf32();
}

TrainingEngine::~TrainingEngine() = default;

void TrainingEngine::enter(TrainingPhase phase) const {
  if (options_.phaseObserver) options_.phaseObserver(phase);
}

// One optimizer step, phase by phase. Returns false with `failure` set when the run must stop.
bool TrainingEngine::trainStep(Interval& interval, std::string& failure) {
  const bool fp16 = options_.precision.precision == Precision::Fp16;

  // 1. Schedule: the learning rate this step uses (warm-up, then decay).
  enter(TrainingPhase::Schedule);
  const double learningRate = learningRateAt(
      {options_.adam.learningRate, options_.warmupSteps, options_.steps, options_.schedule}, step_);

  // 2. Data: the step's micro-batches, made ready on the host (the position before them is
  //    what an emergency checkpoint records should the step fail).
  enter(TrainingPhase::LoadData);
  stepStartData_ = objective_.dataState();
  inStep_ = true;
  objective_.loadStep(step_, options_.accumulate, device_);

  // 3. Forward under autocast and backward outside it, micro-batch by micro-batch; the
  //    gradients add up in fp32 on the fp32 master weights.
  optimizer_->zero_grad();
  const double scale = fp16 ? lossScale_ : 1.0;
  bool overflow = false;
  for (int k = 0; k < options_.accumulate; ++k) {
    enter(TrainingPhase::Forward);
    MicroBatchLoss micro;
    {
      AutocastScope autocast(device_, options_.precision.precision);
      micro = objective_.microBatchLoss(k, device_);
    }
    interval.tokens += micro.tokens;
    interval.sequences += micro.sequences;
    // NaN guard: a loss that is no longer a number stops the run before any update, so the
    // last checkpoint stays the last good one. fp16 instead skips the step (below).
    if (!std::isfinite(micro.value)) {
      if (fp16) {
        overflow = true;
        break;
      }
      std::ostringstream message;
      message << "the loss became " << nonFiniteName(micro.value) << " at step " << step_ + 1
              << "; training stopped and no checkpoint was written over the last good one. A lower "
                 "learning rate (now "
              << options_.adam.learningRate
              << "), more warm-up or bf16 instead of fp16 usually helps";
      failure = message.str();
      return false;
    }
    if (!micro.loss.defined()) continue;  // an empty micro-batch
    enter(TrainingPhase::Backward);
    if (scale != 1.0) {
      (micro.loss * scale).backward();
    } else {
      micro.loss.backward();
    }
  }
  // (Data-parallel training reduces the gradients across processes here, before clipping.)

  // 4. Unscale: fp16 gradients back to their true size.
  if (scale != 1.0 && !overflow) {
    enter(TrainingPhase::Unscale);
    torch::NoGradGuard noGrad;
    for (auto& p : parameters_)
      if (p.grad().defined()) p.grad().div_(scale);
  }

  // 5. Clip: the global gradient norm before clipping is what the metrics report.
  double gradNorm = std::numeric_limits<double>::quiet_NaN();
  if (!overflow) {
    enter(TrainingPhase::Clip);
    const double maxNorm =
        options_.clipNorm > 0 ? options_.clipNorm : std::numeric_limits<double>::infinity();
    gradNorm = normValue(torch::nn::utils::clip_grad_norm_(parameters_, maxNorm));
    overflow = !std::isfinite(gradNorm);
  }
  if (overflow && !fp16) {
    failure = std::string("the gradient norm became ") + nonFiniteName(gradNorm) + " at step " +
              std::to_string(step_ + 1) +
              "; training stopped and no checkpoint was written over the last good one";
    return false;
  }

  // 6. Optimizer step, or (fp16 overflow) no step and half the loss scale, as dynamic loss
  //    scaling does; the scale doubles again after a long run of good steps.
  if (overflow) {
    optimizer_->zero_grad();
    lossScale_ = std::max(1.0, lossScale_ / 2);
    goodStepsAtScale_ = 0;
    interval.skipped = true;
  } else {
    enter(TrainingPhase::OptimizerStep);
    setLearningRate(*optimizer_, learningRate);
    updating_ = true;
    optimizer_->step();
    updating_ = false;
    if (fp16 && ++goodStepsAtScale_ >= kLossScaleGrowthInterval) {
      lossScale_ *= 2;
      goodStepsAtScale_ = 0;
    }
    interval.gradNormSum += gradNorm;
    ++interval.updates;
  }
  interval.learningRate = learningRate;
  ++interval.steps;
  ++step_;
  inStep_ = false;
  return true;
}

void TrainingEngine::logInterval(Interval& interval, Session& session, TrainingEvents* events) {
  enter(TrainingPhase::Log);
  if (device_.is_cuda()) torch::cuda::synchronize();
  const EngineClock::time_point now = EngineClock::now();
  const double sessionSeconds = session.seconds();
  const double intervalSeconds = std::max(1e-9, engineSeconds(now - interval.start));
  StepMetrics m;
  nlohmann::json line;
  objective_.takeIntervalMetrics(m, line);
  m.step = step_;
  m.totalSteps = options_.steps;
  m.epochProgress = objective_.epochAt(step_);
  m.epoch = static_cast<int64_t>(std::floor(m.epochProgress));
  m.learningRate = interval.learningRate;
  // The mean pre-clipping norm of the interval's updates (NaN when fp16 skipped them all).
  m.gradNorm = interval.updates > 0 ? interval.gradNormSum / static_cast<double>(interval.updates)
                                    : std::numeric_limits<double>::quiet_NaN();
  m.tokensPerSecond = static_cast<double>(interval.tokens) / intervalSeconds;
  m.sequencesPerSecond = static_cast<double>(interval.sequences) / intervalSeconds;
  m.elapsedSeconds = elapsedBefore_ + sessionSeconds;
  m.etaSeconds = sessionSeconds / static_cast<double>(step_ - session.firstStep) *
                 static_cast<double>(options_.steps - step_);
  m.lossScale = lossScale_;
  line["step"] = m.step;
  line["epoch"] = m.epochProgress;
  line["learning_rate"] = m.learningRate;
  line["grad_norm"] = interval.updates > 0 ? nlohmann::json(m.gradNorm) : nlohmann::json(nullptr);
  line["tokens_per_second"] = m.tokensPerSecond;
  line["sequences_per_second"] = m.sequencesPerSecond;
  line["elapsed_seconds"] = m.elapsedSeconds;
  line["eta_seconds"] = m.etaSeconds;
  line["precision"] = precisionName(options_.precision.precision);
  if (m.lossScale > 0) line["loss_scale"] = m.lossScale;
  if (interval.skipped) line["skipped_steps"] = true;
  metrics_ << line.dump() << "\n" << std::flush;
  if (events) events->onStep(m);
  interval = Interval();
}

void TrainingEngine::evaluateNow(TrainingEvents* events) {
  enter(TrainingPhase::Evaluate);
  torch::nn::Module& model = objective_.model();
  model.eval();
  ObjectiveEvaluation result;
  {
    torch::NoGradGuard noGrad;
    AutocastScope autocast(device_, options_.precision.precision);
    result = objective_.evaluate(step_, device_);
  }
  model.train();
  if (result.probe && events) events->onProbe(*result.probe);
  if (!result.scores) return;

  EvaluationEvent event;
  event.step = step_;
  event.epoch = objective_.epochAt(step_);
  event.scores = *result.scores;
  event.details = std::move(result.details);
  event.best = !record_.best || improvesOn(event.scores, *record_.best);
  if (event.best) {
    record_.best = event.scores;
    record_.bestStep = step_;
    if (options_.writeModels) {
      const std::string bestFolder = (fs::path(options_.outputFolder) / kBestFolder).string();
      saveCheckpoint(bestFolder, objective_.config(), model, objective_.architecture(),
                     std::nullopt, tokenizer_);
      nlohmann::json scores = event.scores.toJson();
      scores["step"] = step_;
      writeFileAtomically((fs::path(bestFolder) / kEvalResultsFile).string(),
                          scores.dump(2) + "\n");
      record_.bestFolder = bestFolder;
      if (events) events->onModelSaved(bestFolder);
    }
  }
  record_.last = event.scores;
  nlohmann::json line = event.scores.toJson();
  line["step"] = step_;
  line["epoch"] = event.epoch;
  line["eval"] = true;
  line["best"] = event.best;
  metrics_ << line.dump() << "\n" << std::flush;
  if (events) events->onEvaluation(event);
}

RunOutcome TrainingEngine::run(TrainingEvents* events, const CancelFlag* cancel,
                               const PauseFlag* pause) {
  auto finish = [&](RunEnd end, std::string message) {
    RunOutcome outcome;
    outcome.evaluation = record_;
    outcome.end = end;
    outcome.step = step_;
    outcome.message = std::move(message);
    outcome.lastCheckpoint = lastCheckpoint_;
    if (events) events->onFinished(outcome);
    return outcome;
  };
  const bool checkpointing = options_.checkpoints && options_.writeModels;
  try {
    fs::create_directories(options_.outputFolder);
    if (step_ == 0) writeFileAtomically(metricsPath(options_.outputFolder), "");
    metrics_.open(metricsPath(options_.outputFolder), std::ios::app);
    if (!metrics_) throw Error("cannot append to " + metricsPath(options_.outputFolder));
  } catch (const std::exception& e) {
    return finish(RunEnd::Failed,
                  "cannot prepare the output folder '" + options_.outputFolder + "': " + e.what());
  }
  if (events) {
    events->onStarted({step_, options_.steps, describeDevice(device_),
                       precisionName(options_.precision.precision), options_.precision.reason});
  }

  Session session;
  session.firstStep = step_;
  Interval interval;
  try {
    if (step_ == 0 && options_.evaluateEvery > 0 && objective_.evaluatesBeforeTraining())
      evaluateNow(events);
    while (step_ < options_.steps) {
      if (pause && pause->isPaused()) {
        const EngineClock::time_point pausedAt = EngineClock::now();
        pause->holding.store(true);
        while (pause->isPaused() && !(cancel && cancel->isRequested()))
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        pause->holding.store(false);
        session.pausedFor += EngineClock::now() - pausedAt;
        interval.start += EngineClock::now() - pausedAt;
      }
      if (cancel && cancel->isRequested()) {
        if (checkpointing && (step_ > session.firstStep || lastCheckpoint_.empty()))
          saveCheckpointNow(session.seconds(), events);
        std::string message = "stopped at step " + std::to_string(step_);
        if (!lastCheckpoint_.empty()) message += "; resume with the checkpoint " + lastCheckpoint_;
        return finish(RunEnd::Cancelled, message);
      }
      std::string failure;
      if (!trainStep(interval, failure)) return finish(RunEnd::Failed, failure);

      const bool last = step_ == options_.steps;
      if (step_ % options_.logEvery == 0 || last) logInterval(interval, session, events);
      const bool scheduled =
          options_.evaluateEvery > 0 && (step_ % options_.evaluateEvery == 0 || last);
      if (scheduled || objective_.isEvaluationPoint(step_)) evaluateNow(events);
      if (checkpointing && !last && options_.saveEvery > 0 && step_ % options_.saveEvery == 0)
        saveCheckpointNow(session.seconds(), events);
    }
    if (options_.writeModels) {
      if (checkpointing) saveCheckpointNow(session.seconds(), events);
      writeFinalModel(events);
    }
  } catch (const Cancelled&) {
    return finish(RunEnd::Cancelled, "stopped at step " + std::to_string(step_));
  } catch (const std::exception& e) {
    std::string message = e.what();
    // Nothing to save when no step completed in this session (the last checkpoint, if any,
    // is where it started).
    if (checkpointing && step_ > session.firstStep)
      message += saveAfterFailure(session.seconds(), events);
    return finish(RunEnd::Failed, message);
  }
  std::string summary = "trained " + std::to_string(step_ - session.firstStep) + " steps to step " +
                        std::to_string(step_);
  if (record_.best) {
    summary += "; best " + record_.best->mainMetric + " " + std::to_string(record_.best->main()) +
               " at step " + std::to_string(record_.bestStep);
  }
  if (options_.writeModels) summary += "; model saved in " + options_.outputFolder;
  return finish(RunEnd::Finished, summary);
}

}  // namespace bertwb
