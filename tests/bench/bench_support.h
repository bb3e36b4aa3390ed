#pragma once
// Helpers the benchmarks share: peak memory, timing, and the generated corpus the data
// benchmarks read.
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "text/wordpiece_tokenizer.h"

namespace bertwb::bench {

inline double peakRssMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // kilobytes on Linux
}

inline double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// 5,000 words "w0".."w4999" plus the suffix pieces the generated corpus uses.
inline WordPieceTokenizer generatedCorpusTokenizer() {
  std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                                     ".",     "##ing", "##ed",  "##s"};
  for (int i = 0; i < 5000; ++i) tokens.push_back("w" + std::to_string(i));
  return WordPieceTokenizer(Vocab::fromTokens(tokens, "bench"), WordPieceOptions{});
}

// At least `megabytes` of text in the original format: documents of 10-40 sentences of 6-25
// words, some with a suffix piece. Always the same text for the same size.
inline void writeGeneratedCorpus(const std::string& path, double megabytes) {
  std::mt19937_64 rng(1);
  std::ofstream out(path);
  const char* suffixes[] = {"", "", "", "ing", "ed", "s"};
  size_t written = 0;
  while (written < megabytes * 1e6) {
    const int sentences = 10 + static_cast<int>(rng() % 31);
    for (int s = 0; s < sentences; ++s) {
      std::string line;
      const int words = 6 + static_cast<int>(rng() % 20);
      for (int w = 0; w < words; ++w)
        line += "w" + std::to_string(rng() % 5000) + suffixes[rng() % 6] +
                (w + 1 < words ? " " : ".\n");
      out << line;
      written += line.size();
    }
    out << "\n";
    ++written;
  }
}

}  // namespace bertwb::bench
