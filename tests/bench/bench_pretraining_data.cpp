// Pre-training data throughput: corpus tokenization (MB/s) and instance creation
// (instances/s, one pass, static masking) on a generated corpus of >= 50 MB, with the
// process's peak RSS. Prints JSON lines. Usage: bench_pretraining_data [--megabytes N]
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "data/corpus.h"
#include "data/pretraining_sampler.h"
#include "text/wordpiece_tokenizer.h"

using namespace bertwb;

namespace {

double peakRssMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // kilobytes on Linux
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  double megabytes = 50;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--megabytes") megabytes = std::stod(argv[i + 1]);

  // 5,000 words "w0".."w4999" with a few suffix pieces; documents of 10-40 sentences.
  std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", "##ing", "##ed", "##s"};
  for (int i = 0; i < 5000; ++i) tokens.push_back("w" + std::to_string(i));
  WordPieceTokenizer tokenizer(Vocab::fromTokens(tokens, "bench"), WordPieceOptions{});
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "bertwb-bench-corpus.txt";
  {
    std::mt19937_64 rng(1);
    std::ofstream out(path);
    const char* suffixes[] = {"", "", "", "ing", "ed", "s"};
    size_t written = 0;
    while (written < megabytes * 1e6) {
      const int sentences = 10 + static_cast<int>(rng() % 31);
      for (int s = 0; s < sentences; ++s) {
        std::string line;
        const int words = 6 + static_cast<int>(rng() % 20);
        for (int w = 0; w < words; ++w) line += "w" + std::to_string(rng() % 5000) + suffixes[rng() % 6] + (w + 1 < words ? " " : ".\n");
        out << line;
        written += line.size();
      }
      out << "\n";
      ++written;
    }
  }
  const double fileMb = std::filesystem::file_size(path) / 1e6;

  auto start = std::chrono::steady_clock::now();
  const TokenizedCorpus corpus = readCorpus({path.string()}, tokenizer);
  const double tokenizeSeconds = secondsSince(start);
  std::cout << nlohmann::json({{"bench", "corpus_tokenize"},
                               {"megabytes", fileMb},
                               {"seconds", tokenizeSeconds},
                               {"mb_per_s", fileMb / tokenizeSeconds},
                               {"tokens", corpus.statistics.tokens},
                               {"peak_rss_mb", peakRssMegabytes()}})
                   .dump()
            << std::endl;

  PretrainingDataOptions options;
  options.dupeFactor = 1;
  PretrainingSampler sampler(corpus, samplerVocabulary(tokenizer), options);
  start = std::chrono::steady_clock::now();
  const auto instances = sampler.createInstances();
  const double sampleSeconds = secondsSince(start);
  std::cout << nlohmann::json({{"bench", "create_instances"},
                               {"instances", instances.size()},
                               {"seconds", sampleSeconds},
                               {"instances_per_s", instances.size() / sampleSeconds},
                               {"max_seq_length", options.maxSeqLength},
                               {"peak_rss_mb", peakRssMegabytes()}})
                   .dump()
            << std::endl;
  std::filesystem::remove(path);
  return 0;
}
