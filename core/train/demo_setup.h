#pragma once
// The demo's data without torch: writing the demo world and its vocabulary, and the sizes
// the demo runs use. Kept apart from demo_pretraining.h (run settings and probes, which need
// torch) so the GUI's workspace code compiles without the torch headers.
#include <cstdint>
#include <string>
#include <vector>

#include "data/demo_world.h"
#include "util/progress.h"

namespace bertwb {

struct DemoPretrainingSetup {
  DemoWorldFiles world;
  std::string tokenizerFolder;  // vocab.txt + tokenizer_config.json
};

// The demo world's vocabulary is small (names, towns, a few hundred words), so 2,000
// tokens hold nearly every word whole.
constexpr int kDemoVocabularySize = 2000;

// Writes the demo world into `folder` and trains the vocabulary into folder/tokenizer,
// reusing both when they are already there (same seed, same bytes).
DemoPretrainingSetup prepareDemoPretraining(const std::string& folder, uint64_t seed = 12345,
                                            const ProgressCallback& progress = nullptr,
                                            const CancelFlag* cancel = nullptr);

// Sequences of the demo runs: the demo's sentences are short, and a Tiny model learns
// faster on short instances.
constexpr int kDemoMaxSeqLength = 64;

// The demo's run settings (batch 32, lr 2e-3 with 5% warm-up, sequences of 64), chosen by
// measurement on 2 CPU cores for a Tiny model; demo_pretraining.h turns them into
// PretrainingRunOptions, the GUI's settings form reads them without torch.
struct DemoRecipe {
  int batchSize = 32;
  int maxSeqLength = kDemoMaxSeqLength;
  double learningRate = 2e-3;
  int64_t warmupSteps = 1;
  int64_t logEvery = 10;
  int64_t probeEvery = 50;
};
DemoRecipe demoRecipe(int64_t steps);

// Fill-mask probes on facts the corpus states again and again ("…, a town in [MASK].") and
// an IsNext pair from the first document. Throws bertwb::Error when the corpus is unreadable.
struct DemoProbeTexts {
  std::vector<std::string> fillMask;  // each with one "[MASK]"
  std::string nspTextA, nspTextB;
};
DemoProbeTexts demoProbeTexts(const std::string& corpusPath);

}  // namespace bertwb
