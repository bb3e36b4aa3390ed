#include "tasks/tag_decoding.h"

#include <algorithm>
#include <cmath>

#include "tasks/qa_features.h"
#include "util/error.h"

namespace bertwb {
namespace {

constexpr const char* kOutsideTag = "O";
constexpr const char* kBeginPrefix = "B-";
constexpr const char* kInsidePrefix = "I-";
constexpr size_t kBioPrefixLength = 2;

bool tagHasPrefix(const std::string& label, const char* prefix) {
  return label.rfind(prefix, 0) == 0;
}

// The entity type of a BIO label ("" for O).
std::string tagEntityType(const std::string& label) {
  if (label == kOutsideTag) return "";
  if (tagHasPrefix(label, kBeginPrefix) || tagHasPrefix(label, kInsidePrefix))
    return label.substr(kBioPrefixLength);
  return label;
}

// Softmax of one row of K logits.
std::vector<double> tagSoftmax(const float* row, size_t K) {
  std::vector<double> probabilities(K);
  const double top = *std::max_element(row, row + K);
  double total = 0;
  for (size_t k = 0; k < K; ++k) total += (probabilities[k] = std::exp(double(row[k]) - top));
  for (double& p : probabilities) p /= total;
  return probabilities;
}

size_t tagArgmax(const std::vector<double>& values) {
  return static_cast<size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

// BIO repair on names alone: an I-X not after B-X or I-X becomes B-X; a label without a
// B-/I- prefix (other than "O") is read as I-label. (The same rule as entity_metrics' repair,
// kept here so the decoder stands alone.)
std::vector<std::string> tagRepairBio(const std::vector<std::string>& labels) {
  std::vector<std::string> repaired;
  std::string previousType;  // type of the entity the previous word is in ("" outside)
  for (const std::string& label : labels) {
    const std::string type = tagEntityType(label);
    if (type.empty()) {
      repaired.push_back(kOutsideTag);
    } else if (tagHasPrefix(label, kBeginPrefix) || type != previousType) {
      repaired.push_back(kBeginPrefix + type);
    } else {
      repaired.push_back(kInsidePrefix + type);
    }
    previousType = type;
  }
  return repaired;
}

}  // namespace

TagPrediction decodeTags(const TokenFeature& feature, const std::vector<float>& logits,
                         const std::vector<std::string>& labels,
                         const TagDecodingOptions& options) {
  const size_t K = labels.size();
  const size_t positions = feature.encoding.ids.size();
  if (K == 0 || logits.size() < positions * K) {
    throw Error("tag decoding: " + std::to_string(logits.size()) + " logits for " +
                std::to_string(positions) + " positions × " + std::to_string(K) + " labels");
  }
  // Each word's pieces (positions), in order.
  std::vector<std::vector<size_t>> pieces(static_cast<size_t>(feature.wordCount));
  for (size_t i = 0; i < positions; ++i) {
    const int32_t word = feature.wordIndex[i];
    if (word >= 0 && word < feature.wordCount) pieces[static_cast<size_t>(word)].push_back(i);
  }

  TagPrediction prediction;
  std::vector<std::string> predicted;
  for (const auto& wordPieces : pieces) {
    WordTag tag;
    if (wordPieces.empty()) {  // left out by truncation, or a word the tokenizer dropped
      tag.label = kOutsideTag;
    } else {
      std::vector<double> probabilities;
      if (options.aggregation == TagAggregation::First) {
        probabilities = tagSoftmax(&logits[wordPieces.front() * K], K);
      } else if (options.aggregation == TagAggregation::Average) {
        probabilities.assign(K, 0.0);
        for (size_t i : wordPieces) {
          const auto piece = tagSoftmax(&logits[i * K], K);
          for (size_t k = 0; k < K; ++k) probabilities[k] += piece[k] / double(wordPieces.size());
        }
      } else {
        for (size_t i : wordPieces) {
          auto piece = tagSoftmax(&logits[i * K], K);
          if (probabilities.empty() ||
              piece[tagArgmax(piece)] > probabilities[tagArgmax(probabilities)]) {
            probabilities = std::move(piece);
          }
        }
      }
      const size_t best = tagArgmax(probabilities);
      tag.labelId = static_cast<int64_t>(best);
      tag.label = labels[best];
      tag.score = probabilities[best];
    }
    predicted.push_back(tag.label);
    prediction.words.push_back(tag);
  }

  const std::vector<std::string> repaired = tagRepairBio(predicted);
  for (size_t w = 0; w < prediction.words.size(); ++w) {
    WordTag& tag = prediction.words[w];
    tag.repaired = repaired[w] != predicted[w] && tagHasPrefix(predicted[w], kInsidePrefix);
    tag.label = tag.labelId < 0 ? kOutsideTag : repaired[w];
  }

  // Entities: a B-X and the I-X words after it.
  for (size_t w = 0; w < repaired.size(); ++w) {
    if (!tagHasPrefix(repaired[w], kBeginPrefix)) continue;
    size_t last = w;
    while (last + 1 < repaired.size() &&
           repaired[last + 1] == kInsidePrefix + tagEntityType(repaired[w]))
      ++last;
    TaggedEntity entity;
    entity.type = tagEntityType(repaired[w]);
    entity.firstWord = static_cast<int>(w);
    entity.lastWord = static_cast<int>(last);
    entity.start = feature.encoding.starts[pieces[w].front()];
    entity.end = feature.encoding.ends[pieces[last].back()];
    double total = 0;
    for (size_t i = w; i <= last; ++i) total += prediction.words[i].score;
    entity.score = total / double(last - w + 1);
    entity.text = codePointSubstring(feature.text, entity.start, entity.end);
    prediction.entities.push_back(entity);
    w = last;
  }
  return prediction;
}

}  // namespace bertwb
