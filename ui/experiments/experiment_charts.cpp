#include "experiments/experiment_charts.h"

#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "experiments/experiment_plots.h"
#include "widgets/display_units.h"
#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {
namespace {

constexpr int kReplotDelayMs = 100;  // many logged steps arrive at once: draw them together
constexpr double kGroupWidth = 0.8;  // of one task's slot on the score axis

QColor variantColour(size_t variant) {
  return QColor(QString::fromLatin1(experimentVariantColour(variant)));
}

QCustomPlot* newExperimentPlot(QWidget* owner) {
  auto* plot = new QCustomPlot(owner);
  plot->setNoAntialiasingOnDrag(true);
  plot->legend->setVisible(true);
  plot->legend->setBrush(QColor(255, 255, 255, 220));
  plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  auto* layout = new QVBoxLayout(owner);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot);
  return plot;
}

}  // namespace

ExperimentLossChart::ExperimentLossChart(QWidget* parent) : QWidget(parent) {
  plot_ = newExperimentPlot(this);
  plot_->xAxis->setLabel(tr("pre-training step"));
  plot_->yAxis->setLabel(tr("masked-LM / next-token loss"));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
}

void ExperimentLossChart::reset(const ExperimentRecipe& recipe) {
  recipe_ = recipe;
  plot_->clearGraphs();
  graphs_.clear();
  inLegend_.clear();
  plot_->replot();
}

QCPGraph* ExperimentLossChart::graphOf(const QString& cellKey, size_t variant) {
  if (QCPGraph* graph = graphs_.value(cellKey)) return graph;
  QCPGraph* graph = plot_->addGraph();
  graph->setPen(QPen(variantColour(variant), 1.4));
  const QString name = variant < recipe_.variants.size() ? fromStd(recipe_.variants[variant].name)
                                                         : QStringLiteral("?");
  graph->setName(name);
  // One legend entry per variant: its seeds share the colour.
  if (inLegend_.value(variant)) graph->removeFromLegend();
  inLegend_[variant] = true;
  graphs_[cellKey] = graph;
  return graph;
}

void ExperimentLossChart::setCurve(const QString& cellKey, size_t variant,
                                   const std::vector<std::pair<int64_t, double>>& curve) {
  QCPGraph* graph = graphOf(cellKey, variant);
  QVector<double> steps, losses;
  for (const auto& [step, loss] : curve) {
    steps << static_cast<double>(step);
    losses << loss;
  }
  graph->setData(steps, losses, /*alreadySorted=*/true);
  replotSoon();
}

void ExperimentLossChart::addPoint(const QString& cellKey, size_t variant, qint64 step,
                                   double loss) {
  graphOf(cellKey, variant)->addData(static_cast<double>(step), loss);
  replotSoon();
}

void ExperimentLossChart::replotSoon() {
  if (replotPending_) return;
  replotPending_ = true;
  QTimer::singleShot(kReplotDelayMs, this, [this] {
    replotPending_ = false;
    plot_->rescaleAxes();
    plot_->yAxis->setRangeLower(0);
    plot_->replot();
  });
}

ExperimentScoreChart::ExperimentScoreChart(QWidget* parent) : QWidget(parent) {
  plot_ = newExperimentPlot(this);
  plot_->yAxis->setLabel(tr("dev score (points)"));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
}

void ExperimentScoreChart::setResults(const ExperimentRecipe& recipe,
                                      const ExperimentResults& results) {
  plot_->clearPlottables();
  bars_ = 0;
  const size_t variants = std::max<size_t>(1, recipe.variants.size());
  const double width = kGroupWidth / static_cast<double>(variants);
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (size_t t = 0; t < recipe.tasks.size(); ++t)
    ticker->addTick(static_cast<double>(t + 1), fromStd(recipe.tasks[t].task));
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setRange(0.4, static_cast<double>(recipe.tasks.size()) + 0.6);

  QCPGraph* paper = nullptr;
  double top = 0;
  for (size_t v = 0; v < recipe.variants.size(); ++v) {
    auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars->setName(fromStd(recipe.variants[v].name));
    bars->setWidth(width * 0.9);
    bars->setPen(Qt::NoPen);
    bars->setBrush(variantColour(v));
    auto* errors = new QCPErrorBars(plot_->xAxis, plot_->yAxis);
    errors->removeFromLegend();
    errors->setDataPlottable(bars);
    QVector<double> errorValues;
    for (size_t t = 0; t < recipe.tasks.size(); ++t) {
      const double x = static_cast<double>(t + 1) - kGroupWidth / 2 + width * (v + 0.5);
      for (const ResultSummary& row : results.table) {
        if (row.variant != recipe.variants[v].name || row.task != recipe.tasks[t].task) continue;
        if (row.seeds > 0) {
          bars->addData(x, row.mean);
          errorValues << row.sd;
          top = std::max(top, row.mean + row.sd);
          ++bars_;
        }
        if (row.paper) {
          if (!paper) {
            paper = plot_->addGraph();
            paper->setName(tr("paper"));
            paper->setLineStyle(QCPGraph::lsNone);
            paper->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssDiamond, Qt::black, QColor(255, 255, 255), 8));
          }
          paper->addData(x, *row.paper);
          top = std::max(top, *row.paper);
        }
      }
    }
    errors->setData(errorValues);
  }
  plot_->yAxis->setRange(0, std::max(10.0, top * 1.15));
  plot_->replot();
}

}  // namespace bertwb::ui
