// Pre-training throughput through the training engine (MLM + NSP, AdamW, clipping): tokens/s,
// sequences/s, peak RSS and model FLOP utilisation = formula FLOPs per step ÷ step time ÷
// the matrix-product peak measured in the same run, on the same device, in the same dtype.
// One JSON line per configuration and precision (fp32, and bf16 autocast where the device
// has it natively); Tiny and Mini also with logits at every position, to show the gather.
// Usage: bench_pretrain [--device cpu|cuda] [--precisions fp32,bf16,fp16] [--threads N]
//                       [--steps N] [--configs tiny:32,mini:32,small:32,base:8] [--no-dense]
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bench_support.h"
#include "data/instance_stream.h"
#include "data/random.h"
#include "matmul_peak.h"
#include "model/initialization.h"
#include "model/model_stats.h"
#include "model/presets.h"
#include "runtime/device.h"
#include "runtime/precision.h"
#include "runtime/thread_environment.h"
#include "text/wordpiece_tokenizer.h"
#include "train/pretraining_objective.h"
#include "train/training_engine.h"

using namespace bertwb;

namespace {

constexpr int kSequence = 128;
constexpr int kPredictions = 20;  // max_predictions_per_seq; 15% of 128 rounds to 19
constexpr int kWarmupSteps = 2;   // first steps allocate and tune: not timed

// Full-length random sequences with 19 masked positions: the shape a real run has.
class SyntheticInstances final : public InstanceSource {
 public:
  explicit SyntheticInstances(int32_t vocabSize) : vocab_(vocabSize), rng_(1) {}
  PretrainingInstance next() override {
    PretrainingInstance instance;
    for (int i = 0; i < kSequence; ++i)
      instance.tokens.push_back(static_cast<int32_t>(rng_.between(5, vocab_ - 1)));
    instance.tokens.front() = 2;
    instance.segmentIds.assign(kSequence, 0);
    for (int i = kSequence / 2; i < kSequence; ++i) instance.segmentIds[static_cast<size_t>(i)] = 1;
    for (int m = 0; m < 19; ++m)
      instance.masked.push_back(
          {1 + m * 6, instance.tokens[static_cast<size_t>(1 + m * 6)], MaskKind::Mask});
    instance.isRandomNext = rng_.uniform() < 0.5;
    ++position_;
    return instance;
  }
  uint64_t position() const override { return position_; }
  void skipTo(uint64_t position) override { position_ = position; }
  int64_t epoch() const override { return 0; }

 private:
  int32_t vocab_;
  Rng rng_;
  uint64_t position_ = 0;
};

class Collect final : public TrainingEvents {
 public:
  void onStep(const StepMetrics& m) override { steps.push_back(m); }
  std::vector<StepMetrics> steps;
};

std::vector<std::string> split(const std::string& list, char separator) {
  std::vector<std::string> items;
  std::stringstream stream(list);
  for (std::string item; std::getline(stream, item, separator);) items.push_back(item);
  return items;
}

}  // namespace

int main(int argc, char** argv) {
  ensurePassiveOpenMpThreads(argv);
  std::string deviceName = "cpu", precisionList, configs;
  int threads = 0, steps = 0;
  bool dense = true;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const std::string value = i + 1 < argc ? argv[i + 1] : "";
    if (flag == "--no-dense") {
      dense = false;
      continue;
    }
    if (flag == "--device")
      deviceName = value;
    else if (flag == "--precisions" || flag == "--precision")
      precisionList = value;
    else if (flag == "--threads")
      threads = std::stoi(value);
    else if (flag == "--steps")
      steps = std::stoi(value);
    else if (flag == "--configs")
      configs = value;
    ++i;
  }
  const int activeThreads = configureThreads(threads);
  const torch::Device device = selectDevice(deviceName);
  const std::vector<Precision> precisions =
      precisionList.empty() ? bench::defaultBenchPrecisions(device)
                            : bench::parseBenchPrecisions(precisionList, device);
  if (configs.empty())
    configs = device.is_cuda() ? "base:32,large:32" : "tiny:32,mini:32,small:32,base:8";
  if (steps == 0) steps = device.is_cuda() ? 20 : 5;
  if (device.is_cuda()) allowTf32();

  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / "bertwb-bench-pretrain";
  std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (int i = 5; i < 30522; ++i) tokens.push_back("t" + std::to_string(i));
  const WordPieceTokenizer tokenizer(Vocab::fromTokens(tokens, "bench"), WordPieceOptions{});

  const char* ompPolicy = std::getenv("OMP_WAIT_POLICY");
  const char* blasThreads = std::getenv("OPENBLAS_NUM_THREADS");
  for (const Precision precision : precisions) {
    const double peak = bench::matmulPeak(device, precision);
    std::cout << nlohmann::json({{"bench", "matmul_peak"},
                                 {"device", describeDevice(device)},
                                 {"precision", bertwb::precisionName(precision)},
                                 {"tflops", peak / 1e12},
                                 {"intra_op_threads", activeThreads},
                                 {"inter_op_threads", at::get_num_interop_threads()},
                                 {"omp_wait_policy", ompPolicy ? ompPolicy : ""},
                                 {"openblas_num_threads",
                                  blasThreads ? blasThreads : "(default: one per core)"}})
                     .dump()
              << std::endl;

    for (const std::string& entry : split(configs, ',')) {
      const auto parts = split(entry, ':');
      const std::string preset = parts.at(0);
      const int batch = parts.size() > 1 ? std::stoi(parts[1]) : 32;
      const std::string family = findPreset(preset).name;
      const bool denseToo = dense && (family == "tiny" || family == "mini");
      for (bool denseHead : denseToo ? std::vector<bool>{false, true} : std::vector<bool>{false}) {
        const BertConfig config = presetConfig(preset);
        BertForPreTraining model(config);
        initializeBertWeights(*model, config.initializer_range, 1);
        SyntheticInstances data(config.vocab_size);
        PretrainingObjectiveOptions objectiveOptions;
        objectiveOptions.batchSize = batch;
        objectiveOptions.maxSeqLength = kSequence;
        objectiveOptions.denseMlmHead = denseHead;
        PretrainingObjective objective(std::move(model), tokenizer, data, objectiveOptions);
        TrainingRunOptions o;
        o.outputFolder = out.string();
        o.steps = kWarmupSteps + steps;
        o.warmupSteps = 1;
        o.logEvery = 1;
        o.precision = {precision, bertwb::precisionName(precision)};
        o.writeModels = false;
        Collect events;
        TrainingEngine trainer(objective, &tokenizer, o, device);
        const RunOutcome outcome = trainer.run(&events);
        if (outcome.end != RunEnd::Finished) {
          std::cerr << preset << ": " << outcome.message << "\n";
          return 1;
        }
        double seconds = 0;
        for (size_t i = kWarmupSteps; i < events.steps.size(); ++i)
          seconds += batch / events.steps[i].sequencesPerSecond;
        const double stepSeconds = seconds / steps;
        const double fraction = denseHead ? 1.0 : 19.0 / kSequence;
        const double flopsPerStep =
            estimateFlops(config, kSequence, fraction).trainingPerToken * batch * kSequence;
        std::cout << nlohmann::json({{"bench", "pretrain_step"},
                                     {"preset", family},
                                     {"mlm_logits",
                                      denseHead ? "all positions" : "masked positions (gathered)"},
                                     {"batch", batch},
                                     {"sequence", kSequence},
                                     {"precision", bertwb::precisionName(precision)},
                                     {"step_ms", stepSeconds * 1e3},
                                     {"sequences_per_s", batch / stepSeconds},
                                     {"tokens_per_s", batch * kSequence / stepSeconds},
                                     {"tflops_per_s", flopsPerStep / stepSeconds / 1e12},
                                     {"mfu", flopsPerStep / stepSeconds / peak},
                                     {"peak_rss_mb", bench::peakRssMegabytes()}})
                         .dump()
                  << std::endl;
      }
    }
  }
  std::filesystem::remove_all(out);
  return 0;
}
