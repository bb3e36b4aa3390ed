#pragma once
// Entity-level scores of token tagging, as seqeval's default mode (conlleval-compatible)
// computes them: chunks are read from prefix tags (B-, I-, and E-, S- of IOBES), where an
// I-X that does not continue an X chunk starts a new one and a type change ends a chunk; an
// entity counts as found only when type, first and last word all match.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bertwb {

struct EntitySpan {
  std::string type;  // "PER" of "B-PER"; "_" for a bare "B" without a type (as seqeval)
  int firstWord = 0;
  int lastWord = 0;  // inclusive
  bool operator==(const EntitySpan& other) const {
    return type == other.type && firstWord == other.firstWord && lastWord == other.lastWord;
  }
};

// The chunks of one sentence's tags, in order. Throws bertwb::Error on an empty tag.
std::vector<EntitySpan> entitySpans(const std::vector<std::string>& tags);

// Turns each I-X that does not follow B-X or I-X into B-X, so a display shows the entity
// the scorer counts (e.g. "O I-PER I-PER" → "O B-PER I-PER"). Other tags are unchanged.
std::vector<std::string> repairBio(const std::vector<std::string>& tags);

struct EntityScores {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  int64_t support = 0;    // gold entities
  int64_t predicted = 0;  // predicted entities
  int64_t correct = 0;    // predicted entities that match a gold one exactly
};

struct EntityReport {
  EntityScores overall;                         // micro average over all entities
  std::map<std::string, EntityScores> perType;  // every type seen in gold or predictions
};

// Scores predicted tag sequences against gold ones, sentence by sentence (an entity never
// crosses a sentence end). Throws bertwb::Error when sentence counts or lengths differ.
EntityReport entityReport(const std::vector<std::vector<std::string>>& predicted,
                          const std::vector<std::vector<std::string>>& gold);

}  // namespace bertwb
