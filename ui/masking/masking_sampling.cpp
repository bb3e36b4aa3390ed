#include "masking/masking_sampling.h"

#include <cmath>
#include <numeric>

#include "util/error.h"

namespace bertwb::ui {
namespace {

// [CLS] A [SEP] B [SEP]: the text gets max_seq_length minus these.
constexpr int kAddedTokens = 3;
// A document can yield no pair (all its text truncated away); try a few others before giving up.
constexpr int kDocumentAttempts = 64;
// Keeps the statistics' random stream apart from the instance stream of the same seed.
constexpr uint64_t kStatisticsStream = 0x5354415453ULL;  // "STATS"
constexpr int kProgressEveryDocuments = 50;

// SplitMix64's finaliser: neighbouring (seed, index) pairs get unrelated generator seeds.
uint64_t mixSeed(uint64_t seed, uint64_t index) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void countInstance(MaskingStatistics& s, const PretrainingInstance& instance,
                   const PretrainingSampler& sampler) {
  const int length = static_cast<int>(instance.tokens.size());
  ++s.instances;
  s.positions += length;
  s.chosen += static_cast<int64_t>(instance.masked.size());
  for (const MaskedPosition& m : instance.masked) {
    if (m.kind == MaskKind::Mask)
      ++s.masked;
    else if (m.kind == MaskKind::Random)
      ++s.randomReplaced;
    else
      ++s.kept;
  }
  s.isNext += !instance.isRandomNext;
  s.shortTargets += instance.targetLength < sampler.options().maxSeqLength - kAddedTokens;
  const PretrainingDataOptions& o = sampler.options();
  s.cappedByPredictions +=
      static_cast<int>(std::lround(length * o.maskedLmProb)) > o.maxPredictionsPerSeq;
  if (s.lengthCounts.size() <= static_cast<size_t>(length))
    s.lengthCounts.resize(static_cast<size_t>(length) + 1, 0);
  ++s.lengthCounts[static_cast<size_t>(length)];
}

}  // namespace

PretrainingInstance drawInstance(const PretrainingSampler& sampler, uint64_t seed, int64_t index) {
  Rng rng(mixSeed(seed, static_cast<uint64_t>(index)));
  const auto documents = static_cast<int64_t>(sampler.corpus().documentCount());
  for (int attempt = 0; attempt < kDocumentAttempts; ++attempt) {
    const auto document = static_cast<size_t>(rng.between(0, documents - 1));
    std::vector<PretrainingInstance> pairs = sampler.instancesFromDocument(document, rng);
    if (pairs.empty()) continue;
    PretrainingInstance instance = std::move(
        pairs[static_cast<size_t>(rng.between(0, static_cast<int64_t>(pairs.size()) - 1))]);
    sampler.applyMasking(instance, rng);
    return instance;
  }
  throw Error("no document of the corpus gave a pre-training pair after " +
              std::to_string(kDocumentAttempts) +
              " tries; the sentences may be too short or the sequence length too small");
}

MaskingStatistics measureMasking(const PretrainingSampler& sampler, uint64_t seed, int count,
                                 const ProgressCallback& progress, const CancelFlag* cancel) {
  Rng rng(mixSeed(seed, kStatisticsStream));
  std::vector<size_t> order(sampler.corpus().documentCount());
  std::iota(order.begin(), order.end(), 0);
  MaskingStatistics statistics;
  // Pass after pass over freshly shuffled documents, as dupe_factor does, until enough.
  while (statistics.instances < count) {
    rng.shuffle(order);
    const int before = statistics.instances;
    for (size_t k = 0; k < order.size() && statistics.instances < count; ++k) {
      if (cancel && cancel->isRequested()) throw Cancelled();
      std::vector<PretrainingInstance> pairs = sampler.instancesFromDocument(order[k], rng);
      if (!pairs.empty()) {
        ++statistics.documentPasses;
        statistics.shortDocumentPasses +=
            pairs.front().targetLength < sampler.options().maxSeqLength - kAddedTokens;
      }
      for (PretrainingInstance& instance : pairs) {
        if (statistics.instances >= count) break;
        sampler.applyMasking(instance, rng);
        countInstance(statistics, instance, sampler);
      }
      if (progress && k % kProgressEveryDocuments == 0)
        progress({static_cast<double>(statistics.instances) / count,
                  "sampled " + std::to_string(statistics.instances) + " instances"});
    }
    if (statistics.instances == before)
      throw Error("the corpus gives no pre-training pairs with these settings");
  }
  return statistics;
}

}  // namespace bertwb::ui
