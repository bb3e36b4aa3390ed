#pragma once
// The demo's data without torch: writing the demo world and its vocabulary, and the probe
// texts its facts give. Kept apart from demo_pretraining.h (probes, which need torch) so the
// GUI's workspace code compiles without the torch headers. The demo's run settings are
// demoPretrainingRecipe (run_recipes.h).
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

// Sized so that every name, town and task word stays whole while about 1% of the corpus's
// tokens are "##" pieces of the newsletters' rare inflected words ("polish ##ed"): measured on
// the seed-12345 world, 2,000 split surnames in the NER files (2.8% of their tokens are
// pieces) and 2,800 splits 0.07% of them, as many as before the newsletters existed.
constexpr int kDemoVocabularySize = 2800;

// Writes the demo world into `folder` and trains the vocabulary into folder/tokenizer,
// reusing the vocabulary when it is already there. `folder` must be new or empty, or (with
// `replace`) hold a demo world already; anything else is refused (io/output_folder.h).
DemoPretrainingSetup prepareDemoPretraining(const std::string& folder, uint64_t seed = 12345,
                                            const ProgressCallback& progress = nullptr,
                                            const CancelFlag* cancel = nullptr,
                                            bool replace = false);

// Fill-mask probes on facts the corpus states again and again ("…, a town in [MASK].") and
// an IsNext pair from the first document. Throws bertwb::Error when the corpus is unreadable.
struct DemoProbeTexts {
  std::vector<std::string> fillMask;  // each with one "[MASK]"
  std::string nspTextA, nspTextB;
};
DemoProbeTexts demoProbeTexts(const std::string& corpusPath);

}  // namespace bertwb
