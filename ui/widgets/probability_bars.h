#pragma once
// Horizontal bars, one row per label: the name, a bar as long as the probability and the
// percentage. The first row drawn in the accent colour when it is the most probable, so the
// prediction reads at a glance. Used for classification labels and fill-mask candidates.
#include <QString>
#include <QWidget>
#include <vector>

namespace bertwb::ui {

class ProbabilityBars : public QWidget {
  Q_OBJECT
 public:
  struct Row {
    QString label;
    double probability = 0;  // 0..1
  };

  explicit ProbabilityBars(QWidget* parent = nullptr);

  // Rows in the order given; the most probable is highlighted.
  void setRows(std::vector<Row> rows);
  const std::vector<Row>& rows() const { return rows_; }
  void setTitle(const QString& title);  // a caption above the rows ("" for none)

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  int labelColumnWidth() const;

  std::vector<Row> rows_;
  QString title_;
};

}  // namespace bertwb::ui
