#pragma once
// Pre-training instances with the semantics of the original create_pretraining_data.py:
// documents are cut into chunks up to a target length, each chunk split into A and B; B is
// the real continuation or (coin p 0.5, or a one-sentence chunk) text from another document,
// with the chunk's unused sentences put back; the pair is truncated to fit; then exactly
// min(max_predictions, max(1, round(len × masked_lm_prob))) positions are masked, 80% [MASK],
// 10% a random token, 10% unchanged. Every random choice goes through the Rng passed in.
#include <cstdint>
#include <vector>

#include "data/corpus.h"
#include "data/corpus_view.h"
#include "data/pretraining_instance.h"
#include "data/random.h"
#include "text/tokenizer.h"

namespace bertwb {

// Defaults: the original script's flags (and BERT paper §3.1, §A.2).
struct PretrainingDataOptions {
  int maxSeqLength = 128;
  int maxPredictionsPerSeq = 20;
  double maskedLmProb = 0.15;
  int dupeFactor = 10;  // static masking: each document is made into instances this many times
  double shortSeqProb = 0.1;
  uint64_t seed = 12345;
  bool wholeWordMask = false;
  // The replacement mix of chosen positions (paper §3.1 and Table 8: 80/10/10).
  double maskTokenShare = 0.8;
  double randomTokenShare = 0.1;  // the rest is kept unchanged
  // Dynamic masking: a fresh mask every time an instance is drawn (RoBERTa-style) instead of
  // dupe_factor fixed copies.
  bool dynamicMasking = false;
  // One contiguous segment per instance, "[CLS] sentences [SEP]", with no B and no NotNext
  // pairs: RoBERTa's answer (2019, §4.2) to the paper's "No NSP", which kept segment pairs.
  bool singleSegments = false;
};

// What the sampler needs to know about the vocabulary.
struct SamplerVocabulary {
  SpecialTokenIds special;
  int32_t size = 0;
  std::vector<uint8_t> isContinuation;  // per id: a "##" piece (or a non-"▁" SentencePiece piece)
  std::vector<int32_t> randomCandidates;  // ids a "random" replacement may take (no specials)
};

SamplerVocabulary samplerVocabulary(const Tokenizer& tokenizer);

class PretrainingSampler {
 public:
  // Throws bertwb::Error for options out of range or a corpus that cannot give NotNext
  // pairs (fewer than two documents). The corpus (or view) must outlive the sampler.
  PretrainingSampler(const TokenizedCorpus& corpus, SamplerVocabulary vocabulary,
                     PretrainingDataOptions options);
  PretrainingSampler(const CorpusView& corpus, SamplerVocabulary vocabulary,
                     PretrainingDataOptions options);

  // Every instance of one pass over the documents, unmasked (A/B pairs only).
  std::vector<PretrainingInstance> instancesFromDocument(size_t documentIndex, Rng& rng) const;
  // Chooses and replaces the masked positions of `instance` (which must be unmasked).
  void applyMasking(PretrainingInstance& instance, Rng& rng) const;

  // The original pipeline: documents shuffled, dupe_factor passes, each instance masked,
  // all instances shuffled. Same seed → same instances.
  std::vector<PretrainingInstance> createInstances(const ProgressCallback& progress = nullptr,
                                                   const CancelFlag* cancel = nullptr) const;

  // How many positions the original masks in a sequence of `length` tokens.
  int predictionsFor(int length) const;
  const PretrainingDataOptions& options() const { return options_; }
  const SamplerVocabulary& vocabulary() const { return vocabulary_; }
  const CorpusView& corpus() const { return corpus_; }

 private:
  PretrainingSampler(std::unique_ptr<CorpusView> ownedView, SamplerVocabulary vocabulary,
                     PretrainingDataOptions options);
  void validate() const;
  void truncatePair(std::vector<int32_t>& a, std::vector<int32_t>& b, int maxTokens, Rng& rng,
                    int32_t& removed) const;

  std::unique_ptr<CorpusView> ownedView_;  // set when built from a TokenizedCorpus
  const CorpusView& corpus_;
  SamplerVocabulary vocabulary_;
  PretrainingDataOptions options_;
};

}  // namespace bertwb
