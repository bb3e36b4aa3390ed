#include "attention/attention_grid.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

#include "attention/attention_colours.h"
#include "widgets/picture_export.h"
#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {

namespace {

// A picture's side: at least big enough to see diagonals and [SEP] columns (96), and no
// bigger than a glance needs when a small model leaves the window mostly empty (240).
constexpr int kMinThumbnailPixels = 96;
constexpr int kMaxThumbnailPixels = 240;
constexpr int kSpacing = 12;
constexpr int kLayerLabelWidth = 64;
constexpr int kHeaderHeight = 24;

QImage headPicture(const AttentionSelection& selection) {
  if (selection.empty()) return QImage();
  QImage image(selection.columns(), selection.rows(), QImage::Format_RGB32);
  const double top = selection.maxValue > 0 ? selection.maxValue : 1.0;
  for (int r = 0; r < selection.rows(); ++r)
    for (int c = 0; c < selection.columns(); ++c)
      image.setPixel(c, r, attentionColour(selection.at(r, c) / top).rgb());
  return image;
}

}  // namespace

AttentionGrid::AttentionGrid(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setAutoFillBackground(true);
  QPalette background = palette();
  background.setColor(QPalette::Window, Qt::white);
  setPalette(background);
}

void AttentionGrid::setMaps(const AttentionMaps& maps, const AttentionViewOptions& options) {
  layers_ = maps.layers;
  heads_ = maps.heads;
  thumbnails_.clear();
  thumbnails_.reserve(static_cast<size_t>(layers_) * heads_);
  for (int layer = 0; layer < layers_; ++layer)
    for (int head = 0; head < heads_; ++head)
      thumbnails_.push_back(headPicture(selectAttention(maps, layer, head, options)));
  setMinimumHeight(sizeHint().height());
  updateGeometry();
  update();
}

void AttentionGrid::clear() {
  layers_ = heads_ = 0;
  thumbnails_.clear();
  setMinimumHeight(sizeHint().height());
  updateGeometry();
  update();
}

const QImage& AttentionGrid::thumbnail(int layer, int head) const {
  return thumbnails_.at(static_cast<size_t>(layer) * heads_ + head);
}

int AttentionGrid::thumbnailPixels() const {
  if (heads_ <= 0) return kMinThumbnailPixels;
  const int fit = (width() - kLayerLabelWidth - kSpacing) / heads_ - kSpacing;
  return std::clamp(fit, kMinThumbnailPixels, kMaxThumbnailPixels);
}

QRect AttentionGrid::thumbnailRect(int layer, int head) const {
  const int side = thumbnailPixels();
  return QRect(kLayerLabelWidth + head * (side + kSpacing),
               kHeaderHeight + layer * (side + kSpacing), side, side);
}

QSize AttentionGrid::sizeFor(int side) const {
  return QSize(kLayerLabelWidth + heads_ * (side + kSpacing) + kSpacing,
               kHeaderHeight + layers_ * (side + kSpacing) + kSpacing);
}

QSize AttentionGrid::sizeHint() const {
  return sizeFor(thumbnailPixels());
}
QSize AttentionGrid::minimumSizeHint() const {
  return sizeFor(kMinThumbnailPixels);
}

void AttentionGrid::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // Wider pictures need more rows of height: ask the scroll area for it.
  setMinimumHeight(sizeHint().height());
}

void AttentionGrid::setCurrent(int layer, int head) {
  currentLayer_ = layer;
  currentHead_ = head;
  update();
}

void AttentionGrid::paintContents(QPainter& painter, const QSize& size) const {
  painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  painter.setPen(QColor(60, 60, 60));
  for (int head = 0; head < heads_; ++head)
    painter.drawText(QRect(thumbnailRect(0, head).left(), 0, thumbnailPixels(), kHeaderHeight),
                     Qt::AlignCenter, tr("Head %1").arg(head + 1));
  for (int layer = 0; layer < layers_; ++layer) {
    const QRect first = thumbnailRect(layer, 0);
    painter.setPen(QColor(60, 60, 60));
    painter.drawText(QRect(0, first.top(), kLayerLabelWidth - 8, first.height()),
                     Qt::AlignRight | Qt::AlignVCenter, tr("Layer %1").arg(layer + 1));
    for (int head = 0; head < heads_; ++head) {
      const QRect box = thumbnailRect(layer, head);
      const QImage& picture = thumbnail(layer, head);
      if (!picture.isNull()) {
        // Nearest-neighbour scaling keeps each cell a crisp square; a non-square selection
        // (A→B) keeps its shape, centred in the box.
        const QSize scaled = picture.size().scaled(box.size(), Qt::KeepAspectRatio);
        const QRect target(box.center() - QPoint(scaled.width() / 2, scaled.height() / 2), scaled);
        painter.drawImage(target, picture);
      }
      const bool current = layer == currentLayer_ && head == currentHead_;
      painter.setPen(current ? QPen(QColor(214, 96, 0), 3) : QPen(QColor(200, 200, 200), 1));
      painter.drawRect(box.adjusted(-1, -1, 0, 0));
    }
  }
}

void AttentionGrid::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paintContents(painter, size());
}

bool AttentionGrid::headAt(const QPoint& point, int* layer, int* head) const {
  for (int l = 0; l < layers_; ++l)
    for (int h = 0; h < heads_; ++h)
      if (thumbnailRect(l, h).contains(point)) {
        *layer = l;
        *head = h;
        return true;
      }
  return false;
}

void AttentionGrid::mousePressEvent(QMouseEvent* event) {
  int layer = 0, head = 0;
  if (event->button() == Qt::LeftButton && headAt(event->position().toPoint(), &layer, &head)) {
    setCurrent(layer, head);
    Q_EMIT headChosen(layer, head);
  }
}

void AttentionGrid::mouseMoveEvent(QMouseEvent* event) {
  int layer = 0, head = 0;
  const bool over = headAt(event->position().toPoint(), &layer, &head);
  setCursor(over ? Qt::PointingHandCursor : Qt::ArrowCursor);
  if (over)
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("Layer %1, head %2: click to open").arg(layer + 1).arg(head + 1), this);
}

bool AttentionGrid::exportPng(const QString& path, QString* error) {
  const QSize exportSize = sizeHint();
  return savePicturePng(
      path, exportSize,
      [this, exportSize](QCPPainter& painter) { paintContents(painter, exportSize); }, error);
}

bool AttentionGrid::exportSvg(const QString& path, QString* error) {
  const QSize exportSize = sizeHint();
  return savePictureSvg(
      path, exportSize, tr("Attention heads"),
      [this, exportSize](QCPPainter& painter) { paintContents(painter, exportSize); }, error);
}

}  // namespace bertwb::ui
