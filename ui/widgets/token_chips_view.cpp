#include "widgets/token_chips_view.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>

namespace bertwb::ui {
namespace {

// Sizes in pixels at the default font; chosen so that a 128-token instance fits a projected
// 1280-pixel-wide window in about ten rows while the text stays readable from the back.
constexpr int kChipSpacing = 6;   // between chips, both directions
constexpr int kChipPaddingX = 7;  // text to chip edge, left and right
constexpr int kChipPaddingY = 3;  // top and bottom
constexpr int kLineGap = 1;       // between the text, id and caption lines
constexpr int kCornerRadius = 6;
constexpr int kMinimumChipWidth = 30;  // keeps one-letter pieces clickable and visible
constexpr double kTextScale = 1.2;     // the piece itself, larger than the window's text
constexpr double kSmallScale = 0.85;   // id and caption lines
constexpr double kPlainOutline = 1.0;
constexpr double kPredictedOutline = 3.0;  // predicted positions stand out at a glance
constexpr int kPlaceholderHeight = 40;

QFont scaledFont(const QFont& base, double scale, bool bold) {
  QFont font = base;
  font.setPointSizeF(base.pointSizeF() * scale);
  font.setBold(bold);
  return font;
}

}  // namespace

bool isPredicted(ChipKind kind) {
  return kind == ChipKind::Masked || kind == ChipKind::RandomReplaced ||
         kind == ChipKind::KeptPredicted;
}

QString chipCaption(const TokenChip& chip) {
  switch (chip.kind) {
    case ChipKind::Masked:
    case ChipKind::RandomReplaced:
      return chip.original + QStringLiteral(" → ") + chip.text;
    case ChipKind::KeptPredicted:
      return chip.original + QStringLiteral(" (kept)");
    default:
      return {};
  }
}

// Okabe–Ito hues (readable by colour-blind students), lightened for fills.
QColor segmentColour(int segment) {
  switch (segment) {
    case kSegmentA:
      return QColor(204, 226, 247);  // light blue
    case kSegmentB:
      return QColor(253, 226, 190);  // light orange
    default:
      return QColor(236, 239, 243);  // neutral: no segments in a preview
  }
}

QColor kindColour(ChipKind kind) {
  switch (kind) {
    case ChipKind::Masked:
      return QColor(200, 30, 60);  // crimson
    case ChipKind::RandomReplaced:
      return QColor(120, 60, 170);  // purple
    case ChipKind::KeptPredicted:
      return QColor(0, 130, 110);  // teal
    case ChipKind::Unknown:
      return QColor(190, 60, 60);
    case ChipKind::Special:
      return QColor(110, 110, 110);
    case ChipKind::Plain:
      break;
  }
  return QColor(140, 150, 165);
}

QColor chipFill(const TokenChip& chip) {
  if (chip.kind == ChipKind::Special) return QColor(214, 214, 214);
  if (chip.kind == ChipKind::Unknown) return QColor(250, 214, 214);
  return segmentColour(chip.segment);
}

TokenChipsView::TokenChipsView(QWidget* parent) : QWidget(parent) {
  QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
  setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void TokenChipsView::setChips(QVector<TokenChip> chips) {
  chips_ = std::move(chips);
  updateGeometry();
  update();
}

void TokenChipsView::setShowIds(bool show) {
  showIds_ = show;
  updateGeometry();
  update();
}

void TokenChipsView::setPlaceholder(const QString& text) {
  placeholder_ = text;
  update();
}

bool TokenChipsView::anyCaption() const {
  return std::any_of(chips_.begin(), chips_.end(),
                     [](const TokenChip& c) { return isPredicted(c.kind); });
}

int TokenChipsView::chipHeight() const {
  // Every chip of a view is as tall as the tallest kind, so rows line up like text.
  const QFontMetrics text(scaledFont(font(), kTextScale, true));
  const QFontMetrics small(scaledFont(font(), kSmallScale, false));
  int height = 2 * kChipPaddingY + text.height();
  if (showIds_) height += kLineGap + small.height();
  if (anyCaption()) height += kLineGap + small.height();
  return height;
}

QSize TokenChipsView::chipSize(const TokenChip& chip) const {
  const QFontMetrics text(scaledFont(font(), kTextScale, chip.kind == ChipKind::Special));
  const QFontMetrics small(scaledFont(font(), kSmallScale, false));
  const QFontMetrics caption(scaledFont(font(), kSmallScale, true));
  int width = text.horizontalAdvance(chip.text);
  if (showIds_ && chip.id >= 0)
    width = std::max(width, small.horizontalAdvance(QString::number(chip.id)));
  width = std::max(width, caption.horizontalAdvance(chipCaption(chip)));
  return {std::max(kMinimumChipWidth, width + 2 * kChipPaddingX), chipHeight()};
}

TokenChipsView::Layout TokenChipsView::layoutFor(int width) const {
  Layout layout;
  int x = kChipSpacing, y = kChipSpacing;
  const int rowHeight = chipHeight();
  for (const TokenChip& chip : chips_) {
    const QSize size = chipSize(chip);
    // Wrap before a chip that would cross the right edge (a chip wider than the whole view
    // still gets a row of its own rather than vanishing).
    if (x > kChipSpacing && x + size.width() + kChipSpacing > width) {
      x = kChipSpacing;
      y += rowHeight + kChipSpacing;
    }
    layout.rects.push_back(QRect(QPoint(x, y), size));
    x += size.width() + kChipSpacing;
  }
  layout.height = chips_.isEmpty() ? kPlaceholderHeight : y + rowHeight + kChipSpacing;
  return layout;
}

int TokenChipsView::heightForWidth(int width) const {
  return layoutFor(width).height;
}

QSize TokenChipsView::sizeHint() const {
  const int width = std::max(this->width(), minimumSizeHint().width());
  return {width, heightForWidth(width)};
}

QSize TokenChipsView::minimumSizeHint() const {
  int widest = kMinimumChipWidth;
  for (const TokenChip& chip : chips_) widest = std::max(widest, chipSize(chip).width());
  return {widest + 2 * kChipSpacing,
          chips_.isEmpty() ? kPlaceholderHeight : chipHeight() + 2 * kChipSpacing};
}

void TokenChipsView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // Scroll areas and box layouts ask heightForWidth only now and then; a minimum height that
  // follows the width keeps the last row from being cut off when the window narrows.
  setMinimumHeight(heightForWidth(width()));
}

void TokenChipsView::paintChip(QPainter& painter, const TokenChip& chip, const QRect& rect) const {
  const bool predicted = isPredicted(chip.kind);
  QPen outline(predicted ? kindColour(chip.kind) : chipFill(chip).darker(135));
  outline.setWidthF(predicted ? kPredictedOutline : kPlainOutline);
  // Line style repeats the colour's message for those who cannot tell the colours apart.
  if (chip.kind == ChipKind::RandomReplaced) outline.setStyle(Qt::DashLine);
  if (chip.kind == ChipKind::KeptPredicted) outline.setStyle(Qt::DotLine);
  if (chip.kind == ChipKind::Unknown) outline.setStyle(Qt::DashLine);
  painter.setPen(outline);
  painter.setBrush(chipFill(chip));
  const qreal inset = outline.widthF() / 2;
  painter.drawRoundedRect(QRectF(rect).adjusted(inset, inset, -inset, -inset), kCornerRadius,
                          kCornerRadius);

  const QFont textFont = scaledFont(
      font(), kTextScale, chip.kind == ChipKind::Special || chip.kind == ChipKind::Masked);
  const QFont smallFont = scaledFont(font(), kSmallScale, false);
  const QFont captionFont = scaledFont(font(), kSmallScale, true);
  int y = rect.top() + kChipPaddingY;
  const int textHeight = QFontMetrics(textFont).height();
  painter.setFont(textFont);
  painter.setPen(chip.kind == ChipKind::Masked ? kindColour(chip.kind) : QColor(20, 20, 20));
  painter.drawText(QRect(rect.left(), y, rect.width(), textHeight), Qt::AlignCenter, chip.text);
  y += textHeight + kLineGap;
  const int smallHeight = QFontMetrics(smallFont).height();
  if (showIds_) {
    if (chip.id >= 0) {
      painter.setFont(smallFont);
      painter.setPen(QColor(90, 90, 90));
      painter.drawText(QRect(rect.left(), y, rect.width(), smallHeight), Qt::AlignCenter,
                       QString::number(chip.id));
    }
    y += smallHeight + kLineGap;
  }
  if (predicted) {
    painter.setFont(captionFont);
    painter.setPen(kindColour(chip.kind));
    painter.drawText(QRect(rect.left(), y, rect.width(), smallHeight), Qt::AlignCenter,
                     chipCaption(chip));
  }
}

void TokenChipsView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  if (chips_.isEmpty()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect().adjusted(kChipSpacing, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                     placeholder_);
    return;
  }
  const Layout layout = layoutFor(width());
  for (int i = 0; i < chips_.size(); ++i) paintChip(painter, chips_[i], layout.rects[i]);
}

bool TokenChipsView::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    const auto* help = static_cast<QHelpEvent*>(event);
    const QVector<QRect> rects = chipRects();
    for (int i = 0; i < rects.size(); ++i) {
      if (rects[i].contains(help->pos()) && !chips_[i].toolTip.isEmpty()) {
        QToolTip::showText(help->globalPos(), chips_[i].toolTip, this, rects[i]);
        return true;
      }
    }
    QToolTip::hideText();
    event->ignore();
    return true;
  }
  return QWidget::event(event);
}

}  // namespace bertwb::ui
