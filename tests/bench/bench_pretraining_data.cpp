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

#include "bench_support.h"
#include "data/corpus.h"
#include "data/pretraining_sampler.h"

using namespace bertwb;

namespace {}  // namespace

int main(int argc, char** argv) {
  double megabytes = 50;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--megabytes") megabytes = std::stod(argv[i + 1]);

  const WordPieceTokenizer tokenizer = bench::generatedCorpusTokenizer();
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "bertwb-bench-corpus.txt";
  bench::writeGeneratedCorpus(path.string(), megabytes);
  const double fileMb = std::filesystem::file_size(path) / 1e6;

  auto start = std::chrono::steady_clock::now();
  const TokenizedCorpus corpus = readCorpus({path.string()}, tokenizer);
  const double tokenizeSeconds = bench::secondsSince(start);
  std::cout << nlohmann::json({{"bench", "corpus_tokenize"},
                               {"megabytes", fileMb},
                               {"seconds", tokenizeSeconds},
                               {"mb_per_s", fileMb / tokenizeSeconds},
                               {"tokens", corpus.statistics.tokens},
                               {"peak_rss_mb", bench::peakRssMegabytes()}})
                   .dump()
            << std::endl;

  PretrainingDataOptions options;
  options.dupeFactor = 1;
  PretrainingSampler sampler(corpus, samplerVocabulary(tokenizer), options);
  start = std::chrono::steady_clock::now();
  const auto instances = sampler.createInstances();
  const double sampleSeconds = bench::secondsSince(start);
  std::cout << nlohmann::json({{"bench", "create_instances"},
                               {"instances", instances.size()},
                               {"seconds", sampleSeconds},
                               {"instances_per_s", instances.size() / sampleSeconds},
                               {"max_seq_length", options.maxSeqLength},
                               {"peak_rss_mb", bench::peakRssMegabytes()}})
                   .dump()
            << std::endl;
  std::filesystem::remove(path);
  return 0;
}
