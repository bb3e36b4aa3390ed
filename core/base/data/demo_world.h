#pragma once
// The demo world: a deterministic, coherent synthetic English world (people, towns, jobs,
// objects, events) written out in the real formats, so a first-time user has a pre-training
// corpus and four downstream tasks that the ordinary import code reads. Same seed, same bytes.
#include <cstdint>
#include <string>

#include "util/progress.h"

namespace bertwb {

struct DemoWorldOptions {
  std::string outputFolder;    // created when missing
  uint64_t seed = 12345;       // the original create_pretraining_data.py default seed
  std::string size = "small";  // "small" (3,000 documents, ~1.5 MB) | "medium" (~5x that)
  // A demo world already in the folder (its demo-world.json) may be written again; anything
  // else in it is always refused (io/output_folder.h).
  bool replace = false;
};

// Absolute paths of the files written.
struct DemoWorldFiles {
  std::string corpus;  // corpus/pretrain.txt: one sentence per line, blank line between documents
  std::string sentimentTrain, sentimentDev;  // tasks/sentiment/*.tsv: sentence, label (0/1)
  std::string entailmentTrain,
      entailmentDev;             // tasks/entailment/*.tsv: sentence1, sentence2, label
  std::string nerTrain, nerDev;  // tasks/ner/*.conll: CoNLL-2003 columns, BIO PER/LOC/ORG
  std::string qaTrain, qaDev;    // tasks/qa/*.json: SQuAD v1.1
};

// Writes every file (each atomically); throws bertwb::Error for an unknown size or a folder
// that cannot be written.
DemoWorldFiles writeDemoWorld(const DemoWorldOptions& options,
                              const ProgressCallback& progress = nullptr);

}  // namespace bertwb
