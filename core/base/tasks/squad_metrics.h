#pragma once
// The official SQuAD evaluation (evaluate-v2.0.py, which agrees with v1.1 on answerable
// questions): answers are compared after normalize_answer (lower-case, ASCII punctuation
// removed, the articles a/an/the removed as whole words, whitespace collapsed); a question
// scores the best exact match and the best token-overlap F1 over its gold answers; an
// unanswerable question's only gold answer is "", so predicting "" scores 1 on both.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tasks/task_data.h"

namespace bertwb {

// normalize_answer: Python's str.lower(), then string.punctuation removed, then \b(a|an|the)\b
// replaced by a space, then ' '.join(text.split()). Non-ASCII punctuation stays (as Python).
std::string normalizeAnswer(const std::string& text);
// normalize_answer(text).split()
std::vector<std::string> answerTokens(const std::string& text);

// 1 when the normalised answers are equal, else 0.
double exactMatch(const std::string& gold, const std::string& predicted);
// F1 of the token multisets; when either side normalises to nothing, 1 if both do, else 0.
double tokenF1(const std::string& gold, const std::string& predicted);

struct SquadScores {
  // In percent, as the script prints them.
  double exact = 0;
  double f1 = 0;
  int64_t total = 0;
  double hasAnsExact = 0;
  double hasAnsF1 = 0;
  int64_t hasAnsTotal = 0;
  double noAnsExact = 0;
  double noAnsF1 = 0;
  int64_t noAnsTotal = 0;
  int64_t missing = 0;  // gold questions without a prediction: left out, as the v2 script does
};

// One (gold example, predicted text) pair per question.
SquadScores squadScores(const std::vector<std::pair<QaExample, std::string>>& scored);
// Predictions by question id, as the script's predictions file holds them.
SquadScores squadScores(const std::vector<QaExample>& gold,
                        const std::map<std::string, std::string>& predictions);

}  // namespace bertwb
