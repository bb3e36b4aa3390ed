// Forward latency of BertModel + pre-training heads in evaluation mode, printed as one JSON
// line per configuration: Tiny, Mini, Small, Base at batch 1 and 32, sequence 128, in fp32
// and (where the device has it natively) bf16 autocast with the weights stored in bf16 as
// the Predictor runs inference, with the model FLOP utilisation against the same
// run's matrix-product peak in that dtype.
// Usage: bench_forward [--device cpu|cuda] [--threads N] [--repeats N]
//                      [--presets tiny,mini,small,base] [--precisions fp32,bf16]
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "matmul_peak.h"
#include "model/bert_pretraining.h"
#include "model/inference_weights.h"
#include "model/initialization.h"
#include "model/model_stats.h"
#include "model/presets.h"
#include "runtime/device.h"
#include "runtime/precision.h"
#include "runtime/thread_environment.h"

using namespace bertwb;

namespace {

constexpr int64_t kSequence = 128;

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> items;
  std::stringstream stream(list);
  for (std::string item; std::getline(stream, item, ',');) items.push_back(item);
  return items;
}

}  // namespace

int main(int argc, char** argv) {
  bertwb::ensurePassiveOpenMpThreads(argv);
  std::string deviceName = "cpu", presets = "tiny,mini,small,base", precisionList;
  int threads = 0, repeats = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--device")
      deviceName = value;
    else if (flag == "--threads")
      threads = std::stoi(value);
    else if (flag == "--repeats")
      repeats = std::stoi(value);
    else if (flag == "--presets")
      presets = value;
    else if (flag == "--precisions")
      precisionList = value;
  }
  const int activeThreads = configureThreads(threads);
  const torch::Device device = selectDevice(deviceName);
  const std::vector<Precision> precisions =
      precisionList.empty() ? bench::defaultBenchPrecisions(device)
                            : bench::parseBenchPrecisions(precisionList, device);
  torch::NoGradGuard noGrad;

  for (const Precision precision : precisions) {
    const double peak = bench::matmulPeak(device, precision);
    std::cout << nlohmann::json({{"bench", "matmul_peak"},
                                 {"device", describeDevice(device)},
                                 {"precision", precisionName(precision)},
                                 {"tflops", peak / 1e12}})
                     .dump()
              << std::endl;
    for (const std::string& presetName : split(presets)) {
      const BertConfig config = presetConfig(presetName);
      BertForPreTraining model(config);
      initializeBertWeights(*model, config.initializer_range, /*seed=*/1);
      model->eval();
      model->to(device);
      // As the Predictor runs inference: Linear and Embedding weights stored in the low
      // precision, so no forward pass casts them again.
      if (precision != Precision::Fp32)
        storeWeightsForInference(*model, lowPrecisionDtype(precision));
      for (int64_t batch : {1, 32}) {
        auto ids = torch::randint(1000, 20000, {batch, kSequence},
                                  torch::TensorOptions().dtype(torch::kInt64).device(device));
        BertInputs inputs{ids, torch::zeros_like(ids), torch::ones_like(ids)};
        // Logits at 20 positions per sequence, as in pre-training (max_predictions_per_seq).
        auto positions = torch::arange(20, ids.options()).repeat({batch, 1});
        auto forward = [&] {
          AutocastScope autocast(device, precision);
          model(inputs, positions);
        };
        forward();  // warm-up: allocator, thread pools, oneDNN kernels
        bench::synchronize(device);
        std::vector<double> milliseconds;
        for (int r = 0; r < repeats; ++r) {
          const auto start = std::chrono::steady_clock::now();
          forward();
          bench::synchronize(device);
          milliseconds.push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count());
        }
        std::sort(milliseconds.begin(), milliseconds.end());
        const double median = milliseconds[milliseconds.size() / 2];
        const double flops =
            estimateFlops(config, kSequence, 20.0 / kSequence).forwardPerToken * batch * kSequence;
        nlohmann::json line = {{"bench", "forward"},
                               {"preset", presetName},
                               {"batch", batch},
                               {"sequence", kSequence},
                               {"device", describeDevice(device)},
                               {"precision", precisionName(precision)},
                               {"threads", activeThreads},
                               {"median_ms", median},
                               {"min_ms", milliseconds.front()},
                               {"tokens_per_s", batch * kSequence / (median / 1000.0)},
                               {"gflop_per_s", flops / (median / 1000.0) / 1e9},
                               {"mfu", flops / (median / 1000.0) / peak}};
        std::cout << line.dump() << std::endl;
      }
    }
  }
  return 0;
}
