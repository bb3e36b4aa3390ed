#pragma once
// SQuAD examples → model inputs, by the original run_squad.py's rules: the question cut to
// max_query_length pieces; the context cut into overlapping windows of the length left
// over, each starting doc_stride pieces after the previous one; `[CLS] question [SEP]
// window [SEP]`. A piece seen by several windows is scored only in the window that gives it
// the most context on both sides (token_is_max_context). Offsets are code points into the
// context, so a decoded answer is an exact substring of it. Torch-free.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tasks/task_data.h"
#include "text/tokenizer.h"

namespace bertwb {

// 384, 128, 64: run_squad.py's max_seq_length, doc_stride and max_query_length defaults.
constexpr int kDefaultQaMaxSeqLength = 384;
constexpr int kDefaultQaDocStride = 128;
constexpr int kDefaultQaMaxQueryLength = 64;

struct QaFeatureOptions {
  int maxSeqLength = kDefaultQaMaxSeqLength;
  int docStride = kDefaultQaDocStride;  // pieces between the starts of consecutive windows
  int maxQueryLength = kDefaultQaMaxQueryLength;
  // Compute answer positions (checked against the context) from each example's first answer.
  bool training = false;
};

struct QaFeature {
  size_t exampleIndex = 0;
  int windowIndex = 0;  // 0, 1, ... within the example
  std::vector<int32_t> ids, segmentIds, attentionMask;
  std::vector<std::string> pieces;
  int contextOffset = 0;      // sequence position of the window's first context piece
  int contextPieceStart = 0;  // index of that piece among all the context's pieces
  int contextPieceCount = 0;  // context pieces in this window
  // Per sequence position: the piece's code point span in the context; -1 outside the context.
  std::vector<int64_t> charStarts, charEnds;
  // Per sequence position: 1 where this window gives the context piece its most context.
  std::vector<uint8_t> maxContext;
  // Training: the answer's first and last sequence positions; both 0 ([CLS]) when the answer
  // is not wholly inside this window or the question has none (SQuAD v2 impossible).
  int startPosition = 0, endPosition = 0;
  bool answerInWindow = false;

  bool isContextPosition(int position) const {
    return position >= contextOffset && position < contextOffset + contextPieceCount;
  }
};

struct QaFeatureSet {
  std::vector<QaFeature> features;  // windows of example 0, then of example 1, ...
  // Training examples left out, each as a message naming the record: an answer whose text is
  // not at its answer_start in the context (run_squad.py skips these too).
  std::vector<std::string> skipped;
};

// The windows of one example. Throws bertwb::Error when the options leave no room for the
// context; in training, returns no windows and sets `*skipReason` for an unplaceable answer.
std::vector<QaFeature> featurizeQaExample(const QaExample& example, size_t exampleIndex,
                                          const Tokenizer& tokenizer,
                                          const QaFeatureOptions& options,
                                          std::string* skipReason = nullptr);

QaFeatureSet featurizeQaDataset(const QaDataset& dataset, const Tokenizer& tokenizer,
                                const QaFeatureOptions& options = {});

// Code points [start, end) of UTF-8 `text`, back as UTF-8 (invalid bytes count as one U+FFFD).
std::string codePointSubstring(const std::string& text, int64_t start, int64_t end);

}  // namespace bertwb
