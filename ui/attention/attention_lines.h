#pragma once
// One head's attention as lines between two columns of pieces (the attending pieces on the
// left, the attended ones on the right), each line as opaque and thick as its weight, the
// way bertviz draws it. Hovering a piece focuses its lines and fades the rest. The widget
// grows to one row per piece; put it in a QScrollArea so long inputs scroll.
#include <QString>
#include <QWidget>

#include "attention/attention_selection.h"

class QPainter;

namespace bertwb::ui {

class AttentionLines : public QWidget {
  Q_OBJECT
 public:
  enum class Side { None, Left, Right };

  explicit AttentionLines(QWidget* parent = nullptr);

  void setSelection(const AttentionSelection& selection, const QString& title);
  const AttentionSelection& selection() const { return selection_; }

  // Focus one piece's lines (what hovering does); Side::None shows them all.
  void setFocusPiece(Side side, int index);
  Side focusSide() const { return focusSide_; }
  int focusIndex() const { return focusIndex_; }
  // The lines drawn at full strength now (weights above the visibility floor).
  int visibleLineCount() const;
  // Where the piece `index` of a side sits (its label box), for tests and hit testing.
  QRect pieceRect(Side side, int index) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;
  void paintContents(QPainter& painter, const QSize& size) const;
  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportSvg(const QString& path, QString* error = nullptr);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void changeEvent(QEvent* event) override;  // a new font: new row heights

 private:
  int labelWidth() const;
  int rowHeight() const;
  int titleHeight() const;
  int contentHeight() const;
  QRect pieceRectIn(Side side, int index, int width) const;
  bool lineIsFocused(int row, int column) const;
  double lineStrength(int row, int column) const;  // 0..1: opacity and width of a line

  AttentionSelection selection_;
  QString title_;
  Side focusSide_ = Side::None;
  int focusIndex_ = -1;
};

}  // namespace bertwb::ui
