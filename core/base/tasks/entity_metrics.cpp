#include "tasks/entity_metrics.h"

#include <set>
#include <tuple>

#include "util/error.h"

namespace bertwb {
namespace {

// A tag split as seqeval splits it: the first character is the chunk marker (B, I, E, S,
// O, ...), everything after the first '-' is the type ("_" when there is none).
struct SplitTag {
  char marker = 'O';
  std::string type;
};

constexpr char kOutside = 'O';
constexpr char kBegin = 'B';
constexpr char kInside = 'I';
constexpr char kEnd = 'E';
constexpr char kSingle = 'S';
// conlleval's sentence-boundary marker: never starts or ends a chunk by a type change.
constexpr char kBoundary = '.';
const char* const kUntyped = "_";

SplitTag splitTag(const std::string& tag, size_t position) {
  if (tag.empty()) {
    throw Error("entity metrics: empty tag at word " + std::to_string(position) +
                "; every word needs a tag such as O, B-PER or I-PER");
  }
  SplitTag split;
  split.marker = tag[0];
  const size_t dash = tag.find('-', 1);
  // seqeval: chunk[1:].split('-', 1)[-1] — the text after the first dash, or the whole rest
  // when there is no dash.
  split.type = dash == std::string::npos ? tag.substr(1) : tag.substr(dash + 1);
  if (split.type.empty()) split.type = kUntyped;
  return split;
}

bool isBoundaryOrOutside(char marker) {
  return marker == kOutside || marker == kBoundary;
}

bool endsChunk(const SplitTag& previous, const SplitTag& current) {
  const char p = previous.marker;
  const char c = current.marker;
  if (p == kEnd || p == kSingle) return true;
  if ((p == kBegin || p == kInside) && (c == kBegin || c == kSingle || c == kOutside)) return true;
  return !isBoundaryOrOutside(p) && previous.type != current.type;
}

bool startsChunk(const SplitTag& previous, const SplitTag& current) {
  const char p = previous.marker;
  const char c = current.marker;
  if (c == kBegin || c == kSingle) return true;
  if ((p == kEnd || p == kSingle || p == kOutside) && (c == kEnd || c == kInside)) return true;
  return !isBoundaryOrOutside(c) && previous.type != current.type;
}

using EntityKey = std::tuple<size_t, int, int>;  // sentence, first word, last word

void collectEntities(const std::vector<std::string>& tags, size_t sentence,
                     std::map<std::string, std::set<EntityKey>>& byType) {
  for (const EntitySpan& span : entitySpans(tags)) {
    byType[span.type].insert({sentence, span.firstWord, span.lastWord});
  }
}

double safeRatio(double numerator, double denominator) {
  return denominator == 0 ? 0.0 : numerator / denominator;
}

EntityScores scoresFromCounts(int64_t correct, int64_t predicted, int64_t support) {
  EntityScores scores;
  scores.correct = correct;
  scores.predicted = predicted;
  scores.support = support;
  scores.precision = safeRatio(correct, predicted);
  scores.recall = safeRatio(correct, support);
  scores.f1 = safeRatio(2 * scores.precision * scores.recall, scores.precision + scores.recall);
  return scores;
}

}  // namespace

std::vector<EntitySpan> entitySpans(const std::vector<std::string>& tags) {
  std::vector<EntitySpan> spans;
  // seqeval starts from "O" with an empty type and appends one "O" so the last chunk closes.
  SplitTag previous{kOutside, ""};
  int chunkStart = 0;
  for (size_t i = 0; i <= tags.size(); ++i) {
    const SplitTag current = i < tags.size() ? splitTag(tags[i], i) : SplitTag{kOutside, kUntyped};
    const int word = static_cast<int>(i);
    if (endsChunk(previous, current)) spans.push_back({previous.type, chunkStart, word - 1});
    if (startsChunk(previous, current)) chunkStart = word;
    previous = current;
  }
  return spans;
}

std::vector<std::string> repairBio(const std::vector<std::string>& tags) {
  std::vector<std::string> repaired = tags;
  for (size_t i = 0; i < tags.size(); ++i) {
    if (tags[i].empty() || tags[i][0] != kInside) continue;
    const SplitTag current = splitTag(tags[i], i);
    bool continues = false;
    if (i > 0 && !tags[i - 1].empty()) {
      const SplitTag previous = splitTag(tags[i - 1], i - 1);
      continues = (previous.marker == kBegin || previous.marker == kInside) &&
                  previous.type == current.type;
    }
    if (!continues) repaired[i][0] = kBegin;
  }
  return repaired;
}

EntityReport entityReport(const std::vector<std::vector<std::string>>& predicted,
                          const std::vector<std::vector<std::string>>& gold) {
  if (predicted.size() != gold.size()) {
    throw Error("entity metrics: " + std::to_string(predicted.size()) +
                " predicted sentences for " + std::to_string(gold.size()) + " gold sentences");
  }
  std::map<std::string, std::set<EntityKey>> goldByType;
  std::map<std::string, std::set<EntityKey>> predictedByType;
  for (size_t s = 0; s < gold.size(); ++s) {
    if (predicted[s].size() != gold[s].size()) {
      throw Error("entity metrics: sentence " + std::to_string(s) + " has " +
                  std::to_string(predicted[s].size()) + " predicted tags for " +
                  std::to_string(gold[s].size()) + " words");
    }
    collectEntities(gold[s], s, goldByType);
    collectEntities(predicted[s], s, predictedByType);
  }

  std::set<std::string> types;
  for (const auto& entry : goldByType) types.insert(entry.first);
  for (const auto& entry : predictedByType) types.insert(entry.first);

  EntityReport report;
  int64_t allCorrect = 0, allPredicted = 0, allGold = 0;
  const std::set<EntityKey> none;
  for (const std::string& type : types) {
    const auto goldFound = goldByType.find(type);
    const auto predictedFound = predictedByType.find(type);
    const std::set<EntityKey>& goldSet = goldFound == goldByType.end() ? none : goldFound->second;
    const std::set<EntityKey>& predictedSet =
        predictedFound == predictedByType.end() ? none : predictedFound->second;
    int64_t correct = 0;
    for (const EntityKey& key : predictedSet) correct += goldSet.count(key);
    const auto predictedCount = static_cast<int64_t>(predictedSet.size());
    const auto goldCount = static_cast<int64_t>(goldSet.size());
    report.perType[type] = scoresFromCounts(correct, predictedCount, goldCount);
    allCorrect += correct;
    allPredicted += predictedCount;
    allGold += goldCount;
  }
  report.overall = scoresFromCounts(allCorrect, allPredicted, allGold);
  return report;
}

}  // namespace bertwb
