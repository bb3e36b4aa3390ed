#pragma once
// One pre-training example and the explanation of every decision behind it, which the
// masking & NSP view draws and `inspect-data` prints.
#include <cstdint>
#include <string>
#include <vector>

namespace bertwb {

enum class MaskKind {
  Mask,    // replaced by [MASK] (80%)
  Random,  // replaced by a random vocabulary token (10%)
  Keep,    // left unchanged but still predicted (10%)
};

const char* maskKindName(MaskKind kind);  // "mask", "random", "keep"

struct MaskedPosition {
  int32_t position = 0;    // index into tokens
  int32_t originalId = 0;  // the label: what the model must predict
  MaskKind kind = MaskKind::Mask;
};

struct SegmentSource {
  int64_t document = 0;       // index into the corpus's documents
  int64_t firstSentence = 0;  // sentence range [first, last] inside that document
  int64_t lastSentence = 0;
};

struct PretrainingInstance {
  std::vector<int32_t> tokens;         // [CLS] A [SEP] B [SEP], after masking
  std::vector<int32_t> segmentIds;     // 0 for [CLS] A [SEP], 1 for B [SEP]
  bool isRandomNext = false;           // NSP label: false = IsNext (0), true = NotNext (1)
  std::vector<MaskedPosition> masked;  // sorted by position
  SegmentSource segmentA, segmentB;
  int32_t targetLength = 0;  // the length this chunk aimed at (short_seq_prob draws shorter ones)
  int32_t truncatedTokens = 0;  // removed by truncate_seq_pair
};

}  // namespace bertwb
