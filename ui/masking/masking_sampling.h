#pragma once
// The Masking panel's two questions to the sampler, in plain C++ (no Qt, no torch):
//   "show me instance k of seed s" — one instance, reproducible, cheap enough for every knob
//   change; and "what do N instances look like?" — the rates a student compares with the
//   paper's targets, run on a worker thread.
#include <cstdint>
#include <vector>

#include "data/pretraining_sampler.h"
#include "util/progress.h"

namespace bertwb::ui {

// Instance number `index` of `seed`: a document chosen at random, cut into A/B pairs as the
// original does, one pair chosen, then masked. The same (seed, index, options) always gives
// the same instance. Throws bertwb::Error when no document yields an instance.
PretrainingInstance drawInstance(const PretrainingSampler& sampler, uint64_t seed, int64_t index);

struct MaskingStatistics {
  int instances = 0;
  int64_t positions =
      0;               // every token of every instance, [CLS]/[SEP] included (the original's len)
  int64_t chosen = 0;  // positions chosen for prediction
  int64_t masked = 0, randomReplaced = 0, kept = 0;
  int isNext = 0;
  int shortTargets = 0;  // instances whose target length was drawn short (short_seq_prob)
  // short_seq_prob is a coin per document pass (the original draws the target length once per
  // document); a short target cuts that document into more instances, so the instance share
  // runs above the coin's. Both are counted.
  int documentPasses = 0;  // documents cut into instances (that gave at least one)
  int shortDocumentPasses = 0;
  int cappedByPredictions =
      0;  // instances where max_predictions_per_seq, not the rate, set the count
  std::vector<int64_t> lengthCounts;  // [n] = instances of n tokens

  double chosenRate() const { return positions ? static_cast<double>(chosen) / positions : 0.0; }
  double maskShare() const { return chosen ? static_cast<double>(masked) / chosen : 0.0; }
  double randomShare() const { return chosen ? static_cast<double>(randomReplaced) / chosen : 0.0; }
  double keptShare() const { return chosen ? static_cast<double>(kept) / chosen : 0.0; }
  double isNextShare() const { return instances ? static_cast<double>(isNext) / instances : 0.0; }
  double shortInstanceShare() const {
    return instances ? static_cast<double>(shortTargets) / instances : 0.0;
  }
  double shortShare() const {
    return documentPasses ? static_cast<double>(shortDocumentPasses) / documentPasses : 0.0;
  }
};

// `count` instances the way the original pipeline makes them (documents in a shuffled order,
// every instance of each document, each masked), counted. Throws bertwb::Cancelled when asked.
MaskingStatistics measureMasking(const PretrainingSampler& sampler, uint64_t seed, int count,
                                 const ProgressCallback& progress = nullptr,
                                 const CancelFlag* cancel = nullptr);

}  // namespace bertwb::ui
