#include "train/finetuner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <nlohmann/json.hpp>
#include <thread>

#include "io/checkpoint.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb {
namespace {
namespace fs = std::filesystem;
using FinetuneClock = std::chrono::steady_clock;

double finetuneSeconds(FinetuneClock::duration d) { return std::chrono::duration<double>(d).count(); }

nlohmann::json scoresJson(const TaskMetrics& scores) { return scores.toJson(); }

// The order of the training features in `epoch`: a fresh shuffle per epoch from (seed,
// epoch), so a run is reproducible and no epoch repeats another's order.
std::vector<size_t> epochOrder(size_t count, uint64_t seed, int64_t epoch) {
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 engine(seed * 1000003ull + static_cast<uint64_t>(epoch));
  for (size_t i = count; i > 1; --i) std::swap(order[i - 1], order[engine() % i]);  // Fisher-Yates
  return order;
}

}  // namespace

void freezeEncoder(torch::nn::Module& model) {
  for (auto& parameter : model.named_parameters()) {
    if (parameter.key().rfind("bert.", 0) == 0) parameter.value().set_requires_grad(false);
  }
}

FineTuner::FineTuner(TaskAdapter& task, const Tokenizer& tokenizer, FinetuneOptions options, torch::Device device)
    : task_(task), tokenizer_(tokenizer), options_(std::move(options)), device_(device) {
  if (options_.epochs < 1) throw Error("fine-tuning needs at least 1 epoch (got " + std::to_string(options_.epochs) + ")");
  if (options_.batchSize < 1) throw Error("the batch size must be at least 1 (got " + std::to_string(options_.batchSize) + ")");
  if (task_.trainingFeatures() == 0) throw Error("the training set is empty: nothing to fine-tune on");
  stepsPerEpoch_ = static_cast<int64_t>((task_.trainingFeatures() + options_.batchSize - 1) / options_.batchSize);
  totalSteps_ = stepsPerEpoch_ * options_.epochs;
  if (options_.logEvery < 1) options_.logEvery = 1;
}

FinetuneOutcome FineTuner::run(FinetuneEvents* events, const CancelFlag* cancel, const PauseFlag* pause) {
  FinetuneOutcome outcome;
  int64_t step = 0;
  auto finish = [&](RunEnd end, std::string message) {
    outcome.run.end = end;
    outcome.run.step = step;
    outcome.run.message = std::move(message);
    if (events) events->onFinished(outcome.run);
    return outcome;
  };

  torch::nn::Module& model = task_.model();
  try {
    fs::create_directories(options_.outputFolder);
    writeFileAtomically((fs::path(options_.outputFolder) / "metrics.jsonl").string(), "");
  } catch (const std::exception& e) {
    return finish(RunEnd::Failed, "cannot prepare the output folder '" + options_.outputFolder + "': " + e.what());
  }
  std::ofstream metrics(fs::path(options_.outputFolder) / "metrics.jsonl", std::ios::app);
  model.to(device_);
  if (options_.frozenEncoder) freezeEncoder(model);
  torch::manual_seed(options_.seed);  // dropout
  AdamWSettings adam;
  adam.learningRate = options_.learningRate;
  adam.weightDecay = options_.weightDecay;
  std::unique_ptr<torch::optim::AdamW> optimizer = makeAdamW(model, adam);
  std::vector<torch::Tensor> trainable;
  for (const auto& group : optimizer->param_groups())
    for (const auto& parameter : group.params()) trainable.push_back(parameter);
  LrSchedule schedule;
  schedule.peak = options_.learningRate;
  schedule.warmupSteps = static_cast<int64_t>(std::llround(options_.warmupFraction * static_cast<double>(totalSteps_)));
  schedule.totalSteps = totalSteps_;
  schedule.kind = options_.schedule;

  const std::string bestFolder = (fs::path(options_.outputFolder) / "best").string();
  bool haveBest = false;
  auto evaluateNow = [&] {
    model.eval();
    TaskMetrics scores;
    {
      torch::NoGradGuard noGrad;
      scores = task_.evaluate(device_, options_.evalBatchSize);
    }
    model.train();
    EvaluationEvent event;
    event.step = step;
    event.epoch = static_cast<double>(step) / static_cast<double>(stepsPerEpoch_);
    event.scores = scores;
    event.best = !haveBest || improvesOn(scores, outcome.best);
    if (event.best) {
      haveBest = true;
      outcome.best = scores;
      outcome.bestStep = step;
      if (options_.saveModels) {
        saveCheckpoint(bestFolder, task_.config(), model, task_.architecture(), std::nullopt, &tokenizer_);
        nlohmann::json record = scoresJson(scores);
        record["step"] = step;
        writeFileAtomically((fs::path(bestFolder) / "eval_results.json").string(), record.dump(2) + "\n");
      }
    }
    outcome.last = scores;
    nlohmann::json line = scoresJson(scores);
    line["step"] = step;
    line["epoch"] = event.epoch;
    line["eval"] = true;
    line["best"] = event.best;
    metrics << line.dump() << "\n" << std::flush;
    if (events) events->onEvaluation(event);
  };

  const FinetuneClock::time_point start = FinetuneClock::now();
  FinetuneClock::duration pausedFor{};
  double lossSum = 0, gradNorm = 0;
  int64_t lossCount = 0, tokens = 0, sequences = 0;
  FinetuneClock::time_point intervalStart = start;
  model.train();
  try {
    for (int64_t epoch = 0; epoch < options_.epochs; ++epoch) {
      const std::vector<size_t> order = epochOrder(task_.trainingFeatures(), options_.seed, epoch);
      for (int64_t b = 0; b < stepsPerEpoch_; ++b) {
        if (pause && pause->isPaused()) {
          const FinetuneClock::time_point pausedAt = FinetuneClock::now();
          while (pause->isPaused() && !(cancel && cancel->isRequested()))
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          pausedFor += FinetuneClock::now() - pausedAt;
          intervalStart += FinetuneClock::now() - pausedAt;
        }
        if (cancel && cancel->isRequested()) return finish(RunEnd::Cancelled, "stopped at step " + std::to_string(step));

        const size_t first = static_cast<size_t>(b * options_.batchSize);
        const size_t last = std::min(order.size(), first + static_cast<size_t>(options_.batchSize));
        const std::vector<size_t> features(order.begin() + static_cast<std::ptrdiff_t>(first),
                                           order.begin() + static_cast<std::ptrdiff_t>(last));
        // lr → forward → backward → clip → step, as in pre-training.
        const double learningRate = learningRateAt(schedule, step);
        setLearningRate(*optimizer, learningRate);
        const BatchLoss batch = task_.trainingLoss(features, device_);
        const double lossValue = batch.loss.item<double>();
        if (!std::isfinite(lossValue))
          return finish(RunEnd::Failed, "the loss became " + std::to_string(lossValue) + " at step " +
                                            std::to_string(step + 1) + "; lower the learning rate (" +
                                            std::to_string(options_.learningRate) + ")");
        batch.loss.backward();
        gradNorm = options_.clipNorm > 0 ? torch::nn::utils::clip_grad_norm_(trainable, options_.clipNorm)
                                         : 0.0;
        optimizer->step();
        optimizer->zero_grad();
        ++step;
        lossSum += lossValue;
        ++lossCount;
        tokens += batch.tokens;
        sequences += static_cast<int64_t>(features.size());

        const bool lastStep = step == totalSteps_;
        if (step % options_.logEvery == 0 || lastStep) {
          const FinetuneClock::time_point now = FinetuneClock::now();
          const double elapsed = finetuneSeconds(now - start - pausedFor);
          const double interval = std::max(1e-9, finetuneSeconds(now - intervalStart));
          StepMetrics m;
          m.step = step;
          m.totalSteps = totalSteps_;
          m.epoch = epoch;
          m.loss = lossSum / static_cast<double>(lossCount);
          m.learningRate = learningRate;
          m.gradNorm = gradNorm;
          m.tokensPerSecond = static_cast<double>(tokens) / interval;
          m.sequencesPerSecond = static_cast<double>(sequences) / interval;
          m.elapsedSeconds = elapsed;
          m.etaSeconds = elapsed / static_cast<double>(step) * static_cast<double>(totalSteps_ - step);
          metrics << nlohmann::json{{"step", m.step},
                                    {"epoch", static_cast<double>(step) / static_cast<double>(stepsPerEpoch_)},
                                    {"loss", m.loss},
                                    {"learning_rate", m.learningRate},
                                    {"grad_norm", m.gradNorm},
                                    {"tokens_per_second", m.tokensPerSecond},
                                    {"sequences_per_second", m.sequencesPerSecond},
                                    {"elapsed_seconds", m.elapsedSeconds},
                                    {"eta_seconds", m.etaSeconds}}
                         .dump()
                  << "\n"
                  << std::flush;
          if (events) events->onStep(m);
          lossSum = 0;
          lossCount = tokens = sequences = 0;
          intervalStart = now;
        }
        const bool epochEnd = b + 1 == stepsPerEpoch_;
        if (epochEnd || (options_.evalEvery > 0 && step % options_.evalEvery == 0)) evaluateNow();
      }
    }
    if (options_.saveModels) {
      // The final weights at the folder's root (as pre-training leaves them); OUT/best keeps
      // the best evaluation's.
      saveCheckpoint(options_.outputFolder, task_.config(), model, task_.architecture(), std::nullopt, &tokenizer_);
      nlohmann::json record = {{"best", scoresJson(outcome.best)}, {"best_step", outcome.bestStep},
                               {"last", scoresJson(outcome.last)}, {"steps", step}};
      writeFileAtomically((fs::path(options_.outputFolder) / "eval_results.json").string(), record.dump(2) + "\n");
      outcome.run.lastCheckpoint = bestFolder;
    }
  } catch (const Cancelled&) {
    return finish(RunEnd::Cancelled, "stopped at step " + std::to_string(step));
  } catch (const std::exception& e) {
    return finish(RunEnd::Failed, e.what());
  }
  return finish(RunEnd::Finished, "fine-tuned " + std::to_string(step) + " steps; best " +
                                      outcome.best.mainMetric + " " + std::to_string(outcome.best.main()) +
                                      " at step " + std::to_string(outcome.bestStep));
}

}  // namespace bertwb
