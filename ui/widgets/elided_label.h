#pragma once
// A one-line label that never widens its window: text longer than the room it gets is elided
// (in the middle by default, so a path keeps its start and its last folder), with the full
// text as the tooltip. For status lines, run folders and model names, whose length the user
// does not control.
#include <QLabel>
#include <QString>

namespace bertwb::ui {

class ElidedLabel : public QLabel {
  Q_OBJECT
 public:
  explicit ElidedLabel(QWidget* parent = nullptr, Qt::TextElideMode mode = Qt::ElideMiddle);
  ElidedLabel(const QString& text, QWidget* parent, Qt::TextElideMode mode = Qt::ElideMiddle);

  // Use these, not QLabel::setText/text, which hold the elided text shown.
  void setFullText(const QString& text);
  QString fullText() const { return fullText_; }

  QSize sizeHint() const override;         // the whole text on one line
  QSize minimumSizeHint() const override;  // a few characters: the window decides the width

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void showElided();

  QString fullText_;
  Qt::TextElideMode mode_;
};

}  // namespace bertwb::ui
