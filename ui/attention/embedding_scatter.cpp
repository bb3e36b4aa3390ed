#include "attention/embedding_scatter.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <map>

#include "widgets/picture_export.h"
#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {

namespace {

constexpr int kHoverRadiusPixels = 10;
constexpr double kPointSize = 8;
constexpr double kRangeMargin = 0.12;  // room around the points for their labels

}  // namespace

QColor scatterGroupColour(int index) {
  // Tableau's 10 plus two: distinct hues that stay readable on white.
  static const QColor palette[] = {
      QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
      QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
      QColor(188, 189, 34),  QColor(23, 190, 207), QColor(0, 0, 128),     QColor(128, 64, 0)};
  constexpr int size = sizeof(palette) / sizeof(palette[0]);
  return palette[((index % size) + size) % size];
}

EmbeddingScatter::EmbeddingScatter(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setMouseTracking(true);
  plot_->installEventFilter(this);
  plot_->setMinimumSize(320, 240);
  plot_->plotLayout()->insertRow(0);
  QFont titleFont = font();
  titleFont.setBold(true);
  plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, QString(), titleFont));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  // Before each drawing (a zoom, a pan, a resize moves the points apart or together), the
  // labels that would cover one already placed are hidden; hover still names their points.
  connect(plot_, &QCustomPlot::beforeReplot, this, &EmbeddingScatter::hideOverlappingLabels);
}

QRect EmbeddingScatter::labelRect(const QCPItemText* text) const {
  const QPointF at = text->position->pixelPosition();
  const QFontMetrics metrics(text->font());
  const QMargins padding = text->padding();
  const int width = metrics.horizontalAdvance(text->text()) + padding.left() + padding.right();
  const int height = metrics.height() + padding.top() + padding.bottom();
  // Aligned left and bottom at its point (setPoints).
  return QRect(static_cast<int>(at.x()), static_cast<int>(at.y()) - height, width, height);
}

void EmbeddingScatter::hideOverlappingLabels() {
  if (plot_->itemCount() == 0) return;
  // Pixel positions need the axis rect's geometry: lay the plot out first.
  plot_->plotLayout()->update(QCPLayoutElement::upPreparation);
  plot_->plotLayout()->update(QCPLayoutElement::upMargins);
  plot_->plotLayout()->update(QCPLayoutElement::upLayout);
  QVector<QRect> placed;
  for (int i = 0; i < plot_->itemCount(); ++i) {
    auto* text = qobject_cast<QCPItemText*>(plot_->item(i));
    if (!text) continue;
    const QRect box = labelRect(text);
    const bool free = std::none_of(placed.begin(), placed.end(),
                                   [&box](const QRect& other) { return other.intersects(box); });
    text->setVisible(free);
    if (free) placed << box;
  }
}

QVector<QRect> EmbeddingScatter::visibleLabelRects() const {
  QVector<QRect> boxes;
  for (int i = 0; i < plot_->itemCount(); ++i)
    if (auto* text = qobject_cast<QCPItemText*>(plot_->item(i)); text && text->visible())
      boxes << labelRect(text);
  return boxes;
}

void EmbeddingScatter::clear() {
  setPoints({}, QString(), QString(), QString());
}

void EmbeddingScatter::setPoints(const std::vector<ScatterPoint>& points, const QString& xLabel,
                                 const QString& yLabel, const QString& title) {
  points_ = points;
  title_ = title;
  plot_->clearGraphs();
  plot_->clearItems();
  if (auto* titleElement = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0)))
    titleElement->setText(title);
  plot_->xAxis->setLabel(xLabel);
  plot_->yAxis->setLabel(yLabel);

  // One graph per group: a colour and a legend-free scatter style.
  std::map<int, QCPGraph*> graphs;
  for (const ScatterPoint& point : points_) {
    QCPGraph*& graph = graphs[point.group];
    if (!graph) {
      graph = plot_->addGraph();
      graph->setLineStyle(QCPGraph::lsNone);
      const QColor colour = scatterGroupColour(point.group);
      graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, kPointSize));
    }
    // addData sorts by key: fine, the graphs draw unconnected points.
    graph->addData(point.x, point.y);
  }
  const bool labelled = static_cast<int>(points_.size()) <= kMaxLabelledPoints;
  QFont labelFont = font();
  labelFont.setPointSize(8);
  for (const ScatterPoint& point : points_) {
    if (!labelled || point.label.isEmpty()) break;
    auto* text = new QCPItemText(plot_);
    text->position->setCoords(point.x, point.y);
    text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    text->setPadding(QMargins(5, 0, 0, 2));
    text->setFont(labelFont);
    text->setColor(scatterGroupColour(point.group).darker(140));
    text->setText(point.label);
    text->setClipToAxisRect(true);
  }
  if (!points_.empty()) {
    const auto [minX, maxX] = std::minmax_element(
        points_.begin(), points_.end(), [](const auto& a, const auto& b) { return a.x < b.x; });
    const auto [minY, maxY] = std::minmax_element(
        points_.begin(), points_.end(), [](const auto& a, const auto& b) { return a.y < b.y; });
    const double spanX = std::max(maxX->x - minX->x, 1e-6),
                 spanY = std::max(maxY->y - minY->y, 1e-6);
    // Labels run to the right of their points: a little more room on that side.
    plot_->xAxis->setRange(minX->x - kRangeMargin * spanX, maxX->x + 2.5 * kRangeMargin * spanX);
    plot_->yAxis->setRange(minY->y - kRangeMargin * spanY, maxY->y + kRangeMargin * spanY);
  }
  plot_->replot();
}

int EmbeddingScatter::pointCount() const {
  int count = 0;
  for (int i = 0; i < plot_->graphCount(); ++i) count += plot_->graph(i)->dataCount();
  return count;
}

int EmbeddingScatter::labelCount() const {
  return plot_->itemCount();
}

int EmbeddingScatter::pointAt(const QPoint& plotPosition) const {
  int nearest = -1;
  double best = kHoverRadiusPixels * kHoverRadiusPixels;
  for (size_t i = 0; i < points_.size(); ++i) {
    const double dx = plot_->xAxis->coordToPixel(points_[i].x) - plotPosition.x();
    const double dy = plot_->yAxis->coordToPixel(points_[i].y) - plotPosition.y();
    if (dx * dx + dy * dy <= best) {
      best = dx * dx + dy * dy;
      nearest = static_cast<int>(i);
    }
  }
  return nearest;
}

bool EmbeddingScatter::eventFilter(QObject* watched, QEvent* event) {
  if (watched == plot_ &&
      (event->type() == QEvent::MouseMove || event->type() == QEvent::ToolTip)) {
    QPoint at, global;
    if (event->type() == QEvent::MouseMove) {
      auto* mouse = static_cast<QMouseEvent*>(event);
      at = mouse->position().toPoint();
      global = mouse->globalPosition().toPoint();
    } else {
      auto* help = static_cast<QHelpEvent*>(event);
      at = help->pos();
      global = help->globalPos();
    }
    const int index = pointAt(at);
    if (index >= 0)
      QToolTip::showText(global, points_[index].tooltip, plot_);
    else
      QToolTip::hideText();
    if (event->type() == QEvent::ToolTip) return true;
  }
  return QWidget::eventFilter(watched, event);
}

bool EmbeddingScatter::exportPng(const QString& path, QString* error) {
  return savePlotPng(*plot_, path, error);
}

bool EmbeddingScatter::exportSvg(const QString& path, QString* error) {
  return savePlotSvg(*plot_, path, title_, error);
}

}  // namespace bertwb::ui
