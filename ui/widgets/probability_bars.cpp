#include "widgets/probability_bars.h"

#include <QPainter>
#include <algorithm>

namespace bertwb::ui {
namespace {

constexpr int kRowHeight = 26;
constexpr int kBarHeight = 16;
constexpr int kGap = 8;
constexpr int kLabelPadding =
    6;  // font metrics round; without slack a label fitting exactly is elided
constexpr int kPercentWidth = 60;
constexpr int kMinimumBarWidth = 120;
constexpr int kLongestLabelWidth = 260;  // longer labels are elided
const QColor kBestBar(0x3b, 0x7d, 0xd8);
const QColor kOtherBar(0x9d, 0xb9, 0xe0);
const QColor kTrack(0xee, 0xf1, 0xf5);

}  // namespace

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ProbabilityBars::setRows(std::vector<Row> rows) {
  rows_ = std::move(rows);
  updateGeometry();
  update();
}

void ProbabilityBars::setTitle(const QString& title) {
  title_ = title;
  updateGeometry();
  update();
}

int ProbabilityBars::labelColumnWidth() const {
  int widest = 0;
  for (const Row& row : rows_)
    widest = std::max(widest, fontMetrics().horizontalAdvance(row.label));
  return std::min(widest + kLabelPadding + kGap, kLongestLabelWidth);
}

QSize ProbabilityBars::sizeHint() const {
  const int titleHeight = title_.isEmpty() ? 0 : kRowHeight;
  const int rows = std::max<int>(1, static_cast<int>(rows_.size()));
  return {labelColumnWidth() + kMinimumBarWidth * 2 + kPercentWidth,
          titleHeight + rows * kRowHeight};
}

QSize ProbabilityBars::minimumSizeHint() const {
  const QSize hint = sizeHint();
  return {labelColumnWidth() + kMinimumBarWidth + kPercentWidth, hint.height()};
}

void ProbabilityBars::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  int y = 0;
  if (!title_.isEmpty()) {
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(0, 0, width(), kRowHeight), Qt::AlignLeft | Qt::AlignVCenter, title_);
    painter.setFont(font());
    y += kRowHeight;
  }
  const int labelWidth = labelColumnWidth();
  const int barWidth = std::max(10, width() - labelWidth - kPercentWidth - kGap);
  double best = -1;
  for (const Row& row : rows_) best = std::max(best, row.probability);
  bool bestDrawn = false;
  for (const Row& row : rows_) {
    const QRect labelRect(0, y, labelWidth - kGap, kRowHeight);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter,
                     fontMetrics().elidedText(row.label, Qt::ElideRight, labelRect.width()));
    const int barTop = y + (kRowHeight - kBarHeight) / 2;
    const QRectF track(labelWidth, barTop, barWidth, kBarHeight);
    painter.setPen(Qt::NoPen);
    painter.setBrush(kTrack);
    painter.drawRoundedRect(track, 3, 3);
    const bool isBest = !bestDrawn && row.probability == best;
    bestDrawn = bestDrawn || isBest;
    const double fraction = std::clamp(row.probability, 0.0, 1.0);
    if (fraction > 0) {
      painter.setBrush(isBest ? kBestBar : kOtherBar);
      painter.drawRoundedRect(
          QRectF(track.left(), barTop, std::max(2.0, barWidth * fraction), kBarHeight), 3, 3);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(labelWidth + barWidth + kGap, y, kPercentWidth, kRowHeight),
                     Qt::AlignLeft | Qt::AlignVCenter,
                     QStringLiteral("%1 %").arg(row.probability * 100.0, 0, 'f', 1));
    y += kRowHeight;
  }
}

}  // namespace bertwb::ui
