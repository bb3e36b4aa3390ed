#include "pretrain/training_charts.h"

#include <QCheckBox>
#include <QDir>
#include <cmath>

#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {
namespace {

// Pane heights, relative: the loss is what the user watches most.
constexpr int kLossStretch = 5, kAccuracyStretch = 3, kRateStretch = 2;
constexpr int kRawAlpha = 80;  // faint raw lines under the smoothed ones
constexpr double kSmoothWidth = 2.5;
constexpr double kValuePadding = 0.05;  // of the value range, above and below the data
constexpr int kRateTicks = 3;

const QColor kTotalColour(31, 119, 180), kMlmColour(230, 110, 0), kNspColour(44, 160, 44),
    kRateColour(148, 103, 189);

// 1-2-5 tick values inside [lower, upper] (positive), labelled without exponents: a log axis
// a class can read ("0.5  1  2  5").
QMap<double, QString> oneTwoFiveTicks(double lower, double upper) {
  QMap<double, QString> ticks;
  if (!(lower > 0) || !(upper > lower)) return ticks;
  for (double decade = std::pow(10.0, std::floor(std::log10(lower))); decade <= upper;
       decade *= 10) {
    for (const double step : {1.0, 2.0, 5.0}) {
      const double value = decade * step;
      if (value >= lower && value <= upper) ticks[value] = QString::number(value, 'g', 3);
    }
  }
  return ticks;
}

}  // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : LiveChart(parent) {
  plot()->setMinimumSize(360, 320);  // the panel fits a 1280×720 window beside settings and probes
  plot()->setToolTip(
      tr("Drag to pan, wheel to zoom (over an axis: that axis only), double-click to follow the "
         "newest steps again. Faint lines are the values as logged; bold lines are smoothed "
         "(exponential moving average) to show the trend."));
  lossPane_ = addPane(tr("loss"), kLossStretch);
  // Accuracies rise from the bottom left: the top-left corner stays free for the legend.
  accuracyPane_ = addPane(tr("accuracy"), kAccuracyStretch, Qt::AlignLeft | Qt::AlignTop);
  ratePane_ = addPane(tr("learning rate"), kRateStretch);
  accuracyPane_->axis(QCPAxis::atLeft)->setRange(0, 1);
  accuracyPane_->axis(QCPAxis::atLeft)->setNumberFormat(QStringLiteral("f"));
  accuracyPane_->axis(QCPAxis::atLeft)->setNumberPrecision(1);
  // "2·10⁻³" reads better from afar than "0.002", and three ticks are enough for a schedule.
  ratePane_->axis(QCPAxis::atLeft)->setNumberFormat(QStringLiteral("eb"));
  ratePane_->axis(QCPAxis::atLeft)->setNumberPrecision(1);
  ratePane_->axis(QCPAxis::atLeft)->ticker()->setTickCount(kRateTicks);
  // Nothing to name in the rate pane: one line, labelled by its axis.
  legendOf(ratePane_)->setVisible(false);

  totalLoss_ = makePair(lossPane_, tr("total"), kTotalColour);
  mlmLoss_ = makePair(lossPane_, tr("masked LM"), kMlmColour);
  nspLoss_ = makePair(lossPane_, tr("next sentence"), kNspColour);
  mlmAccuracy_ = makePair(accuracyPane_, tr("masked LM"), kMlmColour);
  nspAccuracy_ = makePair(accuracyPane_, tr("next sentence"), kNspColour);
  learningRate_ = addGraph(ratePane_, QPen(kRateColour, kSmoothWidth));

  logScaleBox_ = new QCheckBox(tr("Log-scale loss"), this);
  logScaleBox_->setToolTip(
      tr("A logarithmic loss axis shows the late, slow improvements that a linear axis "
         "flattens against the early drop."));
  connect(logScaleBox_, &QCheckBox::toggled, this, &TrainingCharts::setLogScale);
  addTool(logScaleBox_);
  setCsvExport(true);
  setVocabularySize(0);
}

void TrainingCharts::setVocabularySize(int size) {
  // A model that guesses uniformly has a masked-LM loss of ln(vocabulary): where a run starts.
  const QString start =
      size > 1 ? tr(" (a uniform guess: ln %1 = %2)").arg(size).arg(std::log(size), 0, 'f', 2)
               : QString();
  setCaption(tr("<b>Loss</b>: masked-LM cross-entropy%1 plus next-sentence loss (ln 2 = 0.69 "
                "at chance). <b>Accuracy</b>: masked tokens guessed right; sentence pairs judged "
                "right, where always answering NotNext scores the NotNext share of the instances "
                "(a little over 50%: the Masking & NSP statistics measure it). <b>Learning "
                "rate</b>: warm-up, then decay.")
                 .arg(start));
}

TrainingCharts::Pair TrainingCharts::makePair(QCPAxisRect* pane, const QString& name,
                                              const QColor& colour) {
  Pair pair;
  QColor faint = colour;
  faint.setAlpha(kRawAlpha);
  pair.raw = addGraph(pane, QPen(faint, 1));
  pair.smooth = addGraph(pane, QPen(colour, kSmoothWidth), name);
  return pair;
}

void TrainingCharts::reset(const QVector<StepMetrics>& past) {
  history_.clear();
  for (Pair* pair : {&totalLoss_, &mlmLoss_, &nspLoss_, &mlmAccuracy_, &nspAccuracy_}) {
    pair->raw->data()->clear();
    pair->smooth->data()->clear();
    pair->smoother.reset();
  }
  learningRate_->data()->clear();
  for (const StepMetrics& m : past) addStep(m);
  fitToData();
}

void TrainingCharts::append(Pair& pair, double step, double value) {
  pair.raw->addData(step, value);
  pair.smooth->addData(step, pair.smoother.add(value));
}

void TrainingCharts::addStep(const StepMetrics& m) {
  history_.push_back(m);
  const double step = static_cast<double>(m.step);
  append(totalLoss_, step, m.loss);
  append(mlmLoss_, step, m.mlmLoss);
  append(mlmAccuracy_, step, m.mlmAccuracy);
  // MLM-only runs report an NSP loss of 0: drawing it would be a lie (and breaks a log axis).
  if (m.nspLoss > 0) {
    append(nspLoss_, step, m.nspLoss);
    append(nspAccuracy_, step, m.nspAccuracy);
  }
  learningRate_->addData(step, m.learningRate);
  markDirty();
}

int TrainingCharts::pointCount(Series series) const {
  switch (series) {
    case Series::TotalLoss:
      return totalLoss_.raw->dataCount();
    case Series::MlmLoss:
      return mlmLoss_.raw->dataCount();
    case Series::NspLoss:
      return nspLoss_.raw->dataCount();
    case Series::MlmAccuracy:
      return mlmAccuracy_.raw->dataCount();
    case Series::NspAccuracy:
      return nspAccuracy_.raw->dataCount();
    case Series::LearningRate:
      return learningRate_->dataCount();
  }
  return 0;
}

void TrainingCharts::setLogScale(bool on) {
  QCPAxis* axis = lossPane_->axis(QCPAxis::atLeft);
  axis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (on) {
    // Ticks at 1-2-5 steps (0.5, 1, 2, 5, 10), set as the range is fitted: a loss spans about
    // one decade, where powers of ten alone would label a single tick.
    axis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  } else {
    axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
  }
  if (logScaleBox_->isChecked() != on) logScaleBox_->setChecked(on);
  fitToData();
}

QStringList TrainingCharts::lossTickLabels() const {
  QCPAxis* axis = lossPane_->axis(QCPAxis::atLeft);
  if (auto text = axis->ticker().dynamicCast<QCPAxisTickerText>()) return text->ticks().values();
  return {};
}

bool TrainingCharts::isLogScale() const {
  return lossPane_->axis(QCPAxis::atLeft)->scaleType() == QCPAxis::stLogarithmic;
}

bool TrainingCharts::exportCsv(const QString& path) {
  return writeMetricsCsv(path, history_);
}

void TrainingCharts::fitValueAxes() {
  for (QCPAxisRect* pane : {lossPane_, ratePane_}) {
    double lower = 0, upper = 0;
    if (!valueRange(pane, lower, upper)) continue;
    QCPAxis* values = pane->axis(QCPAxis::atLeft);
    if (values->scaleType() == QCPAxis::stLogarithmic) {
      values->setRange(lower / (1 + kValuePadding * 4), upper * (1 + kValuePadding * 4));
      if (auto text = values->ticker().dynamicCast<QCPAxisTickerText>())
        text->setTicks(oneTwoFiveTicks(values->range().lower, values->range().upper));
    } else {
      const double pad = std::max((upper - lower) * kValuePadding, 1e-12);
      values->setRange(std::max(0.0, lower - pad), upper + pad);
    }
  }
  accuracyPane_->axis(QCPAxis::atLeft)->setRange(0, 1);
}

QVector<QCPGraph*> TrainingCharts::makeOverlay(const QString& runFolder, const QPen& pen) {
  const QVector<StepMetrics> history =
      readMetricsJsonl(QDir(runFolder).filePath(QStringLiteral("metrics.jsonl")));
  if (history.isEmpty()) return {};
  const QString name = QFileInfo(runFolder).fileName();
  struct Target {
    QCPAxisRect* pane;
    double StepMetrics::*field;
  };
  QVector<QCPGraph*> graphs;
  for (const Target& target :
       {Target{lossPane_, &StepMetrics::loss}, Target{accuracyPane_, &StepMetrics::mlmAccuracy},
        Target{ratePane_, &StepMetrics::learningRate}}) {
    // Named in the loss pane's legend only: one entry per run is enough.
    QCPGraph* graph = addGraph(target.pane, pen, target.pane == lossPane_ ? name : QString());
    ExponentialSmoother smoother(kChartSmoothingWeight);
    const bool smooth = target.field != &StepMetrics::learningRate;
    for (const StepMetrics& m : history) {
      const double value = m.*(target.field);
      graph->addData(static_cast<double>(m.step), smooth ? smoother.add(value) : value);
    }
    graphs << graph;
  }
  return graphs;
}

}  // namespace bertwb::ui
