#pragma once
// One head's attention as a heatmap (QCPColorMap): rows are the attending pieces, columns the
// pieces attended to, both axes labelled with the pieces. Cells never shrink below a readable
// size: a long input makes the plot larger than the window and the scroll area scrolls; the
// zoom (Ctrl+wheel or the panel's buttons) scales the cells. Hovering a cell tells
// "from → to: weight".
#include <QString>
#include <QWidget>

#include "attention/attention_selection.h"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QScrollArea;

namespace bertwb::ui {

class AttentionHeatmap : public QWidget {
  Q_OBJECT
 public:
  explicit AttentionHeatmap(QWidget* parent = nullptr);

  void setSelection(const AttentionSelection& selection, const QString& title);
  const AttentionSelection& selection() const { return selection_; }
  // The colour map's data size: the number of displayed rows (value axis) and columns (key axis).
  int rowCount() const;
  int columnCount() const;

  double zoom() const { return zoom_; }
  void setZoom(double zoom);
  void zoomIn();
  void zoomOut();
  int cellPixels() const;  // the side of one cell on screen at the current zoom

  // "the → cat: 0.412" for a displayed cell; empty outside the matrix.
  QString cellDescription(int row, int column) const;
  // The displayed cell under a point of the plot widget; false outside the matrix.
  bool cellAt(const QPoint& plotPosition, int* row, int* column) const;

  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportSvg(const QString& path, QString* error = nullptr);
  QCustomPlot* plot() const { return plot_; }

 Q_SIGNALS:
  void zoomChanged(double zoom);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void rebuildPlot();
  void resizePlot();
  void showCellTip(const QPoint& plotPosition, const QPoint& globalPosition);

  QScrollArea* scroll_;
  QCustomPlot* plot_;
  QCPColorMap* map_;
  QCPColorScale* scale_;
  AttentionSelection selection_;
  QString title_;
  double zoom_ = 1.0;
};

}  // namespace bertwb::ui
