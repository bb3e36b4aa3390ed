#pragma once
// Start/end logits of every window of an example → the answer, by the original
// run_squad.py's write_predictions: the n best starts and ends of each window paired, kept
// when start ≤ end, both in the context, the start in its max-context window, the span at
// most max_answer_length pieces; scored start_logit + end_logit (the original's sum; the
// Hugging Face pipeline multiplies probabilities instead: same order within a window).
// SQuAD v2: the null score is the lowest start[0] + end[0] over the windows, and "" is
// predicted when null − best span > the threshold. The answer text is the context's own
// substring at the pieces' code point offsets, not re-joined pieces. Torch-free.
#include <cstdint>
#include <string>
#include <vector>

#include "tasks/qa_features.h"
#include "tasks/task_data.h"

namespace bertwb {

// 20, 30: run_squad.py's n_best_size and max_answer_length defaults;
// 0.0: its null_score_diff_threshold default.
constexpr int kDefaultQaNBestSize = 20;
constexpr int kDefaultQaMaxAnswerLength = 30;
constexpr double kDefaultQaNullScoreDiffThreshold = 0.0;

struct QaDecodingOptions {
  int nBestSize = kDefaultQaNBestSize;
  int maxAnswerLength = kDefaultQaMaxAnswerLength;  // in pieces
  bool versionTwo = false;                          // SQuAD v2: "no answer" is possible
  double nullScoreDiffThreshold = kDefaultQaNullScoreDiffThreshold;
};

// One window's logits, one value per sequence position (padding beyond the window ignored).
struct QaWindowLogits {
  std::vector<float> start, end;
};

struct QaAnswerSpan {
  std::string text;            // context code points [start, end); "" for the null answer
  int64_t start = 0, end = 0;  // code point offsets in the context
  double startLogit = 0, endLogit = 0;
  double score = 0;                        // startLogit + endLogit
  double probability = 0;                  // softmax over the n-best scores (for display)
  int featureIndex = -1;                   // which window (index into the features given)
  int startPosition = 0, endPosition = 0;  // sequence positions in that window
  bool isNull = false;
};

struct QaPrediction {
  std::string text;  // the prediction: "" when the null answer wins (v2)
  bool predictedNull = false;
  bool hasSpan = false;             // some span passed the filters (`best` is meaningful)
  QaAnswerSpan best;                // the best non-null span
  std::vector<QaAnswerSpan> nBest;  // best first, distinct texts; v2 includes the null entry
  double nullScore = 0;             // v2: min over windows of start[0] + end[0]
  double nullScoreDiff = 0;         // v2: nullScore − best.score
};

// `features` are the example's windows (featurizeQaExample's output) and `logits` theirs,
// in the same order.
QaPrediction decodeQaAnswer(const QaExample& example, const std::vector<QaFeature>& features,
                            const std::vector<QaWindowLogits>& logits,
                            const QaDecodingOptions& options = {});

}  // namespace bertwb
