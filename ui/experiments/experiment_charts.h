#pragma once
// The Experiments stage's two figures, drawn live as cells finish (the report's SVG figures
// are the same pictures for files): the pre-training loss of every pre-trained variant (one
// thin line per seed, in the variant's colour, the running cell's line growing as it trains),
// and the dev score per task as bars per variant with ± one standard deviation over seeds and
// the paper's number as a diamond where it has one.
#include <QHash>
#include <QString>
#include <QWidget>
#include <utility>
#include <vector>

#include "experiments/experiment_recipe.h"
#include "experiments/experiment_results.h"

class QCustomPlot;
class QCPGraph;

namespace bertwb::ui {

class ExperimentLossChart : public QWidget {
  Q_OBJECT
 public:
  explicit ExperimentLossChart(QWidget* parent = nullptr);
  // A new experiment: no lines. `recipe` names the variants and their colours.
  void reset(const ExperimentRecipe& recipe);
  // The whole curve of a pre-training cell (finished, or read back from its result).
  void setCurve(const QString& cellKey, size_t variant,
                const std::vector<std::pair<int64_t, double>>& curve);
  // One logged step of the cell now training.
  void addPoint(const QString& cellKey, size_t variant, qint64 step, double loss);
  int curveCount() const { return static_cast<int>(graphs_.size()); }
  QCustomPlot* plot() const { return plot_; }

 private:
  QCPGraph* graphOf(const QString& cellKey, size_t variant);
  void replotSoon();

  QCustomPlot* plot_;
  ExperimentRecipe recipe_;
  QHash<QString, QCPGraph*> graphs_;
  QHash<size_t, bool> inLegend_;
  bool replotPending_ = false;
};

class ExperimentScoreChart : public QWidget {
  Q_OBJECT
 public:
  explicit ExperimentScoreChart(QWidget* parent = nullptr);
  void setResults(const ExperimentRecipe& recipe, const ExperimentResults& results);
  int barCount() const { return bars_; }
  QCustomPlot* plot() const { return plot_; }

 private:
  QCustomPlot* plot_;
  int bars_ = 0;
};

}  // namespace bertwb::ui
