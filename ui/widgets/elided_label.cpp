#include "widgets/elided_label.h"

#include <QFontMetrics>
#include <QResizeEvent>
#include <algorithm>

namespace bertwb::ui {
namespace {

constexpr int kMinimumCharacters = 12;  // enough to show what the text is about

}  // namespace

ElidedLabel::ElidedLabel(QWidget* parent, Qt::TextElideMode mode) : QLabel(parent), mode_(mode) {
  setTextFormat(Qt::PlainText);
  setWordWrap(false);
  // Wants the whole text, shrinks to minimumSizeHint() when the window has less room.
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

ElidedLabel::ElidedLabel(const QString& text, QWidget* parent, Qt::TextElideMode mode)
    : ElidedLabel(parent, mode) {
  setFullText(text);
}

void ElidedLabel::setFullText(const QString& text) {
  if (text == fullText_ && !QLabel::text().isEmpty()) return;
  fullText_ = text;
  showElided();
  updateGeometry();
}

QSize ElidedLabel::sizeHint() const {
  const QFontMetrics metrics(font());
  const QMargins margins = contentsMargins();
  return {metrics.horizontalAdvance(fullText_) + margins.left() + margins.right() + 2 * margin(),
          QLabel::sizeHint().height()};
}

QSize ElidedLabel::minimumSizeHint() const {
  const QFontMetrics metrics(font());
  const int characters = std::min<int>(kMinimumCharacters, fullText_.size());
  return {metrics.averageCharWidth() * characters, QLabel::minimumSizeHint().height()};
}

void ElidedLabel::resizeEvent(QResizeEvent* event) {
  QLabel::resizeEvent(event);
  showElided();
}

void ElidedLabel::showElided() {
  const QFontMetrics metrics(font());
  const int room = contentsRect().width() - 2 * margin();
  const QString shown = metrics.elidedText(fullText_, mode_, std::max(room, 0));
  QLabel::setText(shown);
  setToolTip(shown == fullText_ ? QString() : fullText_);
}

}  // namespace bertwb::ui
