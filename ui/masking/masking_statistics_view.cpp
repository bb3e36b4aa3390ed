#include "masking/masking_statistics_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "util/format.h"
#include "widgets/display_units.h"
#include "widgets/histogram_plot.h"
#include "widgets/qcustomplot_include.h"
#include "widgets/token_chips_view.h"

namespace bertwb::ui {
namespace {

constexpr double kPairWidth = 0.36;  // each of the two bars of a category
constexpr double kPairSpacing = 0.04;
constexpr double kTopPercent = 112.0;  // room for the labels above a 100% bar
constexpr int kChartMinimumHeight = 170;
constexpr int kChartMinimumWidth = 360;
constexpr double kIsNextTarget = 0.5;  // the original's coin for B (data/pretraining_sampler.cpp)
const QColor kTargetColour(200, 200, 200);
const QColor kNspColour(70, 130, 180);
const QColor kLengthColour(70, 130, 180);

QString percentText(double fraction) {
  return QString::number(kPercent * fraction, 'f', 1) + QLatin1Char('%');
}

}  // namespace

MaskingStatisticsView::MaskingStatisticsView(QWidget* parent) : QWidget(parent) {
  rates_ = new QCustomPlot(this);
  rates_->setMinimumSize(kChartMinimumWidth, kChartMinimumHeight);
  rates_->setToolTip(
      tr("Grey: what the settings ask for. Coloured: what the sampled instances show. "
         "“chosen” counts positions to predict among all positions; the next three split the "
         "chosen ones; “IsNext” is the share of pairs whose B really follows A; “short” the "
         "share of instances that aimed at a shorter length."));
  lengths_ = new QCustomPlot(this);
  lengths_->setMinimumSize(kChartMinimumWidth, kChartMinimumHeight);
  lengths_->setToolTip(
      tr("Instance lengths in tokens. Most fill the whole sequence length; short_seq_prob "
         "makes some deliberately shorter, and documents that run out make others short."));
  styleChart(rates_);
  styleChart(lengths_);
  rates_->legend->setVisible(true);
  rates_->legend->setFont(rates_->xAxis->tickLabelFont());
  rates_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  caption_ = new QLabel(this);
  caption_->setWordWrap(true);

  auto* charts = new QHBoxLayout;
  charts->addWidget(rates_, 3);
  charts->addWidget(lengths_, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(caption_);
  layout->addLayout(charts, 1);
}

QString MaskingStatisticsView::caption() const {
  return caption_->text();
}

void MaskingStatisticsView::setBusy(const QString& message) {
  caption_->setText(message);
}

void MaskingStatisticsView::setError(const QString& message) {
  caption_->setText(tr("<span style='color:#a01e1e'>%1</span>").arg(message.toHtmlEscaped()));
  observed_.clear();
  target_.clear();
  drawRates();
  showHistogram(lengths_, {}, {});
}

void MaskingStatisticsView::setStatistics(const MaskingStatistics& s,
                                          const PretrainingDataOptions& o) {
  observed_ = {s.chosenRate(), s.maskShare(),   s.randomShare(),
               s.keptShare(),  s.isNextShare(), s.shortShare()};
  target_ = {o.maskedLmProb,     o.maskTokenShare,
             o.randomTokenShare, 1.0 - o.maskTokenShare - o.randomTokenShare,
             kIsNextTarget,      o.shortSeqProb};
  drawRates();
  showHistogram(
      lengths_, s.lengthCounts,
      {tr("tokens in the instance"), tr("instances"), kLengthColour, /*lastBucketIsOpen=*/false,
       static_cast<double>(o.maxSeqLength), tr("max %1").arg(o.maxSeqLength)});
  QString text = tr("<b>%1</b> instances, <b>%2</b> predicted positions.")
                     .arg(QString::fromStdString(formatCount(s.instances)),
                          QString::fromStdString(formatCount(s.chosen)));
  if (s.cappedByPredictions > 0) {
    text += tr(" The max-predictions cap, not the mask probability, set the count in %1 of them.")
                .arg(percentText(static_cast<double>(s.cappedByPredictions) / s.instances));
  }
  text += tr(" A short target length was drawn for %1 of the documents (the short_seq_prob coin), "
             "which made %2 of the instances: a short target cuts a document into more pieces.")
              .arg(percentText(s.shortShare()), percentText(s.shortInstanceShare()));
  text +=
      tr(" IsNext falls a little under 50%: a chunk of one sentence always takes its B from "
         "another document.");
  caption_->setText(text);
}

void MaskingStatisticsView::drawRates() {
  rates_->clearPlottables();
  rates_->clearItems();
  const QStringList names = {tr("chosen"), tr("→ [MASK]"), tr("→ random"),
                             tr("kept"),   tr("IsNext"),   tr("short")};
  const QVector<QColor> colours = {kindColour(ChipKind::Plain).darker(130),
                                   kindColour(ChipKind::Masked),
                                   kindColour(ChipKind::RandomReplaced),
                                   kindColour(ChipKind::KeptPredicted),
                                   kNspColour,
                                   kNspColour.lighter(130)};
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int r = 0; r < kRateCount; ++r) ticker->addTick(r, names[r]);
  rates_->xAxis->setTicker(ticker);
  rates_->xAxis->setRange(-0.6, kRateCount - 0.4);
  rates_->yAxis->setRange(0, kTopPercent);
  rates_->yAxis->setLabel(tr("%"));
  if (observed_.size() != kRateCount) {
    rates_->legend->setVisible(false);
    rates_->replot(QCustomPlot::rpQueuedReplot);
    return;
  }
  rates_->legend->setVisible(true);
  // Target left, observed right of each tick.
  const double offset = (kPairWidth + kPairSpacing) / 2;
  auto* target = new QCPBars(rates_->xAxis, rates_->yAxis);
  target->setName(tr("target (the settings)"));
  target->setBrush(kTargetColour);
  target->setPen(QPen(kTargetColour.darker(140)));
  target->setWidth(kPairWidth);
  for (int r = 0; r < kRateCount; ++r) {
    target->addData(r - offset, kPercent * target_[r]);
    // One QCPBars per observed category, so each wears its chip colour; the legend lists the
    // first as "observed".
    auto* observed = new QCPBars(rates_->xAxis, rates_->yAxis);
    observed->setName(tr("observed"));
    observed->setBrush(colours[r]);
    observed->setPen(Qt::NoPen);
    observed->setWidth(kPairWidth);
    observed->addData(r + offset, kPercent * observed_[r]);
    if (r > 0) observed->removeFromLegend();
    auto* label = new QCPItemText(rates_);
    label->position->setCoords(r + offset, kPercent * observed_[r]);
    label->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
    label->setText(QString::number(kPercent * observed_[r], 'f', 1));
    label->setFont(rates_->xAxis->tickLabelFont());
  }
  rates_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace bertwb::ui
