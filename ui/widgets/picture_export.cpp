#include "widgets/picture_export.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QImage>
#include <QSaveFile>
#include <QSvgGenerator>

#include "widgets/qcustomplot_include.h"

namespace bertwb::ui {

namespace {

constexpr int kPngScale = 2;  // pixels per on-screen pixel in exported PNGs

QString tr(const char* text) {
  return QCoreApplication::translate("PictureExport", text);
}

bool writeAtomically(const QString& path, const QByteArray& bytes, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

}  // namespace

bool savePicturePng(const QString& path, const QSize& size, const PicturePainter& paint,
                    QString* error) {
  if (size.isEmpty()) {
    if (error) *error = tr("There is nothing to export yet.");
    return false;
  }
  QImage image(size * kPngScale, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QCPPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.scale(kPngScale, kPngScale);
    paint(painter);
  }
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  if (!image.save(&buffer, "PNG")) {
    if (error) *error = tr("Cannot encode the picture as PNG.");
    return false;
  }
  return writeAtomically(path, bytes, error);
}

bool savePictureSvg(const QString& path, const QSize& size, const QString& title,
                    const PicturePainter& paint, QString* error) {
  if (size.isEmpty()) {
    if (error) *error = tr("There is nothing to export yet.");
    return false;
  }
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  svg.setSize(size);
  svg.setViewBox(QRect(QPoint(0, 0), size));
  svg.setTitle(title);
  {
    QCPPainter painter;
    if (!painter.begin(&svg)) {
      if (error) *error = tr("Cannot start the SVG drawing.");
      return false;
    }
    paint(painter);
  }
  return writeAtomically(path, bytes, error);
}

bool savePlotPng(QCustomPlot& plot, const QString& path, QString* error) {
  const QSize size = plot.size();
  return savePicturePng(
      path, size,
      [&plot, size](QCPPainter& painter) { plot.toPainter(&painter, size.width(), size.height()); },
      error);
}

bool savePlotSvg(QCustomPlot& plot, const QString& path, const QString& title, QString* error) {
  const QSize size = plot.size();
  return savePictureSvg(
      path, size, title,
      [&plot, size](QCPPainter& painter) { plot.toPainter(&painter, size.width(), size.height()); },
      error);
}

}  // namespace bertwb::ui
