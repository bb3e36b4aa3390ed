#include "text/tokenizer_identity.h"

#include <cctype>
#include <cstdio>
#include <string_view>

namespace bertwb {
namespace {

// FNV-1a, 64 bits: a cheap, stable hash (not a secure one: it only has to notice mistakes).
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

uint64_t fnv1a(uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= kFnvPrime;
  }
  return hash;
}

// Vocabulary words written in capitals and tokenized tell an uncased tokenizer (which finds
// them again) from a cased one (which does not). 32 words are plenty and take microseconds.
constexpr int kCaseProbeWords = 32;

// "the", "w12": plain ASCII words with a lower-case letter (no "##" pieces, no specials).
bool isCaseProbeWord(const std::string& word) {
  if (word.size() < 2) return false;
  bool lower = false;
  for (unsigned char c : word) {
    if (c >= 0x80 || !std::isalnum(c)) return false;
    lower = lower || std::islower(c);
  }
  return lower;
}

}  // namespace

TokenizerIdentity tokenizerIdentity(const Tokenizer& tokenizer) {
  TokenizerIdentity identity;
  identity.kind = tokenizer.kind();
  identity.vocabSize = tokenizer.vocabSize();
  uint64_t hash = fnv1a(kFnvOffset, identity.kind);
  hash = fnv1a(hash, std::string_view("\0", 1));
  const std::string wordStart = "\xe2\x96\x81";  // SentencePiece's ▁
  std::string probe;
  int probeWords = 0;
  for (int32_t id = 0; id < identity.vocabSize; ++id) {
    std::string token = tokenizer.idToToken(id);
    hash = fnv1a(hash, token);
    hash = fnv1a(hash, "\n");
    if (probeWords == kCaseProbeWords) continue;
    if (token.compare(0, wordStart.size(), wordStart) == 0) token.erase(0, wordStart.size());
    if (!isCaseProbeWord(token)) continue;
    for (char& c : token) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    probe += token + " ";
    ++probeWords;
  }
  for (const Piece& piece : tokenizer.tokenize(probe))
    hash = fnv1a(hash, std::to_string(piece.id) + ",");
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  identity.fingerprint = hex;
  return identity;
}

}  // namespace bertwb
