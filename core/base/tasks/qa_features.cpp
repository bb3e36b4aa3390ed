#include "tasks/qa_features.h"

#include <algorithm>

#include "text/unicode_text.h"
#include "util/error.h"

namespace bertwb {
namespace {

// [CLS] question [SEP] window [SEP]
constexpr int kPairSpecials = 3;
// run_squad.py's _check_is_max_context breaks ties towards longer windows by this weight.
constexpr double kWindowLengthTieBreak = 0.01;

struct DocWindow {
  int start = 0;   // first context piece
  int length = 0;  // context pieces
};

// run_squad.py's doc_spans: windows of `maxPieces`, each `stride` after the previous, the
// last one ending at the context's end.
std::vector<DocWindow> qaSlideWindows(int contextPieces, int maxPieces, int stride) {
  std::vector<DocWindow> windows;
  int start = 0;
  while (start < contextPieces) {
    const int length = std::min(contextPieces - start, maxPieces);
    windows.push_back({start, length});
    if (start + length == contextPieces) break;
    start += std::min(length, stride);
  }
  // An empty context still gets one window, so the question gets an answer (empty).
  if (windows.empty()) windows.push_back({0, 0});
  return windows;
}

// run_squad.py's _check_is_max_context: does window `current` give piece `position` the
// most context, min(left, right) + 0.01 × length, of all windows holding it (first wins ties)?
bool qaIsMaxContext(const std::vector<DocWindow>& windows, size_t current, int position) {
  double bestScore = -1.0;
  size_t bestWindow = 0;
  for (size_t w = 0; w < windows.size(); ++w) {
    const DocWindow& window = windows[w];
    const int end = window.start + window.length - 1;
    if (position < window.start || position > end) continue;
    const int left = position - window.start, right = end - position;
    const double score = std::min(left, right) + kWindowLengthTieBreak * window.length;
    if (score > bestScore) {
      bestScore = score;
      bestWindow = w;
    }
  }
  return bestWindow == current;
}

}  // namespace

std::string codePointSubstring(const std::string& text, int64_t start, int64_t end) {
  const auto codepoints = decodeUtf8(text).codepoints;
  const int64_t size = static_cast<int64_t>(codepoints.size());
  start = std::clamp<int64_t>(start, 0, size);
  end = std::clamp<int64_t>(end, start, size);
  std::string out;
  for (int64_t i = start; i < end; ++i) appendUtf8(out, codepoints[static_cast<size_t>(i)]);
  return out;
}

std::vector<QaFeature> featurizeQaExample(const QaExample& example, size_t exampleIndex,
                                          const Tokenizer& tokenizer,
                                          const QaFeatureOptions& options,
                                          std::string* skipReason) {
  const SpecialTokenIds special = tokenizer.specialTokenIds();
  if (special.cls < 0 || special.sep < 0)
    throw Error("the tokenizer's vocabulary lacks [CLS] or [SEP]");
  if (options.docStride < 1)
    throw Error("doc_stride must be at least 1 (got " + std::to_string(options.docStride) + ")");
  std::vector<Piece> question = tokenizer.tokenize(example.question);
  if (static_cast<int>(question.size()) > options.maxQueryLength) {
    question.resize(static_cast<size_t>(std::max(0, options.maxQueryLength)));
  }
  const std::vector<Piece> context = tokenizer.tokenize(example.context);
  const int maxContextPieces =
      options.maxSeqLength - static_cast<int>(question.size()) - kPairSpecials;
  if (maxContextPieces < 1) {
    throw Error(example.source + ": max_seq_length " + std::to_string(options.maxSeqLength) +
                " leaves no room for " + "the context after a " + std::to_string(question.size()) +
                "-piece question (lower max_query_length)");
  }

  // Training target: the answer's first and last context pieces, found by code point span.
  int answerFirst = -1, answerLast = -1;
  if (options.training && !example.impossible && !example.answers.empty()) {
    const QaAnswer& answer = example.answers.front();
    const int64_t answerLength = static_cast<int64_t>(decodeUtf8(answer.text).codepoints.size());
    const int64_t answerEnd = answer.start + answerLength;
    if (answerLength == 0 ||
        codePointSubstring(example.context, answer.start, answerEnd) != answer.text) {
      if (skipReason) {
        *skipReason = example.source + ": answer \"" + answer.text + "\" is not at answer_start " +
                      std::to_string(answer.start) + " of the context (found \"" +
                      codePointSubstring(example.context, answer.start, answerEnd) +
                      "\"); example skipped";
      }
      return {};
    }
    for (size_t i = 0; i < context.size(); ++i) {
      const bool overlaps = context[i].end > answer.start && context[i].start < answerEnd;
      if (!overlaps) continue;
      if (answerFirst < 0) answerFirst = static_cast<int>(i);
      answerLast = static_cast<int>(i);
    }
  }

  const std::vector<DocWindow> windows =
      qaSlideWindows(static_cast<int>(context.size()), maxContextPieces, options.docStride);
  std::vector<QaFeature> features;
  for (size_t w = 0; w < windows.size(); ++w) {
    QaFeature f;
    f.exampleIndex = exampleIndex;
    f.windowIndex = static_cast<int>(w);
    auto add = [&](int32_t id, const std::string& piece, int32_t segment, int64_t start,
                   int64_t end, bool maxCtx) {
      f.ids.push_back(id);
      f.pieces.push_back(piece);
      f.segmentIds.push_back(segment);
      f.attentionMask.push_back(1);
      f.charStarts.push_back(start);
      f.charEnds.push_back(end);
      f.maxContext.push_back(maxCtx ? 1 : 0);
    };
    const std::string cls = tokenizer.idToToken(special.cls),
                      sep = tokenizer.idToToken(special.sep);
    add(special.cls, cls, 0, -1, -1, false);
    for (const Piece& p : question) add(p.id, p.text, 0, -1, -1, false);
    add(special.sep, sep, 0, -1, -1, false);
    f.contextOffset = static_cast<int>(f.ids.size());
    f.contextPieceStart = windows[w].start;
    f.contextPieceCount = windows[w].length;
    for (int i = windows[w].start; i < windows[w].start + windows[w].length; ++i) {
      const Piece& p = context[static_cast<size_t>(i)];
      add(p.id, p.text, 1, p.start, p.end, qaIsMaxContext(windows, w, i));
    }
    add(special.sep, sep, 1, -1, -1, false);

    const int windowEnd = windows[w].start + windows[w].length - 1;
    if (answerFirst >= 0 && answerFirst >= windows[w].start && answerLast <= windowEnd) {
      f.answerInWindow = true;
      f.startPosition = answerFirst - windows[w].start + f.contextOffset;
      f.endPosition = answerLast - windows[w].start + f.contextOffset;
    }
    features.push_back(std::move(f));
  }
  return features;
}

QaFeatureSet featurizeQaDataset(const QaDataset& dataset, const Tokenizer& tokenizer,
                                const QaFeatureOptions& options) {
  QaFeatureSet set;
  for (size_t i = 0; i < dataset.examples.size(); ++i) {
    std::string skipReason;
    auto windows = featurizeQaExample(dataset.examples[i], i, tokenizer, options, &skipReason);
    if (!skipReason.empty()) set.skipped.push_back(std::move(skipReason));
    for (auto& f : windows) set.features.push_back(std::move(f));
  }
  return set;
}

}  // namespace bertwb
