// The streaming corpus: writeCorpusShards throughput (MB/s of text) and instances/s streamed
// through CorpusInstanceStream over the ShardedCorpus, each phase in its own child process so
// that its peak RSS is its own; for comparison, the same stream over the corpus held in memory
// (readCorpus). Run at two sizes to compare. Besides the kernel's peak RSS, the resident set is
// sampled by kind: anonymous (what the process allocated) and file-backed (the mapped shards:
// page cache, which the kernel takes back whenever memory is wanted). Prints JSON lines.
// Usage: bench_corpus_shards [--megabytes N] [--instances M] [--no-in-memory]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "bench_support.h"
#include "data/corpus.h"
#include "data/corpus_shards.h"
#include "data/instance_stream.h"
#include "data/pretraining_sampler.h"
#include "text/wordpiece_tokenizer.h"

using namespace bertwb;
namespace fs = std::filesystem;

namespace {

// Current resident memory by kind, from /proc/self/status (MB): anonymous (what the process
// allocated) and file-backed (mapped files, which the kernel can drop at any time).
std::pair<double, double> residentMegabytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  double anon = 0, file = 0, kilobytes = 0;
  while (status >> key) {
    if (key == "RssAnon:" && status >> kilobytes) anon = kilobytes / 1024.0;
    if (key == "RssFile:" && status >> kilobytes) file = kilobytes / 1024.0;
  }
  return {anon, file};
}

// Runs `phase` in a child process and waits for it, so each phase's peak RSS is its own.
void inChildProcess(const std::function<void()>& phase) {
  std::cout.flush();
  const pid_t child = fork();
  if (child == 0) {
    int status = 0;
    try {
      phase();
    } catch (const std::exception& e) {
      std::cerr << "bench phase failed: " << e.what() << "\n";
      status = 1;
    }
    std::cout.flush();
    _exit(status);
  }
  int status = 0;
  waitpid(child, &status, 0);
}

// Samples the resident set while a phase runs (the kernel keeps only the total's peak).
struct ResidentPeaks {
  double anon = 0, file = 0;
  void sample() {
    const auto [nowAnon, nowFile] = residentMegabytes();
    anon = std::max(anon, nowAnon);
    file = std::max(file, nowFile);
  }
};

// Streams `count` instances, sampling the resident set; returns the seconds taken.
double streamInstances(const CorpusView& corpus, const Tokenizer& tokenizer, int64_t count,
                       ResidentPeaks& peaks, int64_t& epochs) {
  PretrainingSampler sampler(corpus, samplerVocabulary(tokenizer), {});
  CorpusInstanceStream stream(sampler, /*seed=*/12345);
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < count; ++i) {
    stream.next();
    if (i % 10000 == 0) peaks.sample();
  }
  epochs = stream.epoch();
  return bench::secondsSince(start);
}

}  // namespace

int main(int argc, char** argv) {
  double megabytes = 25;
  int64_t instanceCount = 300000;
  bool inMemory = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--no-in-memory") inMemory = false;
    if (i + 1 >= argc) continue;
    if (arg == "--megabytes") megabytes = std::stod(argv[i + 1]);
    if (arg == "--instances") instanceCount = std::stoll(argv[i + 1]);
  }

  // The same generated corpus as bench_pretraining_data.
  const WordPieceTokenizer tokenizer = bench::generatedCorpusTokenizer();
  const fs::path work =
      fs::temp_directory_path() / ("bertwb-bench-shards-" + std::to_string(getpid()));
  fs::create_directories(work);
  const fs::path text = work / "corpus.txt", shards = work / "shards";
  bench::writeGeneratedCorpus(text.string(), megabytes);
  const double fileMb = fs::file_size(text) / 1e6;

  inChildProcess([&] {
    ResidentPeaks peaks;
    ProgressCallback progress = [&](const Progress&) { peaks.sample(); };  // every 4096 lines
    const auto start = std::chrono::steady_clock::now();
    const CorpusManifest manifest =
        writeCorpusShards({text.string()}, tokenizer, {}, shards.string(), {}, progress);
    const double seconds = bench::secondsSince(start);
    std::cout << nlohmann::json({{"bench", "write_corpus_shards"},
                                 {"megabytes", fileMb},
                                 {"seconds", seconds},
                                 {"mb_per_s", fileMb / seconds},
                                 {"tokens", manifest.statistics.tokens},
                                 {"shards", manifest.shards.size()},
                                 {"peak_anon_rss_mb", peaks.anon},
                                 {"peak_rss_mb", bench::peakRssMegabytes()}})
                     .dump()
              << std::endl;
  });

  inChildProcess([&] {
    const auto start = std::chrono::steady_clock::now();
    const ShardedCorpus corpus(shards.string());
    const double openSeconds = bench::secondsSince(start);
    ResidentPeaks peaks;
    int64_t epochs = 0;
    const double seconds = streamInstances(corpus, tokenizer, instanceCount, peaks, epochs);
    std::cout << nlohmann::json({{"bench", "stream_instances_sharded"},
                                 {"megabytes", fileMb},
                                 {"token_file_mb", corpus.statistics().tokens * 4 / 1e6},
                                 {"open_seconds", openSeconds},
                                 {"instances", instanceCount},
                                 {"epochs", epochs},
                                 {"seconds", seconds},
                                 {"instances_per_s", instanceCount / seconds},
                                 {"peak_anon_rss_mb", peaks.anon},
                                 {"peak_file_rss_mb", peaks.file},
                                 {"peak_rss_mb", bench::peakRssMegabytes()}})
                     .dump()
              << std::endl;
  });

  if (inMemory) {
    inChildProcess([&] {
      const TokenizedCorpus corpus = readCorpus({text.string()}, tokenizer);
      ResidentPeaks peaks;
      int64_t epochs = 0;
      const double seconds =
          streamInstances(*viewOf(corpus), tokenizer, instanceCount, peaks, epochs);
      std::cout << nlohmann::json({{"bench", "stream_instances_in_memory"},
                                   {"megabytes", fileMb},
                                   {"instances", instanceCount},
                                   {"epochs", epochs},
                                   {"seconds", seconds},
                                   {"instances_per_s", instanceCount / seconds},
                                   {"peak_anon_rss_mb", peaks.anon},
                                   {"peak_rss_mb", bench::peakRssMegabytes()}})
                       .dump()
                << std::endl;
    });
  }
  fs::remove_all(work);
  return 0;
}
