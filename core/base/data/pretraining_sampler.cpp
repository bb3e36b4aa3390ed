#include "data/pretraining_sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/error.h"

namespace bertwb {
namespace {

// [CLS] A [SEP] B [SEP]: three positions are not text.
constexpr int kAddedTokens = 3;
// Original: B is the real next segment unless a fair coin says otherwise.
constexpr double kRandomNextProb = 0.5;

}  // namespace

const char* maskKindName(MaskKind kind) {
  switch (kind) {
    case MaskKind::Mask:
      return "mask";
    case MaskKind::Random:
      return "random";
    case MaskKind::Keep:
      return "keep";
  }
  return "?";
}

SamplerVocabulary samplerVocabulary(const Tokenizer& tokenizer) {
  SamplerVocabulary v;
  v.special = tokenizer.specialTokenIds();
  v.size = tokenizer.vocabSize();
  v.isContinuation.assign(static_cast<size_t>(v.size), 0);
  const bool sentencePiece = tokenizer.kind() == "sentencepiece";
  const std::string wordStart = "\xe2\x96\x81";  // ▁
  for (int32_t id = 0; id < v.size; ++id) {
    const std::string token = tokenizer.idToToken(id);
    const bool special = id == v.special.cls || id == v.special.sep || id == v.special.mask ||
                         id == v.special.pad || id == v.special.unk;
    v.isContinuation[static_cast<size_t>(id)] =
        sentencePiece ? (token.compare(0, wordStart.size(), wordStart) != 0 && !special)
                      : (token.size() > 2 && token.compare(0, 2, "##") == 0);
    // The original draws from the whole vocabulary; drawing [PAD] or [CLS] as a "random
    // word" teaches nothing, so specials are left out.
    if (!special && !(token.size() > 1 && token.front() == '[' && token.back() == ']'))
      v.randomCandidates.push_back(id);
  }
  if (v.special.cls < 0 || v.special.sep < 0 || v.special.mask < 0) {
    throw Error("the tokenizer lacks [CLS], [SEP] or [MASK], which pre-training needs");
  }
  if (v.randomCandidates.empty())
    throw Error("the vocabulary has no ordinary tokens to use as random replacements");
  return v;
}

PretrainingSampler::PretrainingSampler(const TokenizedCorpus& corpus, SamplerVocabulary vocabulary,
                                       PretrainingDataOptions options)
    : PretrainingSampler(viewOf(corpus), std::move(vocabulary), options) {}

PretrainingSampler::PretrainingSampler(const CorpusView& corpus, SamplerVocabulary vocabulary,
                                       PretrainingDataOptions options)
    : corpus_(corpus), vocabulary_(std::move(vocabulary)), options_(options) {
  validate();
}

PretrainingSampler::PretrainingSampler(std::unique_ptr<CorpusView> ownedView,
                                       SamplerVocabulary vocabulary, PretrainingDataOptions options)
    : ownedView_(std::move(ownedView)),
      corpus_(*ownedView_),
      vocabulary_(std::move(vocabulary)),
      options_(options) {
  validate();
}

void PretrainingSampler::validate() const {
  if (options_.maxSeqLength < kAddedTokens + 2) {
    throw Error("max_seq_length " + std::to_string(options_.maxSeqLength) +
                " is too short (at least 5)");
  }
  if (options_.maxPredictionsPerSeq < 1) throw Error("max_predictions_per_seq must be at least 1");
  if (!(options_.maskedLmProb > 0 && options_.maskedLmProb <= 1))
    throw Error("masked_lm_prob must be in (0, 1]");
  if (!(options_.shortSeqProb >= 0 && options_.shortSeqProb <= 1))
    throw Error("short_seq_prob must be in [0, 1]");
  if (options_.dupeFactor < 1) throw Error("dupe_factor must be at least 1");
  if (options_.maskTokenShare < 0 || options_.randomTokenShare < 0 ||
      options_.maskTokenShare + options_.randomTokenShare > 1 + 1e-9) {
    throw Error("the [MASK] and random shares must be non-negative and add up to at most 1");
  }
  if (corpus_.documentCount() < 2 && !options_.singleSegments) {
    throw Error(
        "next-sentence prediction needs at least two documents (NotNext segments come from another "
        "document), but the corpus has " +
        std::to_string(corpus_.documentCount()) + "; separate documents with a blank line");
  }
}

int PretrainingSampler::predictionsFor(int length) const {
  return std::min(options_.maxPredictionsPerSeq,
                  std::max(1, static_cast<int>(std::lround(length * options_.maskedLmProb))));
}

void PretrainingSampler::truncatePair(std::vector<int32_t>& a, std::vector<int32_t>& b,
                                      int maxTokens, Rng& rng, int32_t& removed) const {
  // Trim the longer side one token at a time, from the front or the back at random, so that
  // the model does not learn that sequences always end (or start) at a sentence boundary.
  // The cuts only move each side's [first, last) window; the tokens are moved once at the
  // end, so a line of millions of tokens costs linear time (erasing at the front each time
  // was quadratic). The random draws, and so the instances, are the same as one at a time.
  size_t firstA = 0, lastA = a.size(), firstB = 0, lastB = b.size();
  while (static_cast<int>((lastA - firstA) + (lastB - firstB)) > maxTokens) {
    const bool trimA = lastA - firstA > lastB - firstB;
    size_t& first = trimA ? firstA : firstB;
    size_t& last = trimA ? lastA : lastB;
    if (rng.uniform() < 0.5)
      ++first;
    else
      --last;
    ++removed;
  }
  a.erase(a.begin() + static_cast<std::ptrdiff_t>(lastA), a.end());
  a.erase(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(firstA));
  b.erase(b.begin() + static_cast<std::ptrdiff_t>(lastB), b.end());
  b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(firstB));
}

std::vector<PretrainingInstance> PretrainingSampler::instancesFromDocument(size_t documentIndex,
                                                                           Rng& rng) const {
  const size_t sentenceCount = corpus_.sentenceCount(documentIndex);
  auto sentence = [&](size_t j) { return corpus_.sentence(documentIndex, j); };
  const bool single = options_.singleSegments;
  const int maxTokens = options_.maxSeqLength - (single ? kAddedTokens - 1 : kAddedTokens);
  // Mostly full-length sequences; short_seq_prob of the time a shorter target, so that
  // the model also sees the short inputs fine-tuning gives it.
  int targetLength = maxTokens;
  if (rng.uniform() < options_.shortSeqProb)
    targetLength = static_cast<int>(rng.between(2, maxTokens));

  std::vector<PretrainingInstance> instances;
  std::vector<size_t> chunk;  // sentence indices
  int chunkLength = 0;
  for (size_t i = 0; i < sentenceCount; ++i) {
    chunk.push_back(i);
    chunkLength += static_cast<int>(sentence(i).size);
    if (i + 1 != sentenceCount && chunkLength < targetLength) continue;

    // A = the first aEnd sentences of the chunk (all of them for a single segment).
    const size_t aEnd =
        single ? chunk.size()
        : chunk.size() >= 2
            ? static_cast<size_t>(rng.between(1, static_cast<int64_t>(chunk.size()) - 1))
            : 1;
    PretrainingInstance instance;
    instance.targetLength = targetLength;
    std::vector<int32_t> a, b;
    for (size_t j = 0; j < aEnd; ++j) {
      const TokenSpan ids = sentence(chunk[j]);
      a.insert(a.end(), ids.begin(), ids.end());
    }
    instance.segmentA = {static_cast<int64_t>(documentIndex), static_cast<int64_t>(chunk.front()),
                         static_cast<int64_t>(chunk[aEnd - 1])};

    if (single) {
      instance.segmentB = instance.segmentA;  // no B: the instance is its A alone
    } else if (chunk.size() == 1 || rng.uniform() < kRandomNextProb) {
      instance.isRandomNext = true;
      const int targetB = targetLength - static_cast<int>(a.size());
      // Any other document, uniformly (the original retries 10 times and may, rarely, take
      // the same document; here NotNext is never the same document).
      int64_t other = rng.between(0, static_cast<int64_t>(corpus_.documentCount()) - 2);
      if (other >= static_cast<int64_t>(documentIndex)) ++other;
      const auto otherSentences =
          static_cast<int64_t>(corpus_.sentenceCount(static_cast<size_t>(other)));
      const int64_t start = rng.between(0, otherSentences - 1);
      int64_t last = start;
      for (int64_t j = start; j < otherSentences; ++j) {
        const TokenSpan ids = corpus_.sentence(static_cast<size_t>(other), static_cast<size_t>(j));
        b.insert(b.end(), ids.begin(), ids.end());
        last = j;
        if (static_cast<int>(b.size()) >= targetB) break;
      }
      instance.segmentB = {other, start, last};
      // The chunk's sentences after A were not used: put them back for the next chunk.
      i -= chunk.size() - aEnd;
    } else {
      for (size_t j = aEnd; j < chunk.size(); ++j) {
        const TokenSpan ids = sentence(chunk[j]);
        b.insert(b.end(), ids.begin(), ids.end());
      }
      instance.segmentB = {static_cast<int64_t>(documentIndex), static_cast<int64_t>(chunk[aEnd]),
                           static_cast<int64_t>(chunk.back())};
    }
    truncatePair(a, b, maxTokens, rng, instance.truncatedTokens);
    if (single && !a.empty()) {
      instance.tokens.reserve(a.size() + 2);
      instance.tokens.push_back(vocabulary_.special.cls);
      instance.tokens.insert(instance.tokens.end(), a.begin(), a.end());
      instance.tokens.push_back(vocabulary_.special.sep);
      instance.segmentIds.assign(instance.tokens.size(), 0);
      instances.push_back(std::move(instance));
    } else if (!a.empty() && !b.empty()) {
      instance.tokens.reserve(a.size() + b.size() + kAddedTokens);
      instance.tokens.push_back(vocabulary_.special.cls);
      instance.tokens.insert(instance.tokens.end(), a.begin(), a.end());
      instance.tokens.push_back(vocabulary_.special.sep);
      instance.segmentIds.assign(instance.tokens.size(), 0);
      instance.tokens.insert(instance.tokens.end(), b.begin(), b.end());
      instance.tokens.push_back(vocabulary_.special.sep);
      instance.segmentIds.resize(instance.tokens.size(), 1);
      instances.push_back(std::move(instance));
    }
    chunk.clear();
    chunkLength = 0;
  }
  return instances;
}

void PretrainingSampler::applyMasking(PretrainingInstance& instance, Rng& rng) const {
  // Candidates: every position but [CLS]/[SEP]; with whole-word masking a word's "##"
  // pieces join the candidate of its first piece.
  std::vector<std::vector<int32_t>> candidates;
  for (int32_t i = 0; i < static_cast<int32_t>(instance.tokens.size()); ++i) {
    const int32_t id = instance.tokens[static_cast<size_t>(i)];
    if (id == vocabulary_.special.cls || id == vocabulary_.special.sep) continue;
    const bool continues =
        id >= 0 && id < vocabulary_.size && vocabulary_.isContinuation[static_cast<size_t>(id)];
    if (options_.wholeWordMask && !candidates.empty() && continues &&
        candidates.back().back() == i - 1) {
      candidates.back().push_back(i);
    } else {
      candidates.push_back({i});
    }
  }
  rng.shuffle(candidates);
  const int wanted = predictionsFor(static_cast<int>(instance.tokens.size()));
  std::vector<MaskedPosition> masked;
  const std::vector<int32_t> original = instance.tokens;
  for (const auto& word : candidates) {
    if (static_cast<int>(masked.size()) >= wanted) break;
    // As the original: a whole word that would overshoot the count is skipped, not split.
    if (static_cast<int>(masked.size() + word.size()) > wanted) continue;
    for (int32_t position : word) {
      MaskedPosition m;
      m.position = position;
      m.originalId = original[static_cast<size_t>(position)];
      const double draw = rng.uniform();
      if (draw < options_.maskTokenShare) {
        m.kind = MaskKind::Mask;
        instance.tokens[static_cast<size_t>(position)] = vocabulary_.special.mask;
      } else if (draw < options_.maskTokenShare + options_.randomTokenShare) {
        m.kind = MaskKind::Random;
        const auto& pool = vocabulary_.randomCandidates;
        instance.tokens[static_cast<size_t>(position)] =
            pool[static_cast<size_t>(rng.between(0, static_cast<int64_t>(pool.size()) - 1))];
      } else {
        m.kind = MaskKind::Keep;
      }
      masked.push_back(m);
    }
  }
  std::sort(masked.begin(), masked.end(),
            [](const auto& x, const auto& y) { return x.position < y.position; });
  instance.masked = std::move(masked);
}

std::vector<PretrainingInstance> PretrainingSampler::createInstances(
    const ProgressCallback& progress, const CancelFlag* cancel) const {
  Rng rng(options_.seed);
  std::vector<size_t> order(corpus_.documentCount());
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  const int passes = options_.dynamicMasking ? 1 : options_.dupeFactor;
  std::vector<PretrainingInstance> instances;
  for (int pass = 0; pass < passes; ++pass) {
    for (size_t k = 0; k < order.size(); ++k) {
      if (cancel && cancel->isRequested()) throw Cancelled();
      for (auto& instance : instancesFromDocument(order[k], rng)) {
        if (!options_.dynamicMasking) applyMasking(instance, rng);
        instances.push_back(std::move(instance));
      }
      if (progress && k % 1000 == 0) {
        progress({(pass + static_cast<double>(k) / order.size()) / passes,
                  "pass " + std::to_string(pass + 1) + "/" + std::to_string(passes) + ": " +
                      std::to_string(instances.size()) + " instances"});
      }
    }
  }
  rng.shuffle(instances);
  if (progress) progress({1.0, std::to_string(instances.size()) + " instances"});
  return instances;
}

}  // namespace bertwb
