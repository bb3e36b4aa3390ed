#pragma once
// Saves what a view draws as a PNG or an SVG file, atomically (QSaveFile: a failed save
// leaves an older file as it was). The view paints through a QCPPainter, so QCustomPlot
// plots (QCustomPlot::toPainter) and hand-painted widgets share one path, and the SVG stays
// vector graphics rather than a screenshot wrapped in SVG.
#include <QSize>
#include <QString>
#include <functional>

class QCPPainter;
class QCustomPlot;

namespace bertwb::ui {

using PicturePainter = std::function<void(QCPPainter& painter)>;

// PNG at twice the on-screen size (sharp when printed or zoomed), on white.
bool savePicturePng(const QString& path, const QSize& size, const PicturePainter& paint,
                    QString* error);
bool savePictureSvg(const QString& path, const QSize& size, const QString& title,
                    const PicturePainter& paint, QString* error);

// A QCustomPlot at its on-screen size, through the two functions above.
bool savePlotPng(QCustomPlot& plot, const QString& path, QString* error);
bool savePlotSvg(QCustomPlot& plot, const QString& path, const QString& title, QString* error);

}  // namespace bertwb::ui
