#pragma once
// Per-piece logits of a token-classification model → a label per word → entities with code
// point offsets into the text. A word's label comes from its pieces by one of Hugging Face's
// aggregation strategies (first, average, max); entities are read from the BIO tags after
// a repair (a stray I-X that follows neither B-X nor I-X starts an entity: B-X), so every
// predicted span is a well-formed entity as seqeval would count it. Torch-free.
#include <cstdint>
#include <string>
#include <vector>

#include "tasks/token_features.h"

namespace bertwb {

enum class TagAggregation {
  First,    // the word's first piece decides (the one that was trained: BERT paper §5.3)
  Average,  // the mean of the pieces' label probabilities
  Max,      // the piece that is surest decides
};

struct TagDecodingOptions {
  TagAggregation aggregation = TagAggregation::First;
};

struct WordTag {
  std::string label;      // after BIO repair
  int64_t labelId = -1;   // the model's class id (-1 for words the feature left out)
  double score = 0;       // the probability of that class
  bool repaired = false;  // I-X turned into B-X
};

struct TaggedEntity {
  std::string type;  // "PER" from B-PER / I-PER
  int firstWord = 0, lastWord = 0;
  int64_t start = 0,
          end = 0;   // code points in the feature's text: [first piece start, last piece end)
  std::string text;  // that slice of the text
  double score = 0;  // mean of its words' scores
};

struct TagPrediction {
  std::vector<WordTag> words;  // one per word of the sentence ("O", score 0, for words left out)
  std::vector<TaggedEntity> entities;
};

// `logits`: the feature's (S, K) scores, row-major, S ≥ its length (padding rows ignored);
// `labels`: class id → name (size K).
TagPrediction decodeTags(const TokenFeature& feature, const std::vector<float>& logits,
                         const std::vector<std::string>& labels,
                         const TagDecodingOptions& options = {});

}  // namespace bertwb
