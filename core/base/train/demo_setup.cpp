#include "train/demo_setup.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "text/wordpiece_trainer.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {
namespace fs = std::filesystem;
}

DemoPretrainingSetup prepareDemoPretraining(const std::string& folder, uint64_t seed,
                                            const ProgressCallback& progress,
                                            const CancelFlag* cancel, bool replace) {
  DemoPretrainingSetup setup;
  DemoWorldOptions options;
  options.outputFolder = folder;
  options.seed = seed;
  options.replace = replace;
  // The generator is fast (well under a second), and rewriting guarantees the files match
  // this seed; it writes each file atomically, so nothing half-written is ever read.
  setup.world = writeDemoWorld(options, progress);
  if (cancel && cancel->isRequested()) throw Cancelled();
  setup.tokenizerFolder = (fs::path(folder) / "tokenizer").string();
  if (!fs::exists(fs::path(setup.tokenizerFolder) / "vocab.txt")) {
    WordPieceTrainOptions train;
    train.inputFiles = {setup.world.corpus};
    train.outputFolder = setup.tokenizerFolder;
    train.vocabSize = kDemoVocabularySize;
    trainWordPieceVocab(train, progress, cancel);
  }
  return setup;
}

DemoProbeTexts demoProbeTexts(const std::string& corpusPath) {
  std::ifstream in = openRegularFile(corpusPath, "demo corpus");
  // Facts the generator states in many documents, so the model can learn them.
  const std::regex town(R"(^(.*, a town in )([A-Z][\w]+)\.$)");
  const std::regex good(R"(^(.* is very good at )([a-z]+)\.$)");
  const std::regex works(R"(^(.* works as an? )([a-z]+)( at .*)$)");
  DemoProbeTexts probes;
  std::string townProbe, goodProbe, worksProbe, line, previous;
  bool firstDocument = true;
  std::smatch match;
  while (std::getline(in, line)) {
    if (line.empty()) {
      firstDocument = false;
      continue;
    }
    if (firstDocument && probes.nspTextA.empty() && !previous.empty()) {
      probes.nspTextA = previous;
      probes.nspTextB = line;
    }
    previous = line;
    if (townProbe.empty() && std::regex_match(line, match, town))
      townProbe = match[1].str() + "[MASK].";
    if (goodProbe.empty() && std::regex_match(line, match, good))
      goodProbe = match[1].str() + "[MASK].";
    if (worksProbe.empty() && std::regex_match(line, match, works))
      worksProbe = match[1].str() + "[MASK]" + match[3].str();
    if (!townProbe.empty() && !goodProbe.empty() && !worksProbe.empty() && !probes.nspTextA.empty())
      break;
  }
  for (const auto& text : {townProbe, worksProbe, goodProbe})
    if (!text.empty()) probes.fillMask.push_back(text);
  return probes;
}

}  // namespace bertwb
