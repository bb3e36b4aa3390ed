#pragma once
// Presentation mode's effect on drawn content. Widgets follow the application font, which the
// shell scales; QCustomPlot keeps its own fonts and pens, captured when a plot is built, so
// plots are restyled here: every font and line width is its size at scale 1 times the
// presentation scale (the size at scale 1 is remembered on first use, so restyling twice
// never compounds). A plot that adds graphs later styles each as it comes.
class QCPAbstractPlottable;
class QCustomPlot;
class QWidget;

namespace bertwb::ui {

// 1 is the normal size; the shell's presentation mode sets 1.25 … 2.
double presentationScale();
void setPresentationScale(double scale);

// A graph just made (with its pen at scale 1): its line width follows the scale.
void stylePlottableForPresentation(QCPAbstractPlottable* plottable);
// Applies the scale to every axis, legend, text item and plottable of `plot` (no replot).
void stylePlotForPresentation(QCustomPlot* plot);
// Every plot under `root`, restyled and redrawn.
void restylePlotsUnder(QWidget* root);

}  // namespace bertwb::ui
