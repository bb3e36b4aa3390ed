#include "widgets/histogram_plot.h"

#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {
namespace {

constexpr double kBarWidth = 0.85;  // of one length unit: a hairline gap between bars
constexpr double kHeadroom = 1.12;  // space above the tallest bar
constexpr double kChartFontScale = 1.1;

}  // namespace

void styleChart(QCustomPlot* plot) {
  QFont font = plot->font();
  font.setPointSizeF(font.pointSizeF() * kChartFontScale);
  for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
    axis->setTickLabelFont(font);
    axis->setLabelFont(font);
    axis->grid()->setPen(QPen(QColor(225, 225, 225)));
    axis->grid()->setSubGridVisible(false);
  }
  plot->setBackground(Qt::white);
}

QCPBars* showHistogram(QCustomPlot* plot, const std::vector<int64_t>& counts,
                       const HistogramSpec& spec) {
  plot->clearPlottables();
  plot->clearItems();
  int first = -1, last = -1;
  for (int n = 0; n < static_cast<int>(counts.size()); ++n) {
    if (counts[static_cast<size_t>(n)] == 0) continue;
    if (first < 0) first = n;
    last = n;
  }
  if (first < 0) {
    plot->replot(QCustomPlot::rpQueuedReplot);
    return nullptr;
  }
  QVector<double> keys, values;
  double tallest = 0;
  for (int n = first; n <= last; ++n) {
    keys << n;
    values << static_cast<double>(counts[static_cast<size_t>(n)]);
    tallest = std::max(tallest, values.last());
  }
  auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
  bars->setWidth(kBarWidth);
  bars->setBrush(spec.colour);
  bars->setPen(Qt::NoPen);
  bars->setData(keys, values, /*alreadySorted=*/true);
  // Lengths are whole numbers: ticks at 1, 2, 5, 10, … never at 7.5.
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot->xAxis->setTicker(ticker);
  plot->xAxis->setLabel(spec.xLabel);
  plot->yAxis->setLabel(spec.yLabel);
  plot->xAxis->setRange(first - 1, last + 1);
  plot->yAxis->setRange(0, tallest * kHeadroom);
  if (spec.lastBucketIsOpen && last == static_cast<int>(counts.size()) - 1) {
    auto* note = new QCPItemText(plot);
    note->position->setCoords(last, counts.back());
    note->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
    note->setText(QObject::tr("≥%1").arg(last));
  }
  if (spec.markerAt >= 0) {
    auto* line = new QCPItemStraightLine(plot);
    line->point1->setCoords(spec.markerAt, 0);
    line->point2->setCoords(spec.markerAt, 1);
    line->setPen(QPen(QColor(60, 60, 60), 1.5, Qt::DashLine));
    auto* label = new QCPItemText(plot);
    label->position->setCoords(spec.markerAt, tallest * kHeadroom);
    label->setPadding(QMargins(4, 2, 4, 2));
    label->setFont(plot->xAxis->tickLabelFont());
    label->setText(spec.markerLabel);
    // Keep the line in view when it lies beyond the bars (a sequence length no instance reached).
    plot->xAxis->setRange(std::min(plot->xAxis->range().lower, spec.markerAt - 1),
                          std::max(plot->xAxis->range().upper, spec.markerAt + 1));
    // The label goes on the roomier side of the line, so it is never cut off at an edge.
    const bool rightHalf = spec.markerAt > plot->xAxis->range().center();
    label->setPositionAlignment(Qt::AlignTop | (rightHalf ? Qt::AlignRight : Qt::AlignLeft));
  }
  plot->replot(QCustomPlot::rpQueuedReplot);
  return bars;
}

}  // namespace bertwb::ui
