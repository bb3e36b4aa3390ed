#include "tasks/classification_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "util/error.h"

namespace bertwb {
namespace {

// Division with sklearn's zero_division default: a ratio with nothing to count is 0.
double safeRatio(double numerator, double denominator) {
  return denominator == 0 ? 0.0 : numerator / denominator;
}

template <typename T>
void requireSameLength(const std::vector<T>& predicted, const std::vector<T>& gold) {
  if (predicted.size() != gold.size()) {
    throw Error("metrics: " + std::to_string(predicted.size()) + " predictions for " +
                std::to_string(gold.size()) + " gold labels; every example needs one prediction");
  }
}

void requireClassId(int id, int classes, size_t example, const char* side) {
  if (id < 0 || id >= classes) {
    throw Error("metrics: " + std::string(side) + " class id " + std::to_string(id) +
                " of example " + std::to_string(example) + " is outside 0.." +
                std::to_string(classes - 1));
  }
}

ClassScores scoresFromCounts(int64_t truePositives, int64_t predicted, int64_t support) {
  ClassScores scores;
  scores.support = support;
  scores.predicted = predicted;
  scores.precision = safeRatio(truePositives, predicted);
  scores.recall = safeRatio(truePositives, support);
  // 2PR / (P + R) written over counts: 2·TP / (predicted + support), 0 when both are 0.
  scores.f1 = safeRatio(2.0 * truePositives, predicted + support);
  return scores;
}

std::vector<ClassScores> perClassScores(const std::vector<std::vector<int64_t>>& confusion) {
  const size_t classes = confusion.size();
  std::vector<ClassScores> scores(classes);
  for (size_t k = 0; k < classes; ++k) {
    int64_t support = 0;
    int64_t predicted = 0;
    for (size_t other = 0; other < classes; ++other) {
      support += confusion[k][other];
      predicted += confusion[other][k];
    }
    scores[k] = scoresFromCounts(confusion[k][k], predicted, support);
  }
  return scores;
}

double macroF1FromScores(const std::vector<ClassScores>& scores) {
  // sklearn averages over unique_labels(y_true, y_pred): a class that never occurs on
  // either side is not part of the average.
  double sum = 0;
  int seen = 0;
  for (const ClassScores& s : scores) {
    if (s.support == 0 && s.predicted == 0) continue;
    sum += s.f1;
    ++seen;
  }
  return safeRatio(sum, seen);
}

double matthewsFromConfusion(const std::vector<std::vector<int64_t>>& confusion) {
  // Gorodkin's multi-class form, as sklearn: with t_k gold counts, p_k predicted counts,
  // c correct and s samples, MCC = (c·s − Σ t_k p_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²)).
  const size_t classes = confusion.size();
  double correct = 0, samples = 0, goldDotPredicted = 0, predictedSquares = 0, goldSquares = 0;
  for (size_t k = 0; k < classes; ++k) {
    double goldCount = 0, predictedCount = 0;
    for (size_t other = 0; other < classes; ++other) {
      goldCount += static_cast<double>(confusion[k][other]);
      predictedCount += static_cast<double>(confusion[other][k]);
    }
    correct += static_cast<double>(confusion[k][k]);
    samples += goldCount;
    goldDotPredicted += goldCount * predictedCount;
    predictedSquares += predictedCount * predictedCount;
    goldSquares += goldCount * goldCount;
  }
  const double covariance = correct * samples - goldDotPredicted;
  const double predictedVariance = samples * samples - predictedSquares;
  const double goldVariance = samples * samples - goldSquares;
  // One side constant (a single class everywhere): undefined, sklearn returns 0.
  if (predictedVariance * goldVariance == 0) return 0.0;
  return covariance / std::sqrt(predictedVariance * goldVariance);
}

double mean(const std::vector<double>& values) {
  return safeRatio(std::accumulate(values.begin(), values.end(), 0.0),
                   static_cast<double>(values.size()));
}

}  // namespace

std::vector<std::vector<int64_t>> confusionMatrix(const std::vector<int>& predicted,
                                                  const std::vector<int>& gold, int classes) {
  requireSameLength(predicted, gold);
  std::vector<std::vector<int64_t>> confusion(classes, std::vector<int64_t>(classes, 0));
  for (size_t i = 0; i < gold.size(); ++i) {
    requireClassId(gold[i], classes, i, "gold");
    requireClassId(predicted[i], classes, i, "predicted");
    ++confusion[gold[i]][predicted[i]];
  }
  return confusion;
}

double accuracy(const std::vector<int>& predicted, const std::vector<int>& gold) {
  requireSameLength(predicted, gold);
  int64_t correct = 0;
  for (size_t i = 0; i < gold.size(); ++i) correct += predicted[i] == gold[i] ? 1 : 0;
  return safeRatio(correct, gold.size());
}

double binaryF1(const std::vector<int>& predicted, const std::vector<int>& gold) {
  requireSameLength(predicted, gold);
  int64_t truePositives = 0, predictedPositives = 0, goldPositives = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    const bool predictedPositive = predicted[i] == kPositiveClass;
    const bool goldPositive = gold[i] == kPositiveClass;
    truePositives += predictedPositive && goldPositive ? 1 : 0;
    predictedPositives += predictedPositive ? 1 : 0;
    goldPositives += goldPositive ? 1 : 0;
  }
  return scoresFromCounts(truePositives, predictedPositives, goldPositives).f1;
}

double macroF1(const std::vector<int>& predicted, const std::vector<int>& gold, int classes) {
  return macroF1FromScores(perClassScores(confusionMatrix(predicted, gold, classes)));
}

double matthewsCorrelation(const std::vector<int>& predicted, const std::vector<int>& gold,
                           int classes) {
  return matthewsFromConfusion(confusionMatrix(predicted, gold, classes));
}

ClassificationReport classificationReport(const std::vector<int>& predicted,
                                          const std::vector<int>& gold, int classes) {
  ClassificationReport report;
  report.confusion = confusionMatrix(predicted, gold, classes);
  report.examples = static_cast<int64_t>(gold.size());
  report.accuracy = accuracy(predicted, gold);
  report.binaryF1 = binaryF1(predicted, gold);
  report.perClass = perClassScores(report.confusion);
  report.macroF1 = macroF1FromScores(report.perClass);
  report.matthews = matthewsFromConfusion(report.confusion);
  return report;
}

std::vector<double> averageRanks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  size_t runStart = 0;
  while (runStart < order.size()) {
    size_t runEnd = runStart + 1;
    while (runEnd < order.size() && values[order[runEnd]] == values[order[runStart]]) ++runEnd;
    // Ranks are 1-based; a run of ties at sorted positions [runStart, runEnd) shares the
    // mean of the ranks runStart+1 .. runEnd.
    const double sharedRank = (static_cast<double>(runStart + 1) + static_cast<double>(runEnd)) / 2;
    for (size_t i = runStart; i < runEnd; ++i) ranks[order[i]] = sharedRank;
    runStart = runEnd;
  }
  return ranks;
}

double pearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y) {
  requireSameLength(x, y);
  const double meanX = mean(x);
  const double meanY = mean(y);
  double covariance = 0, varianceX = 0, varianceY = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - meanX;
    const double dy = y[i] - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  if (varianceX == 0 || varianceY == 0) return 0.0;
  // Rounding can push |r| a hair past 1; scipy clips it too.
  return std::clamp(covariance / std::sqrt(varianceX * varianceY), -1.0, 1.0);
}

double spearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y) {
  requireSameLength(x, y);
  return pearsonCorrelation(averageRanks(x), averageRanks(y));
}

RegressionReport regressionReport(const std::vector<double>& predicted,
                                  const std::vector<double>& gold) {
  requireSameLength(predicted, gold);
  RegressionReport report;
  report.examples = static_cast<int64_t>(gold.size());
  report.pearson = pearsonCorrelation(predicted, gold);
  report.spearman = spearmanCorrelation(predicted, gold);
  double squaredErrors = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    squaredErrors += (predicted[i] - gold[i]) * (predicted[i] - gold[i]);
  }
  report.meanSquaredError = safeRatio(squaredErrors, static_cast<double>(gold.size()));
  return report;
}

double majorityClassAccuracy(const ClassificationReport& report) {
  int64_t total = 0, largest = 0;
  for (const std::vector<int64_t>& row : report.confusion) {  // a row: one gold class
    int64_t gold = 0;
    for (const int64_t count : row) gold += count;
    total += gold;
    largest = std::max(largest, gold);
  }
  return total > 0 ? static_cast<double>(largest) / static_cast<double>(total) : 0.0;
}

}  // namespace bertwb
