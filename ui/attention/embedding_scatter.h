#pragma once
// The Embedding stage's picture: points on the first two principal components, each with a
// short text label (when there are few enough to read, and none covering another) and a tooltip
// with the whole story on hover. Points of one group (one sentence and its pieces) share a colour.
// Drag pans and the wheel zooms.
#include <QRect>
#include <QString>
#include <QVector>
#include <QWidget>
#include <vector>

class QCPItemText;
class QCustomPlot;

namespace bertwb::ui {

struct ScatterPoint {
  double x = 0, y = 0;
  QString label;    // drawn next to the point
  QString tooltip;  // shown on hover
  int group = 0;    // colour
};

// Above this many points the labels would cover each other: only hover tells them apart.
constexpr int kMaxLabelledPoints = 160;

class EmbeddingScatter : public QWidget {
  Q_OBJECT
 public:
  explicit EmbeddingScatter(QWidget* parent = nullptr);

  void setPoints(const std::vector<ScatterPoint>& points, const QString& xLabel,
                 const QString& yLabel, const QString& title);
  void clear();
  int pointCount() const;  // data points in the plot's graphs
  int labelCount() const;  // text labels made (some may be hidden: see below)
  // Where the labels shown are drawn, in plot pixels: a label that would cover another is
  // hidden (its point still names itself on hover), so these never overlap.
  QVector<QRect> visibleLabelRects() const;
  const std::vector<ScatterPoint>& points() const { return points_; }
  // The point nearest to `plotPosition` within a few pixels; -1 when none.
  int pointAt(const QPoint& plotPosition) const;

  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportSvg(const QString& path, QString* error = nullptr);
  QCustomPlot* plot() const { return plot_; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void hideOverlappingLabels();
  QRect labelRect(const QCPItemText* text) const;

  QCustomPlot* plot_;
  std::vector<ScatterPoint> points_;
  QString title_;
};

// The colour of group `index` (a palette that repeats after a dozen groups).
QColor scatterGroupColour(int index);

}  // namespace bertwb::ui
