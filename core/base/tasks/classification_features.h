#pragma once
// Sentence and sentence-pair examples → model inputs: `[CLS] A [SEP] (B [SEP])` truncated to
// max_seq_length (longest side first, as the original run_classifier.py's _truncate_seq_pair)
// with the class id, or the target number for regression. Torch-free.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/ignored_label.h"
#include "tasks/task_data.h"
#include "tasks/task_kind.h"
#include "text/tokenizer.h"

namespace bertwb {

// 128: run_classifier.py's max_seq_length default.
constexpr int kDefaultClassificationMaxSeqLength = 128;

struct ClassificationFeatureOptions {
  int maxSeqLength = kDefaultClassificationMaxSeqLength;
};

struct ClassificationFeature {
  Encoding encoding;
  int64_t labelId = kIgnoreLabel;  // class id; kIgnoreLabel for regression and unlabelled examples
  float target = 0.0f;             // regression target (labelled regression examples only)
  bool labelled = false;
  size_t exampleIndex = 0;
};

// One feature per example, in order. Throws bertwb::Error naming the record for a label the
// dataset's label list lacks, or a regression label that is not a number.
std::vector<ClassificationFeature> featurizeTextDataset(
    const TextDataset& dataset, const Tokenizer& tokenizer,
    const ClassificationFeatureOptions& options = {});

// One text (or pair) typed by a user, unlabelled.
ClassificationFeature featurizeText(const TextExample& example, const Tokenizer& tokenizer,
                                    const ClassificationFeatureOptions& options = {});

}  // namespace bertwb
