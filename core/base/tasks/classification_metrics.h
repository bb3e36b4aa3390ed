#pragma once
// Sentence-level metrics of the GLUE tasks, as the reference implementations compute them:
// scikit-learn's accuracy_score, f1_score (binary and macro), matthews_corrcoef and
// confusion_matrix; scipy's pearsonr and spearmanr. Where those return NaN or warn about a
// division by zero, these return 0 (sklearn's zero_division default), so a report always
// serialises to plain JSON numbers.
#include <cstdint>
#include <vector>

namespace bertwb {

// The class f1_score(average="binary") scores by default (pos_label=1).
constexpr int kPositiveClass = 1;

struct ClassScores {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  int64_t support = 0;    // gold examples of this class
  int64_t predicted = 0;  // examples predicted as this class
};

struct ClassificationReport {
  int64_t examples = 0;
  double accuracy = 0;
  double binaryF1 = 0;  // F1 of class kPositiveClass; meaningful when there are two classes
  double macroF1 = 0;   // unweighted mean over the classes seen in gold or predictions
  double matthews = 0;  // Matthews correlation, multi-class form (Gorodkin's R_K)
  // confusion[gold][predicted] counts, K × K (rows gold, columns predicted, as sklearn).
  std::vector<std::vector<int64_t>> confusion;
  std::vector<ClassScores> perClass;  // index = class id
};

// The accuracy of always answering the most frequent gold class (the majority-class baseline a
// trained classifier must beat); 0 for an empty report.
double majorityClassAccuracy(const ClassificationReport& report);

// Throws bertwb::Error when the lists differ in length or an id is outside [0, classes).
ClassificationReport classificationReport(const std::vector<int>& predicted,
                                          const std::vector<int>& gold, int classes);

std::vector<std::vector<int64_t>> confusionMatrix(const std::vector<int>& predicted,
                                                  const std::vector<int>& gold, int classes);
double accuracy(const std::vector<int>& predicted, const std::vector<int>& gold);
double binaryF1(const std::vector<int>& predicted, const std::vector<int>& gold);
double macroF1(const std::vector<int>& predicted, const std::vector<int>& gold, int classes);
double matthewsCorrelation(const std::vector<int>& predicted, const std::vector<int>& gold,
                           int classes);

// ---- regression (STS-B) ----
struct RegressionReport {
  int64_t examples = 0;
  double pearson = 0;
  double spearman = 0;
  double meanSquaredError = 0;
};

RegressionReport regressionReport(const std::vector<double>& predicted,
                                  const std::vector<double>& gold);
// 0 when either side is constant (the correlation is undefined there; scipy gives NaN).
double pearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y);
// Pearson of the ranks; tied values share the mean of their ranks (scipy's rankdata "average").
double spearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y);
std::vector<double> averageRanks(const std::vector<double>& values);

}  // namespace bertwb
