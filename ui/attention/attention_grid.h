#pragma once
// Every head of every layer at once: a grid of small pictures (rows: layers, columns: heads)
// of each head's matrix under the same options as the big views, so patterns (attend to the
// next piece, to [SEP], to itself, broadly) are spotted at a glance. Clicking a picture asks
// for that head in the big views. The widget grows with the model; put it in a QScrollArea.
#include <QImage>
#include <QString>
#include <QWidget>
#include <vector>

#include "attention/attention_selection.h"

class QPainter;

namespace bertwb::ui {

class AttentionGrid : public QWidget {
  Q_OBJECT
 public:
  explicit AttentionGrid(QWidget* parent = nullptr);

  // Draws every head of `maps` cut down by `options`.
  void setMaps(const AttentionMaps& maps, const AttentionViewOptions& options);
  void clear();
  int layers() const { return layers_; }
  int heads() const { return heads_; }
  int thumbnailCount() const { return static_cast<int>(thumbnails_.size()); }
  QRect thumbnailRect(int layer, int head) const;
  // The picture of one head, one pixel per displayed cell.
  const QImage& thumbnail(int layer, int head) const;

  void setCurrent(int layer, int head);  // outlined in the grid
  int currentLayer() const { return currentLayer_; }
  int currentHead() const { return currentHead_; }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;
  int thumbnailPixels() const;  // the side of one picture: larger when few heads leave room
  void paintContents(QPainter& painter, const QSize& size) const;
  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportSvg(const QString& path, QString* error = nullptr);

 Q_SIGNALS:
  void headChosen(int layer, int head);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  bool headAt(const QPoint& point, int* layer, int* head) const;
  QSize sizeFor(int side) const;

  int layers_ = 0, heads_ = 0;
  std::vector<QImage> thumbnails_;  // layer-major: [layer · heads + head]
  int currentLayer_ = -1, currentHead_ = -1;
};

}  // namespace bertwb::ui
