#pragma once
// A tokenizer's identity: enough to notice data or a model made with another one.
#include <cstdint>
#include <string>

#include "text/tokenizer.h"

namespace bertwb {

// Enough of a tokenizer to notice a corpus prepared (or a model trained) with another one: its
// kind, its size and a hash of its vocabulary and of how it treats case (an uncased and a cased
// WordPiece tokenizer share a vocab.txt but give different ids).
struct TokenizerIdentity {
  std::string kind;
  int32_t vocabSize = 0;
  std::string fingerprint;  // 16 hex digits
  bool operator==(const TokenizerIdentity& other) const {
    return kind == other.kind && vocabSize == other.vocabSize && fingerprint == other.fingerprint;
  }
};

TokenizerIdentity tokenizerIdentity(const Tokenizer& tokenizer);

}  // namespace bertwb
