#pragma once
// A row of big numbers with a caption under each ("25,435 / sentences"): the few figures a
// lecture hall should read from the back row.
#include <QList>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace bertwb::ui {

class StatTiles : public QWidget {
  Q_OBJECT
 public:
  struct Tile {
    QString value;    // "25,435"
    QString caption;  // "sentences"
    QString toolTip;
  };

  explicit StatTiles(QWidget* parent = nullptr);
  void setTiles(const QList<Tile>& tiles);  // an empty list hides the row
  // "25,435 sentences · 254,790 tokens", for tests and accessibility.
  QString text() const;

 private:
  QList<Tile> tiles_;
  QHBoxLayout* layout_;
  QList<QLabel*> labels_;
};

}  // namespace bertwb::ui
