#include "widgets/presentation_style.h"

#include <QVariant>

#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {
namespace {

double currentScale = 1.0;
constexpr double kDefaultPointSize = 9.0;  // where a font was given in pixels

// The size of something at scale 1, remembered on the object under `key` the first time.
double baseValue(QObject* owner, const char* key, double now) {
  const QVariant stored = owner->property(key);
  if (stored.isValid()) return stored.toDouble();
  owner->setProperty(key, now);
  return now;
}

QFont scaledFont(QObject* owner, const char* key, QFont font) {
  const double now = font.pointSizeF() > 0 ? font.pointSizeF() : kDefaultPointSize;
  font.setPointSizeF(baseValue(owner, key, now) * currentScale);
  return font;
}

void styleAxis(QCPAxis* axis) {
  axis->setTickLabelFont(scaledFont(axis, "bertwbTickFont", axis->tickLabelFont()));
  axis->setLabelFont(scaledFont(axis, "bertwbLabelFont", axis->labelFont()));
  QPen pen = axis->basePen();
  pen.setWidthF(baseValue(axis, "bertwbAxisWidth", pen.widthF()) * currentScale);
  axis->setBasePen(pen);
}

}  // namespace

void stylePlottableForPresentation(QCPAbstractPlottable* plottable) {
  QPen pen = plottable->pen();
  pen.setWidthF(baseValue(plottable, "bertwbPenWidth", pen.widthF()) * currentScale);
  plottable->setPen(pen);
}

double presentationScale() {
  return currentScale;
}

void setPresentationScale(double scale) {
  currentScale = scale > 0 ? scale : 1.0;
}

void stylePlotForPresentation(QCustomPlot* plot) {
  for (QCPAxisRect* rect : plot->axisRects())
    for (QCPAxis* axis : rect->axes()) styleAxis(axis);
  // Every layerable is a child of its plot: this finds the legends inside panes too.
  for (QCPLegend* legend : plot->findChildren<QCPLegend*>())
    legend->setFont(scaledFont(legend, "bertwbLegendFont", legend->font()));
  for (int i = 0; i < plot->plottableCount(); ++i)
    stylePlottableForPresentation(plot->plottable(i));
  for (int i = 0; i < plot->itemCount(); ++i) {
    if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
      text->setFont(scaledFont(text, "bertwbItemFont", text->font()));
  }
  for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
    if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
      title->setFont(scaledFont(title, "bertwbTitleFont", title->font()));
  }
}

void restylePlotsUnder(QWidget* root) {
  for (QCustomPlot* plot : root->findChildren<QCustomPlot*>()) {
    stylePlotForPresentation(plot);
    plot->replot(QCustomPlot::rpQueuedReplot);
  }
}

}  // namespace bertwb::ui
