#include "attention/attention_heatmap.h"

#include <QFontMetrics>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "attention/attention_colours.h"
#include "widgets/picture_export.h"
#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {

namespace {

// Cell sides in pixels at zoom 1: never below what a 9 pt label needs to stay apart from its
// neighbours, and never above what still looks like a matrix on a short sentence.
constexpr int kMinCellPixels = 20;
constexpr int kMaxCellPixels = 44;
constexpr double kMinZoom = 0.5, kMaxZoom = 4.0, kZoomStep = 1.25;
constexpr int kLabelPadding = 14;  // between the longest tick label and the plot edge
constexpr int kScaleWidth = 70;    // the colour scale with its tick labels
constexpr int kLayoutSpacing = 5;  // QCPLayoutGrid's default column/row spacing
constexpr int kTickLabelPointSize = 9;
constexpr int kSmallestTickLabelPointSize = 5;

QString pieceText(const std::string& piece) {
  return QString::fromStdString(piece);
}

QCPColorGradient attentionGradient() {
  QCPColorGradient gradient;
  gradient.clearColorStops();
  gradient.setColorStopAt(0.0, attentionLowColour());
  gradient.setColorStopAt(0.5, attentionMidColour());
  gradient.setColorStopAt(1.0, attentionHighColour());
  gradient.setLevelCount(256);
  return gradient;
}

QSharedPointer<QCPAxisTickerText> pieceTicker(const std::vector<std::string>& labels) {
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  for (size_t i = 0; i < labels.size(); ++i)
    ticker->addTick(static_cast<double>(i), pieceText(labels[i]));
  return ticker;
}

int widestLabel(const QFontMetrics& metrics, const std::vector<std::string>& labels) {
  int widest = 0;
  for (const std::string& label : labels)
    widest = std::max(widest, metrics.horizontalAdvance(pieceText(label)));
  return widest;
}

}  // namespace

AttentionHeatmap::AttentionHeatmap(QWidget* parent) : QWidget(parent) {
  scroll_ = new QScrollArea(this);
  scroll_->setWidgetResizable(false);
  scroll_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  scroll_->setFrameShape(QFrame::NoFrame);
  plot_ = new QCustomPlot;
  plot_->setMouseTracking(true);
  plot_->installEventFilter(this);
  scroll_->setWidget(plot_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(scroll_);

  QFont tickFont = font();
  tickFont.setPointSize(kTickLabelPointSize);
  plot_->xAxis->setTickLabelFont(tickFont);
  plot_->yAxis->setTickLabelFont(tickFont);
  plot_->xAxis->setTickLabelRotation(90);
  plot_->yAxis->setRangeReversed(true);  // the first piece on top, as text reads
  for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
    axis->grid()->setVisible(false);
    axis->setSubTicks(false);
    axis->setTickLength(0, 3);
  }
  plot_->axisRect()->setAutoMargins(QCP::msNone);

  map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
  map_->setInterpolate(false);
  map_->setTightBoundary(false);
  scale_ = new QCPColorScale(plot_);
  scale_->setType(QCPAxis::atRight);
  scale_->setBarWidth(14);
  scale_->axis()->setLabel(tr("attention weight"));
  scale_->setMinimumSize(QSize(kScaleWidth, 0));
  scale_->setMaximumSize(QSize(kScaleWidth, QWIDGETSIZE_MAX));
  scale_->setAutoMargins(QCP::msNone);
  plot_->plotLayout()->addElement(0, 1, scale_);
  map_->setColorScale(scale_);
  // After linking: the map takes the scale's gradient (QCustomPlot's default, gpCold) otherwise.
  scale_->setGradient(attentionGradient());
  plot_->plotLayout()->insertRow(0);
  QFont titleFont = font();
  titleFont.setBold(true);
  plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, QString(), titleFont));
  rebuildPlot();
}

int AttentionHeatmap::rowCount() const {
  return selection_.empty() ? 0 : selection_.rows();
}
int AttentionHeatmap::columnCount() const {
  return selection_.empty() ? 0 : selection_.columns();
}

void AttentionHeatmap::setSelection(const AttentionSelection& selection, const QString& title) {
  selection_ = selection;
  title_ = title;
  rebuildPlot();
}

void AttentionHeatmap::rebuildPlot() {
  auto* titleElement = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0));
  if (titleElement) titleElement->setText(title_);
  const int rows = selection_.empty() ? 0 : selection_.rows();
  const int columns = selection_.empty() ? 0 : selection_.columns();
  // QCPColorMap gives a single cell no width (cell size = range / (size - 1)): one row or
  // column is stored twice over half a unit, so it still covers -0.5 .. 0.5.
  const int keySize = std::max(columns == 1 ? 2 : columns, 1);
  const int valueSize = std::max(rows == 1 ? 2 : rows, 1);
  map_->data()->setSize(keySize, valueSize);
  map_->data()->setRange(
      columns == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, std::max(columns - 1, 1)),
      rows == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, std::max(rows - 1, 1)));
  map_->data()->fill(0);
  for (int k = 0; k < keySize && columns > 0; ++k)
    for (int v = 0; v < valueSize && rows > 0; ++v)
      map_->data()->setCell(k, v, selection_.at(std::min(v, rows - 1), std::min(k, columns - 1)));
  map_->setVisible(rows > 0 && columns > 0);
  // The scale runs from 0 to the largest weight shown, so a head that spreads its attention
  // thinly still shows contrast; the colour scale tells the real numbers.
  map_->setDataRange(QCPRange(0, selection_.maxValue > 0 ? selection_.maxValue : 1.0));
  plot_->xAxis->setTicker(pieceTicker(selection_.columnLabels));
  plot_->yAxis->setTicker(pieceTicker(selection_.rowLabels));
  plot_->xAxis->setRange(-0.5, std::max(columns, 1) - 0.5);
  plot_->yAxis->setRange(-0.5, std::max(rows, 1) - 0.5);
  resizePlot();
}

int AttentionHeatmap::cellPixels() const {
  const int rows = std::max(rowCount(), 1), columns = std::max(columnCount(), 1);
  const QFontMetrics metrics(plot_->yAxis->tickLabelFont());
  const int left = widestLabel(metrics, selection_.rowLabels) + kLabelPadding;
  const int bottom = widestLabel(metrics, selection_.columnLabels) + kLabelPadding;
  const QSize room = scroll_->viewport()->size();
  const int fitWidth = (room.width() - left - kScaleWidth - 3 * kLayoutSpacing) / columns;
  const int fitHeight = (room.height() - bottom - 40) / rows;
  const int fit = std::clamp(std::min(fitWidth, fitHeight), kMinCellPixels, kMaxCellPixels);
  return std::max(1, static_cast<int>(std::lround(fit * zoom_)));
}

void AttentionHeatmap::resizePlot() {
  // Zoomed out below the readable cell size, the labels shrink with the cells instead of
  // overlapping (the grid of all heads is the place for a whole-matrix overview anyway).
  QFont tickFont = plot_->yAxis->tickLabelFont();
  const int pointSize = zoom_ >= 1.0
                            ? kTickLabelPointSize
                            : std::max(kSmallestTickLabelPointSize,
                                       static_cast<int>(kTickLabelPointSize * zoom_ + 0.5));
  if (tickFont.pointSize() != pointSize) {
    tickFont.setPointSize(pointSize);
    plot_->xAxis->setTickLabelFont(tickFont);
    plot_->yAxis->setTickLabelFont(tickFont);
  }
  const QFontMetrics metrics(tickFont);
  const int left = widestLabel(metrics, selection_.rowLabels) + kLabelPadding;
  const int bottom = widestLabel(metrics, selection_.columnLabels) + kLabelPadding;
  const int top = 6, right = 8;
  plot_->axisRect()->setMargins(QMargins(left, top, right, bottom));
  scale_->setMargins(QMargins(0, top, 0, bottom));
  const int cell = cellPixels();
  const int titleHeight = QFontMetrics(font()).height() + 12;
  const int width = left + cell * std::max(columnCount(), 1) + right + kLayoutSpacing + kScaleWidth;
  const int height = titleHeight + kLayoutSpacing + top + cell * std::max(rowCount(), 1) + bottom;
  plot_->setFixedSize(width, height);
  plot_->replot();
}

void AttentionHeatmap::setZoom(double zoom) {
  zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
  if (zoom == zoom_) return;
  zoom_ = zoom;
  resizePlot();
  Q_EMIT zoomChanged(zoom_);
}

void AttentionHeatmap::zoomIn() {
  setZoom(zoom_ * kZoomStep);
}
void AttentionHeatmap::zoomOut() {
  setZoom(zoom_ / kZoomStep);
}

QString AttentionHeatmap::cellDescription(int row, int column) const {
  if (selection_.empty() || row < 0 || column < 0 || row >= selection_.rows() ||
      column >= selection_.columns())
    return QString();
  return QStringLiteral("%1 → %2: %3")
      .arg(pieceText(selection_.rowLabels[row]), pieceText(selection_.columnLabels[column]))
      .arg(selection_.at(row, column), 0, 'f', 3);
}

bool AttentionHeatmap::cellAt(const QPoint& plotPosition, int* row, int* column) const {
  if (selection_.empty() || !plot_->axisRect()->rect().contains(plotPosition)) return false;
  const int c = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(plotPosition.x())));
  const int r = static_cast<int>(std::lround(plot_->yAxis->pixelToCoord(plotPosition.y())));
  if (r < 0 || c < 0 || r >= selection_.rows() || c >= selection_.columns()) return false;
  *row = r;
  *column = c;
  return true;
}

void AttentionHeatmap::showCellTip(const QPoint& plotPosition, const QPoint& globalPosition) {
  int row = 0, column = 0;
  if (cellAt(plotPosition, &row, &column))
    QToolTip::showText(globalPosition, cellDescription(row, column), plot_);
  else
    QToolTip::hideText();
}

bool AttentionHeatmap::eventFilter(QObject* watched, QEvent* event) {
  if (watched != plot_) return QWidget::eventFilter(watched, event);
  if (event->type() == QEvent::MouseMove) {
    auto* mouse = static_cast<QMouseEvent*>(event);
    showCellTip(mouse->position().toPoint(), mouse->globalPosition().toPoint());
  } else if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    showCellTip(help->pos(), help->globalPos());
    return true;
  } else if (event->type() == QEvent::Wheel) {
    // Ctrl+wheel zooms; the plain wheel scrolls (Shift: sideways), as in an image viewer.
    auto* wheel = static_cast<QWheelEvent*>(event);
    const int delta = wheel->angleDelta().y();
    if (wheel->modifiers() & Qt::ControlModifier) {
      if (delta > 0) zoomIn();
      if (delta < 0) zoomOut();
    } else {
      QScrollBar* bar = (wheel->modifiers() & Qt::ShiftModifier) ? scroll_->horizontalScrollBar()
                                                                 : scroll_->verticalScrollBar();
      bar->setValue(bar->value() - delta / 2);
    }
    return true;
  }
  return QWidget::eventFilter(watched, event);
}

void AttentionHeatmap::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  resizePlot();
}

bool AttentionHeatmap::exportPng(const QString& path, QString* error) {
  return savePlotPng(*plot_, path, error);
}

bool AttentionHeatmap::exportSvg(const QString& path, QString* error) {
  return savePlotSvg(*plot_, path, title_, error);
}

}  // namespace bertwb::ui
