#pragma once
// A row of token "chips" that wraps like text: each chip shows a piece as the model sees it,
// its vocabulary id under it and, for a position the model must predict, what it was. The Data
// panel draws tokenization previews with it, the Masking panel whole pre-training instances
// and its legend. The colours live here too, so that chips, legend and plots always agree.
#include <QColor>
#include <QRect>
#include <QString>
#include <QVector>
#include <QWidget>

namespace bertwb::ui {

enum class ChipKind {
  Plain,           // an ordinary piece
  Special,         // [CLS], [SEP], [PAD]
  Unknown,         // [UNK]: the tokenizer had no piece for this text
  Masked,          // chosen for prediction and replaced by [MASK] (80%)
  RandomReplaced,  // chosen and replaced by a random vocabulary token (10%)
  KeptPredicted,   // chosen and left unchanged, yet still predicted (10%)
};

// Which segment a chip belongs to: the tokenization preview has none.
enum ChipSegment { kNoSegment = -1, kSegmentA = 0, kSegmentB = 1 };

struct TokenChip {
  QString text;  // what the model sees at this position
  int id = -1;   // vocabulary id (negative: no id line)
  ChipKind kind = ChipKind::Plain;
  int segment = kNoSegment;  // ChipSegment
  QString original;          // a predicted position's label: the token the model must predict
  QString toolTip;
};

bool isPredicted(ChipKind kind);
// The small line under a predicted chip: "dog → [MASK]", "dog → cat", "dog (kept)".
QString chipCaption(const TokenChip& chip);
// Fill by segment (specials grey, [UNK] pink); outline colour by what happened to the token.
QColor chipFill(const TokenChip& chip);
QColor kindColour(ChipKind kind);
QColor segmentColour(int segment);

class TokenChipsView : public QWidget {
  Q_OBJECT
 public:
  explicit TokenChipsView(QWidget* parent = nullptr);

  void setChips(QVector<TokenChip> chips);
  // What is drawn, chip by chip (tests read this).
  const QVector<TokenChip>& chips() const { return chips_; }
  // Where each chip lands at the current width, in widget coordinates.
  QVector<QRect> chipRects() const { return layoutFor(width()).rects; }
  // Hide the id line (the legend's sample chips have no ids).
  void setShowIds(bool show);
  // Text to show when there are no chips ("type a sentence…").
  void setPlaceholder(const QString& text);

  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  bool event(QEvent* event) override;  // per-chip tooltips

 private:
  struct Layout {
    QVector<QRect> rects;
    int height = 0;
  };
  Layout layoutFor(int width) const;
  QSize chipSize(const TokenChip& chip) const;
  int chipHeight() const;
  bool anyCaption() const;
  void paintChip(QPainter& painter, const TokenChip& chip, const QRect& rect) const;

  QVector<TokenChip> chips_;
  QString placeholder_;
  bool showIds_ = true;
};

}  // namespace bertwb::ui
