#include "training_charts.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMenu>
#include <QMessageBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "qcustomplot_include.h"

namespace bertwb::ui {
namespace {

// 1000 ms / 30: the eye sees no difference above ~30 frames a second, and each replot of a
// long run costs milliseconds of the GUI thread.
constexpr int kReplotIntervalMs = 33;
// Pane heights, relative: the loss is what the user watches most.
constexpr int kLossStretch = 5, kAccuracyStretch = 3, kRateStretch = 2;
constexpr double kRawAlpha = 80;  // faint raw lines under the smoothed ones
constexpr double kSmoothWidth = 2.5;
constexpr int kChartFontPoints = 10;    // readable from the back of a lecture hall
constexpr double kValuePadding = 0.05;  // of the value range, above and below the data
constexpr int kRateTicks = 3;

const QColor kTotalColour(31, 119, 180), kMlmColour(230, 110, 0), kNspColour(44, 160, 44),
    kRateColour(148, 103, 189);

}  // namespace

// Each pane keeps its legend as the first element of its inset layout (see addPane).
QCPLegend* TrainingCharts::legendOf(QCPAxisRect* pane) {
  return qobject_cast<QCPLegend*>(pane->insetLayout()->elementAt(0));
}

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setMinimumSize(420, 360);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setAutoAddPlottableToLegend(false);
  plot_->setToolTip(
      tr("Drag to pan, wheel to zoom (over an axis: that axis only), double-click to follow the "
         "newest steps again. Faint lines are the values as logged; bold lines are smoothed "
         "(exponential moving average) to show the trend."));
  QFont font = plot_->font();
  font.setPointSize(kChartFontPoints);
  plot_->setFont(font);
  plot_->plotLayout()->clear();  // replaces the default single pane (and its legend)
  lossPane_ = addPane(0, tr("loss"));
  accuracyPane_ = addPane(1, tr("accuracy"));
  ratePane_ = addPane(2, tr("learning rate"));
  plot_->plotLayout()->setRowStretchFactors({kLossStretch, kAccuracyStretch, kRateStretch});
  ratePane_->axis(QCPAxis::atBottom)->setLabel(tr("optimizer step"));
  accuracyPane_->axis(QCPAxis::atLeft)->setRange(0, 1);
  accuracyPane_->axis(QCPAxis::atLeft)->setNumberFormat(QStringLiteral("f"));
  accuracyPane_->axis(QCPAxis::atLeft)->setNumberPrecision(1);
  // "2·10⁻³" reads better from afar than "0.002", and three ticks are enough for a schedule.
  ratePane_->axis(QCPAxis::atLeft)->setNumberFormat(QStringLiteral("eb"));
  ratePane_->axis(QCPAxis::atLeft)->setNumberPrecision(1);
  ratePane_->axis(QCPAxis::atLeft)->ticker()->setTickCount(kRateTicks);
  // Nothing to name in the rate pane: one line, labelled by its axis.
  legendOf(ratePane_)->setVisible(false);
  // Steps are whole numbers: ticks at multiples of 1 (1, 2, 5, 10, ... as the range grows).
  for (QCPAxisRect* pane : {lossPane_, accuracyPane_, ratePane_}) {
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    pane->axis(QCPAxis::atBottom)->setTicker(ticker);
  }

  totalLoss_ = makePair(lossPane_, tr("total"), kTotalColour);
  mlmLoss_ = makePair(lossPane_, tr("masked LM"), kMlmColour);
  nspLoss_ = makePair(lossPane_, tr("next sentence"), kNspColour);
  mlmAccuracy_ = makePair(accuracyPane_, tr("masked LM"), kMlmColour);
  nspAccuracy_ = makePair(accuracyPane_, tr("next sentence"), kNspColour);
  learningRate_ =
      plot_->addGraph(ratePane_->axis(QCPAxis::atBottom), ratePane_->axis(QCPAxis::atLeft));
  learningRate_->setPen(QPen(kRateColour, kSmoothWidth));

  // One step axis: panning or zooming any pane moves all three.
  const QList<QCPAxis*> stepAxes = {lossPane_->axis(QCPAxis::atBottom),
                                    accuracyPane_->axis(QCPAxis::atBottom),
                                    ratePane_->axis(QCPAxis::atBottom)};
  for (QCPAxis* axis : stepAxes) {
    connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [stepAxes](const QCPRange& range) {
              for (QCPAxis* other : stepAxes)
                if (other->range() != range) other->setRange(range);
            });
  }
  // Once the user zooms or pans, stop rescaling under their hands.
  connect(plot_, &QCustomPlot::mousePress, this, [this] { following_ = false; });
  connect(plot_, &QCustomPlot::mouseWheel, this, [this] { following_ = false; });
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { fitToData(); });

  logScaleBox_ = new QCheckBox(tr("Log-scale loss"), this);
  logScaleBox_->setToolTip(
      tr("A logarithmic loss axis shows the late, slow improvements that a linear axis "
         "flattens against the early drop."));
  connect(logScaleBox_, &QCheckBox::toggled, this, &TrainingCharts::setLogScale);
  auto* fitButton = new QToolButton(this);
  fitButton->setText(tr("Fit"));
  fitButton->setToolTip(
      tr("Show all points and follow the newest again (or double-click the chart)."));
  connect(fitButton, &QToolButton::clicked, this, &TrainingCharts::fitToData);
  compareButton_ = new QToolButton(this);
  compareButton_->setText(tr("Compare with"));
  compareButton_->setPopupMode(QToolButton::InstantPopup);
  compareButton_->setToolTip(
      tr("Overlay earlier runs of this workspace (dashed) to compare settings."));
  compareButton_->setMenu(new QMenu(compareButton_));
  connect(compareButton_->menu(), &QMenu::aboutToShow, this, &TrainingCharts::fillCompareMenu);
  auto* exportButton = new QToolButton(this);
  exportButton->setText(tr("Export"));
  exportButton->setPopupMode(QToolButton::InstantPopup);
  exportButton->setToolTip(
      tr("Save the charts as a picture (PNG), a vector document (PDF) or the numbers (CSV)."));
  auto* exportMenu = new QMenu(exportButton);
  for (const QString& format :
       {QStringLiteral("PNG"), QStringLiteral("PDF"), QStringLiteral("CSV")})
    exportMenu->addAction(format + QStringLiteral("…"), this,
                          [this, format] { exportWithDialog(format); });
  exportButton->setMenu(exportMenu);

  auto* tools = new QHBoxLayout;
  tools->addWidget(logScaleBox_);
  tools->addStretch(1);
  tools->addWidget(fitButton);
  tools->addWidget(compareButton_);
  tools->addWidget(exportButton);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(tools);
  layout->addWidget(plot_, 1);

  replotTimer_.setSingleShot(true);
  replotTimer_.setInterval(kReplotIntervalMs);
  connect(&replotTimer_, &QTimer::timeout, this, &TrainingCharts::replotIfDirty);
  markDirty();
}

QCPAxisRect* TrainingCharts::addPane(int row, const QString& label) {
  auto* pane = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(row, 0, pane);
  pane->axis(QCPAxis::atLeft)->setLabel(label);
  for (QCPAxis* axis : pane->axes()) {
    axis->setLabelFont(plot_->font());
    axis->setTickLabelFont(plot_->font());
  }
  // Left margins line up, so the three step axes do too.
  auto* group = plot_->findChild<QCPMarginGroup*>();
  if (!group) group = new QCPMarginGroup(plot_);
  pane->setMarginGroup(QCP::msLeft | QCP::msRight, group);
  auto* legend = new QCPLegend;
  pane->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
  legend->setLayer(QStringLiteral("legend"));
  legend->setFont(plot_->font());
  legend->setBrush(QColor(255, 255, 255, 220));
  legend->setVisible(true);
  return pane;
}

TrainingCharts::Pair TrainingCharts::makePair(QCPAxisRect* pane, const QString& name,
                                              const QColor& colour) {
  Pair pair;
  QColor faint = colour;
  faint.setAlpha(static_cast<int>(kRawAlpha));
  pair.raw = plot_->addGraph(pane->axis(QCPAxis::atBottom), pane->axis(QCPAxis::atLeft));
  pair.raw->setPen(QPen(faint, 1));
  pair.smooth = plot_->addGraph(pane->axis(QCPAxis::atBottom), pane->axis(QCPAxis::atLeft));
  pair.smooth->setPen(QPen(colour, kSmoothWidth));
  pair.smooth->setName(name);
  pair.smooth->addToLegend(legendOf(pane));
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
  following_ = true;
  for (const StepMetrics& m : past) addStep(m);
  markDirty();
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
    axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
  } else {
    axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
  }
  if (logScaleBox_->isChecked() != on) logScaleBox_->setChecked(on);
  following_ = true;
  markDirty();
}

bool TrainingCharts::isLogScale() const {
  return lossPane_->axis(QCPAxis::atLeft)->scaleType() == QCPAxis::stLogarithmic;
}

void TrainingCharts::fitToData() {
  following_ = true;
  markDirty();
}

void TrainingCharts::markDirty() {
  dirty_ = true;
  if (!replotTimer_.isActive()) replotTimer_.start();
}

void TrainingCharts::replotIfDirty() {
  if (!dirty_) return;
  dirty_ = false;
  if (following_) {
    for (QCPAxisRect* pane : {lossPane_, ratePane_}) {
      QCPAxis* values = pane->axis(QCPAxis::atLeft);
      bool found = false;
      const QCP::SignDomain domain =
          values->scaleType() == QCPAxis::stLogarithmic ? QCP::sdPositive : QCP::sdBoth;
      QCPRange range;
      for (QCPGraph* graph : pane->graphs()) {
        bool graphFound = false;
        const QCPRange r = graph->getValueRange(graphFound, domain);
        if (!graphFound) continue;
        range =
            found ? QCPRange(std::min(range.lower, r.lower), std::max(range.upper, r.upper)) : r;
        found = true;
      }
      if (!found) continue;
      if (values->scaleType() == QCPAxis::stLogarithmic) {
        values->setRange(range.lower / (1 + kValuePadding * 4),
                         range.upper * (1 + kValuePadding * 4));
      } else {
        const double pad = std::max(range.size() * kValuePadding, 1e-12);
        values->setRange(std::max(0.0, range.lower - pad), range.upper + pad);
      }
    }
    accuracyPane_->axis(QCPAxis::atLeft)->setRange(0, 1);
    double lastStep = 1;
    for (int i = 0; i < plot_->graphCount(); ++i) {
      bool found = false;
      const QCPRange r = plot_->graph(i)->getKeyRange(found);
      if (found) lastStep = std::max(lastStep, r.upper);
    }
    lossPane_->axis(QCPAxis::atBottom)->setRange(0, lastStep);  // the others follow
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
  ++replots_;
}

bool TrainingCharts::exportPng(const QString& path) {
  replotIfDirty();
  return plot_->savePng(path, plot_->width(), plot_->height());
}

bool TrainingCharts::exportPdf(const QString& path) {
  replotIfDirty();
  return plot_->savePdf(path, plot_->width(), plot_->height());
}

bool TrainingCharts::exportCsv(const QString& path) {
  return writeMetricsCsv(path, history_);
}

void TrainingCharts::exportWithDialog(const QString& format) {
  const QString suffix = format.toLower();
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export charts as %1").arg(format),
                                   QDir(runsFolder_).filePath(QStringLiteral("charts.") + suffix),
                                   tr("%1 files (*.%2)").arg(format, suffix));
  if (path.isEmpty()) return;
  const bool saved = suffix == QLatin1String("png")   ? exportPng(path)
                     : suffix == QLatin1String("pdf") ? exportPdf(path)
                                                      : exportCsv(path);
  if (!saved) QMessageBox::warning(this, tr("Export"), tr("Could not write %1.").arg(path));
}

}  // namespace bertwb::ui
