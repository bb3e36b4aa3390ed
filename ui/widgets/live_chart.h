#pragma once
// What every live training chart shares: one QCustomPlot of stacked panes on one optimizer-
// step axis, each pane with its legend inside; at most ~30 repaints a second however fast
// points arrive (a timer replots only when something changed); following the newest step
// until the user drags or zooms (double-click or Fit follows again); earlier runs of the
// workspace overlaid as dashed lines from a "Compare with" menu; and Export (PNG, PDF, and CSV
// where the chart keeps numbers to write). The pre-training and fine-tuning charts derive
// from it and add their panes and series.
#include <QHash>
#include <QPen>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPLegend;
class QHBoxLayout;
class QLabel;
class QToolButton;

namespace bertwb::ui {

class LiveChart : public QWidget {
  Q_OBJECT
 public:
  // Runs under `runsFolder` (folders with a metrics.jsonl) are offered for comparison;
  // `currentRun` (a folder or its name) is left out.
  void setRunsFolder(const QString& runsFolder, const QString& currentRun = QString());
  // Overlays a finished or stopped run as dashed lines; false when it has no metrics.
  bool addOverlay(const QString& runFolder);
  void removeOverlay(const QString& runFolder);
  QStringList overlays() const { return overlays_.keys(); }

  bool exportPng(const QString& path);
  bool exportPdf(const QString& path);
  // The chart's numbers as CSV; false when it cannot write (or keeps none).
  virtual bool exportCsv(const QString& path);

  // Back to showing all points and following the newest after the user zoomed or panned.
  void fitToData();
  // Draws what has arrived now instead of at the next frame (a run just ended).
  void replotNow();
  int replotCount() const { return replots_; }

  // "What this plot means", under the chart (rich text; empty hides it).
  void setCaption(const QString& html);
  QString caption() const;

 protected:
  explicit LiveChart(QWidget* parent = nullptr);

  QCustomPlot* plot() const { return plot_; }
  // Appends a pane below the others; its legend sits in `legendCorner`. The last pane added
  // carries the step axis's label.
  QCPAxisRect* addPane(const QString& label, int stretch,
                       Qt::Alignment legendCorner = Qt::AlignTop | Qt::AlignRight);
  static QCPLegend* legendOf(QCPAxisRect* pane);
  QCPGraph* addGraph(QCPAxisRect* pane, const QPen& pen, const QString& legendName = QString());
  const QVector<QCPAxisRect*>& panes() const { return panes_; }
  // A widget for the left of the tool row (the log-scale switch, say).
  void addTool(QWidget* tool);
  void setCsvExport(bool available);

  void markDirty();
  bool following() const { return following_; }
  // The values of every graph in `pane` that has data (positive ones for a log axis).
  static bool valueRange(QCPAxisRect* pane, double& lower, double& upper);

  // The derived chart's part of an overlay: graphs drawn with `pen` from the run's
  // metrics.jsonl, the ones to list in a legend added there. Empty when it has no metrics.
  virtual QVector<QCPGraph*> makeOverlay(const QString& runFolder, const QPen& pen) = 0;
  // Fits the value axes to the data while following (the step axis is the base's).
  virtual void fitValueAxes() = 0;
  // Whether `runFolder` may be overlaid on this chart; when not, `why` says so for its menu
  // entry ("another metric: f1"). Every run may, unless a chart knows better.
  virtual bool canOverlay(const QString& runFolder, QString* why) const;

 private:
  void fillCompareMenu();
  void exportWithDialog(const QString& format);
  void replotIfDirty();

  QCustomPlot* plot_;
  QLabel* caption_;
  QVector<QCPAxisRect*> panes_;
  QHBoxLayout* tools_;
  QToolButton* compareButton_;
  QToolButton* exportButton_;
  bool csvExport_ = false;
  QHash<QString, QVector<QCPGraph*>> overlays_;  // run folder → its graphs
  QString runsFolder_, currentRun_;
  QTimer replotTimer_;
  bool dirty_ = false;
  bool following_ = true;  // rescale to the data on each replot until the user zooms or pans
  int replots_ = 0;
};

}  // namespace bertwb::ui
