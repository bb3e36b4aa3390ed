// Latency of the Predictor's calls as the playground makes them: a Base-size model (random
// weights, saved to a temporary checkpoint with each head), one text of 128 pieces, batch 1.
// One JSON line per call kind: median and fastest of --repeats calls after two warm-ups.
// Usage: bench_predictor [--device cpu|cuda] [--threads N] [--repeats N] [--preset base]
//                        [--precisions fp32,bf16]   (default: fp32, and bf16 where native)
#include <torch/torch.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench_support.h"
#include "infer/predictor.h"
#include "io/task_model_io.h"
#include "matmul_peak.h"
#include "model/initialization.h"
#include "model/presets.h"
#include "runtime/device.h"
#include "runtime/thread_environment.h"

using namespace bertwb;

namespace {

constexpr int kSequencePieces = 128;  // [CLS] + words + [SEP]: every generated word is one piece
constexpr int kQuestionWords = 16;
constexpr int kWarmUpCalls = 2;  // allocator and thread pools settle before timing
constexpr uint64_t kWeightSeed = 1;

// `count` generated words "w<i>" that the bench vocabulary holds whole.
std::string generatedWords(int count, int offset) {
  std::string text;
  for (int i = 0; i < count; ++i)
    text += (i ? " w" : "w") + std::to_string((offset + i * 37) % 5000);
  return text;
}

void saveHeadModel(const std::string& folder, const BertConfig& config, TaskKind kind,
                   const std::vector<std::string>& labels, const Tokenizer& tokenizer) {
  TaskModel model = makeTaskModel(config, kind, labels);
  initializeBertWeights(*model.module(), config.initializer_range, kWeightSeed);
  saveTaskModel(folder, model, &tokenizer);
}

void savePretrainingModel(const std::string& folder, const BertConfig& config,
                          const Tokenizer& tokenizer) {
  BertForPreTraining model(config);
  initializeBertWeights(*model, config.initializer_range, kWeightSeed);
  saveCheckpoint(folder, config, *model, "BertForPreTraining", std::nullopt, &tokenizer);
}

struct Timing {
  double medianMs = 0, minMs = 0;
};

Timing timeCalls(const std::function<void()>& call, int repeats) {
  for (int i = 0; i < kWarmUpCalls; ++i) call();
  std::vector<double> milliseconds;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    call();
    milliseconds.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(milliseconds.begin(), milliseconds.end());
  return {milliseconds[milliseconds.size() / 2], milliseconds.front()};
}

}  // namespace

int main(int argc, char** argv) {
  bertwb::ensurePassiveOpenMpThreads(argv);
  std::string deviceName = "cpu", preset = "base", precisionList;
  int threads = 0, repeats = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--device")
      deviceName = value;
    else if (flag == "--threads")
      threads = std::stoi(value);
    else if (flag == "--repeats")
      repeats = std::stoi(value);
    else if (flag == "--preset")
      preset = value;
    else if (flag == "--precisions")
      precisionList = value;
  }
  const int activeThreads = configureThreads(threads);
  const WordPieceTokenizer tokenizer = bench::generatedCorpusTokenizer();
  const BertConfig config = presetConfig(preset, tokenizer.vocabSize());

  const std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("bench_predictor_" + std::to_string(::getpid()));
  const std::string classifier = (root / "classifier").string(),
                    tagger = (root / "tagger").string(), answerer = (root / "qa").string(),
                    pretrained = (root / "pretrained").string();
  saveHeadModel(classifier, config, TaskKind::SequenceClassification, {"negative", "positive"},
                tokenizer);
  saveHeadModel(tagger, config, TaskKind::TokenClassification,
                {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"}, tokenizer);
  saveHeadModel(answerer, config, TaskKind::QuestionAnswering, {}, tokenizer);
  savePretrainingModel(pretrained, config, tokenizer);

  // Texts of exactly kSequencePieces pieces with the special tokens.
  const int words = kSequencePieces - 2;
  const std::string text = generatedWords(words, 0);
  const std::string question = generatedWords(kQuestionWords, 1);
  const std::string context = generatedWords(kSequencePieces - 3 - kQuestionWords, 2);
  std::string masked = generatedWords(words / 2 - 1, 3) + " [MASK] " + generatedWords(words / 2, 4);

  const torch::Device device = selectDevice(deviceName);
  const std::vector<Precision> precisions =
      precisionList.empty() ? bench::defaultBenchPrecisions(device)
                            : bench::parseBenchPrecisions(precisionList, device);
  Precision precision = Precision::Fp32;
  auto report = [&](const char* call, const std::string& folder,
                    const std::function<void(const Predictor&)>& run) {
    const auto loadStart = std::chrono::steady_clock::now();
    const Predictor predictor = Predictor::load(folder, deviceName, precisionName(precision));
    const double loadMs = bench::secondsSince(loadStart) * 1000.0;
    const Timing timing = timeCalls([&] { run(predictor); }, repeats);
    nlohmann::json line = {{"bench", "predictor"},
                           {"call", call},
                           {"preset", preset},
                           {"sequence", kSequencePieces},
                           {"batch", 1},
                           {"device", deviceName},
                           {"precision", precisionName(precision)},
                           {"threads", activeThreads},
                           {"median_ms", timing.medianMs},
                           {"min_ms", timing.minMs},
                           {"load_ms", loadMs}};
    std::cout << line.dump() << std::endl;
  };
  for (const Precision p : precisions) {
    precision = p;
    report("classify", classifier, [&](const Predictor& predictor) { predictor.classify(text); });
    report("tag", tagger, [&](const Predictor& predictor) { predictor.tag(text); });
    report("answer", answerer,
           [&](const Predictor& predictor) { predictor.answer(question, context); });
    report("fillMask", pretrained, [&](const Predictor& predictor) { predictor.fillMask(masked); });
    report("attentions", classifier,
           [&](const Predictor& predictor) { predictor.attentions(text); });
    report("embed", pretrained, [&](const Predictor& predictor) { predictor.embed(text); });
  }
  std::filesystem::remove_all(root);
  return 0;
}
