#include "attention/attention_lines.h"

#include <QFontMetrics>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "attention/attention_colours.h"
#include "widgets/picture_export.h"
#include "widgets/presentation_style.h"
#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {

namespace {

// One piece per row: the label's line height and some air (22 px for a 10 pt label). Rows and
// title grow with the font, so presentation mode's larger text never overlaps.
constexpr int kRowAir = 6;
constexpr int kMargin = 12;
constexpr int kTitleAir = 14;
constexpr int kLabelGap = 8;       // between a label and where its lines start
constexpr int kMinLineSpan = 260;  // the room the lines get between the two columns
// Lines for weights below 0.02 are not drawn: hundreds of invisible strokes would only slow
// the painting of long inputs.
constexpr double kVisibilityFloor = 0.02;
constexpr double kMaxPenWidth = 4.0;
constexpr double kOpacityGamma = 0.7;
constexpr int kFadedAlpha = 10;  // the unfocused lines while one piece is focused

QString pieceLabel(const std::string& piece) {
  return QString::fromStdString(piece);
}

}  // namespace

AttentionLines::AttentionLines(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setAutoFillBackground(true);
  QPalette background = palette();
  background.setColor(QPalette::Window, Qt::white);
  setPalette(background);
}

void AttentionLines::setSelection(const AttentionSelection& selection, const QString& title) {
  selection_ = selection;
  title_ = title;
  focusSide_ = Side::None;
  focusIndex_ = -1;
  updateGeometry();
  update();
}

int AttentionLines::labelWidth() const {
  const QFontMetrics metrics(font());
  int widest = metrics.horizontalAdvance(QStringLiteral("[CLS]"));
  for (const auto* labels : {&selection_.rowLabels, &selection_.columnLabels})
    for (const std::string& label : *labels)
      widest = std::max(widest, metrics.horizontalAdvance(pieceLabel(label)));
  return widest + 10;
}

int AttentionLines::rowHeight() const {
  return QFontMetrics(font()).height() + kRowAir;
}

int AttentionLines::titleHeight() const {
  return QFontMetrics(font()).height() + kTitleAir;
}

int AttentionLines::contentHeight() const {
  const int rows = std::max(selection_.rows(), selection_.columns());
  return titleHeight() + rows * rowHeight() + 2 * kMargin;
}

QSize AttentionLines::sizeHint() const {
  return QSize(2 * labelWidth() + 2 * kMargin + 420, contentHeight());
}

QSize AttentionLines::minimumSizeHint() const {
  return QSize(2 * labelWidth() + 2 * kMargin + kMinLineSpan, contentHeight());
}

QRect AttentionLines::pieceRectIn(Side side, int index, int width) const {
  const int count = side == Side::Left ? selection_.rows() : selection_.columns();
  // The shorter column is centred against the longer one, so lines fan out evenly.
  const int tallest = std::max(selection_.rows(), selection_.columns());
  const int row = rowHeight();
  const int top = titleHeight() + kMargin + (tallest - count) * row / 2;
  const int x = side == Side::Left ? kMargin : width - kMargin - labelWidth();
  return QRect(x, top + index * row, labelWidth(), row);
}

QRect AttentionLines::pieceRect(Side side, int index) const {
  return pieceRectIn(side, index, width());
}

bool AttentionLines::lineIsFocused(int row, int column) const {
  if (focusSide_ == Side::Left) return row == focusIndex_;
  if (focusSide_ == Side::Right) return column == focusIndex_;
  return true;
}

double AttentionLines::lineStrength(int row, int column) const {
  // The weight itself (as bertviz draws it), not relative to the strongest line: a head that
  // spreads its attention evenly looks faint, one that picks a piece draws a dark line.
  return std::clamp(static_cast<double>(selection_.at(row, column)), 0.0, 1.0);
}

int AttentionLines::visibleLineCount() const {
  if (selection_.empty() || selection_.maxValue <= 0) return 0;
  int count = 0;
  for (int r = 0; r < selection_.rows(); ++r)
    for (int c = 0; c < selection_.columns(); ++c)
      if (lineIsFocused(r, c) && lineStrength(r, c) >= kVisibilityFloor) ++count;
  return count;
}

void AttentionLines::setFocusPiece(Side side, int index) {
  const int count = side == Side::Left    ? selection_.rows()
                    : side == Side::Right ? selection_.columns()
                                          : 0;
  if (index < 0 || index >= count) side = Side::None, index = -1;
  if (side == focusSide_ && index == focusIndex_) return;
  focusSide_ = side;
  focusIndex_ = index;
  update();
}

void AttentionLines::paintContents(QPainter& painter, const QSize& size) const {
  painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  painter.setRenderHint(QPainter::Antialiasing);
  QFont titleFont = font();
  titleFont.setBold(true);
  painter.setFont(titleFont);
  painter.setPen(Qt::black);
  painter.drawText(QRect(kMargin, 0, size.width() - 2 * kMargin, titleHeight()), Qt::AlignCenter,
                   title_);
  painter.setFont(font());
  if (selection_.empty()) return;

  // Lines first, the focused ones last so they are drawn over the faded rest.
  const QColor strong = attentionHighColour();
  const double penScale = presentationScale();  // thicker lines for a projector
  for (bool focusedPass : {false, true}) {
    for (int r = 0; r < selection_.rows(); ++r) {
      const QRect from = pieceRectIn(Side::Left, r, size.width());
      for (int c = 0; c < selection_.columns(); ++c) {
        if (lineIsFocused(r, c) != focusedPass) continue;
        const double fraction = lineStrength(r, c);
        if (fraction < kVisibilityFloor) continue;
        const QRect to = pieceRectIn(Side::Right, c, size.width());
        QColor colour = strong;
        // A gamma below 1 lifts middling weights (0.3 → 43% opaque) while an even spread
        // (1/40 each) stays a faint haze.
        colour.setAlpha(focusedPass ? static_cast<int>(255 * std::pow(fraction, kOpacityGamma))
                                    : kFadedAlpha);
        painter.setPen(QPen(colour, penScale * (0.6 + (kMaxPenWidth - 0.6) * fraction),
                            Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(from.right() + kLabelGap, from.center().y() + 0.5),
                         QPointF(to.left() - kLabelGap, to.center().y() + 0.5));
      }
    }
  }
  auto drawLabels = [&](Side side, const std::vector<std::string>& labels) {
    for (int i = 0; i < static_cast<int>(labels.size()); ++i) {
      const QRect box = pieceRectIn(side, i, size.width());
      const bool focused = side == focusSide_ && i == focusIndex_;
      if (focused) painter.fillRect(box.adjusted(-4, 1, 4, -1), attentionMidColour().lighter(130));
      const bool special = isSpecialPiece(labels[i]);
      painter.setPen(special ? QColor(120, 120, 120) : QColor(20, 20, 20));
      painter.drawText(box,
                       (side == Side::Left ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
                       pieceLabel(labels[i]));
    }
  };
  drawLabels(Side::Left, selection_.rowLabels);
  drawLabels(Side::Right, selection_.columnLabels);
}

void AttentionLines::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paintContents(painter, size());
}

void AttentionLines::mouseMoveEvent(QMouseEvent* event) {
  const QPoint at = event->position().toPoint();
  for (Side side : {Side::Left, Side::Right}) {
    const int count = side == Side::Left ? selection_.rows() : selection_.columns();
    for (int i = 0; i < count; ++i)
      if (pieceRect(side, i).adjusted(-4, 0, 4, 0).contains(at)) {
        setFocusPiece(side, i);
        return;
      }
  }
  setFocusPiece(Side::None, -1);
}

void AttentionLines::leaveEvent(QEvent*) {
  setFocusPiece(Side::None, -1);
}

void AttentionLines::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange) {
    updateGeometry();
    update();
  }
  QWidget::changeEvent(event);
}

bool AttentionLines::exportPng(const QString& path, QString* error) {
  const QSize exportSize = size().expandedTo(minimumSizeHint());
  return savePicturePng(
      path, exportSize,
      [this, exportSize](QCPPainter& painter) { paintContents(painter, exportSize); }, error);
}

bool AttentionLines::exportSvg(const QString& path, QString* error) {
  const QSize exportSize = size().expandedTo(minimumSizeHint());
  return savePictureSvg(
      path, exportSize, title_,
      [this, exportSize](QCPPainter& painter) { paintContents(painter, exportSize); }, error);
}

}  // namespace bertwb::ui
