#pragma once
// The demo's data without torch: writing the demo world and its vocabulary, and the sizes
// the demo runs use. Kept apart from demo_pretraining.h (run settings and probes, which need
// torch) so the GUI's workspace code compiles without the torch headers.
#include <cstdint>
#include <string>

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

}  // namespace bertwb
