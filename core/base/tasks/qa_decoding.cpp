#include "tasks/qa_decoding.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "text/unicode_text.h"
#include "util/error.h"

namespace bertwb {
namespace {

// The positions of the `count` largest values among the first `length`, largest first
// (run_squad.py's _get_best_indexes, restricted to the window's real positions).
std::vector<int> qaBestIndexes(const std::vector<float>& values, int length, int count) {
  std::vector<int> order(static_cast<size_t>(length));
  std::iota(order.begin(), order.end(), 0);
  const int kept = std::min(count, length);
  std::partial_sort(order.begin(), order.begin() + kept, order.end(), [&](int a, int b) {
    return values[static_cast<size_t>(a)] > values[static_cast<size_t>(b)];
  });
  order.resize(static_cast<size_t>(kept));
  return order;
}

}  // namespace

QaPrediction decodeQaAnswer(const QaExample& example, const std::vector<QaFeature>& features,
                            const std::vector<QaWindowLogits>& logits,
                            const QaDecodingOptions& options) {
  if (features.size() != logits.size()) {
    throw Error("QA decoding: " + std::to_string(features.size()) + " windows but " +
                std::to_string(logits.size()) + " sets of logits");
  }
  std::vector<QaAnswerSpan> candidates;
  QaAnswerSpan null;
  null.isNull = true;
  null.score = std::numeric_limits<double>::infinity();
  for (size_t f = 0; f < features.size(); ++f) {
    const QaFeature& feature = features[f];
    const QaWindowLogits& window = logits[f];
    const int length = static_cast<int>(feature.ids.size());
    if (static_cast<int>(window.start.size()) < length ||
        static_cast<int>(window.end.size()) < length) {
      throw Error("QA decoding: window " + std::to_string(f) + " has " + std::to_string(length) +
                  " positions but fewer logits");
    }
    if (options.versionTwo) {
      // The [CLS] position's score is the window's "no answer" score; the example's is the
      // lowest over its windows (the window most sure that there is an answer).
      const double windowNull = double(window.start[0]) + window.end[0];
      if (windowNull < null.score) {
        null.score = windowNull;
        null.startLogit = window.start[0];
        null.endLogit = window.end[0];
        null.featureIndex = static_cast<int>(f);
      }
    }
    for (int s : qaBestIndexes(window.start, length, options.nBestSize)) {
      for (int e : qaBestIndexes(window.end, length, options.nBestSize)) {
        if (!feature.isContextPosition(s) || !feature.isContextPosition(e)) continue;
        if (!feature.maxContext[static_cast<size_t>(s)]) continue;
        if (e < s || e - s + 1 > options.maxAnswerLength) continue;
        QaAnswerSpan span;
        span.startLogit = window.start[static_cast<size_t>(s)];
        span.endLogit = window.end[static_cast<size_t>(e)];
        span.score = span.startLogit + span.endLogit;
        span.featureIndex = static_cast<int>(f);
        span.startPosition = s;
        span.endPosition = e;
        span.start = feature.charStarts[static_cast<size_t>(s)];
        span.end = feature.charEnds[static_cast<size_t>(e)];
        candidates.push_back(span);
      }
    }
  }
  if (options.versionTwo && !features.empty()) candidates.push_back(null);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const QaAnswerSpan& a, const QaAnswerSpan& b) { return a.score > b.score; });

  // The n best with distinct texts (as the original: the same words found in two windows
  // count once, at their better score).
  QaPrediction prediction;
  std::set<std::string> seen;
  const std::vector<char32_t> context = decodeUtf8(example.context).codepoints;  // decoded once
  auto contextText = [&](int64_t start, int64_t end) {
    std::string text;
    for (int64_t i = std::max<int64_t>(start, 0); i < std::min<int64_t>(end, context.size()); ++i) {
      appendUtf8(text, context[static_cast<size_t>(i)]);
    }
    return text;
  };
  for (QaAnswerSpan& span : candidates) {
    if (static_cast<int>(prediction.nBest.size()) >= options.nBestSize) break;
    if (!span.isNull) span.text = contextText(span.start, span.end);
    if (!seen.insert(span.text).second) continue;
    prediction.nBest.push_back(span);
  }
  if (options.versionTwo && !features.empty() && !seen.count("")) prediction.nBest.push_back(null);

  // Probabilities for display: softmax over the n-best scores (max subtracted for stability).
  if (!prediction.nBest.empty()) {
    double top = prediction.nBest.front().score, total = 0;
    for (const auto& span : prediction.nBest) top = std::max(top, span.score);
    for (auto& span : prediction.nBest) total += (span.probability = std::exp(span.score - top));
    for (auto& span : prediction.nBest) span.probability /= total;
  }
  for (const auto& span : prediction.nBest) {
    if (span.isNull) continue;
    prediction.best = span;
    prediction.hasSpan = true;
    break;
  }

  prediction.text = prediction.hasSpan ? prediction.best.text : "";
  prediction.predictedNull = !prediction.hasSpan;
  if (options.versionTwo && !features.empty()) {
    prediction.nullScore = null.score;
    if (prediction.hasSpan) {
      prediction.nullScoreDiff = null.score - prediction.best.score;
      prediction.predictedNull = prediction.nullScoreDiff > options.nullScoreDiffThreshold;
      if (prediction.predictedNull) prediction.text.clear();
    }
  }
  return prediction;
}

}  // namespace bertwb
