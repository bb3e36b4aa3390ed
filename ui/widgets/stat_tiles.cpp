#include "widgets/stat_tiles.h"

#include <QHBoxLayout>
#include <QLabel>

namespace bertwb::ui {
namespace {

constexpr double kValueScale = 1.8;  // the number, relative to the window's font
const char* const kTileStyle =
    "QLabel { background: white; border: 1px solid #d4d9e0; border-radius: 6px; padding: 6px; }";

}  // namespace

StatTiles::StatTiles(QWidget* parent) : QWidget(parent) {
  layout_ = new QHBoxLayout(this);
  layout_->setContentsMargins(0, 0, 0, 0);
}

void StatTiles::setTiles(const QList<Tile>& tiles) {
  tiles_ = tiles;
  qDeleteAll(labels_);
  labels_.clear();
  const int valuePoints = static_cast<int>(font().pointSizeF() * kValueScale);
  for (const Tile& tile : tiles) {
    auto* label = new QLabel(this);
    label->setAlignment(Qt::AlignCenter);
    label->setStyleSheet(QString::fromLatin1(kTileStyle));
    label->setText(QStringLiteral("<span style='font-size:%1pt; font-weight:600'>%2</span><br>%3")
                       .arg(valuePoints)
                       .arg(tile.value.toHtmlEscaped(), tile.caption.toHtmlEscaped()));
    label->setToolTip(tile.toolTip);
    layout_->addWidget(label, 1);
    labels_ << label;
  }
  setVisible(!tiles.isEmpty());
}

QString StatTiles::text() const {
  QStringList parts;
  for (const Tile& tile : tiles_) parts << tile.value + QLatin1Char(' ') + tile.caption;
  return parts.join(QStringLiteral(" · "));
}

}  // namespace bertwb::ui
