#pragma once
// Pictures of what a widget draws, for every GUI suite: where they go, and a check that
// something was drawn at all (a blank grab means a panel failed to lay out or paint).
#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QSet>
#include <QWidget>
#include <QtTest>

namespace bertwb::test {

// $BERTWB_SCREENSHOT_DIR when set, else screenshots/ under the test's working folder.
inline QString screenshotFolder() {
  QString folder = qEnvironmentVariable("BERTWB_SCREENSHOT_DIR");
  if (folder.isEmpty()) folder = QDir::current().absoluteFilePath(QStringLiteral("screenshots"));
  QDir().mkpath(folder);
  return folder;
}

// False when `image` is (almost) one colour: nothing was drawn.
inline bool hasContent(const QImage& image) {
  constexpr int kStride = 5;
  constexpr int kFewestColours = 8;  // a page of text has dozens (anti-aliasing)
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += kStride)
    for (int x = 0; x < image.width(); x += kStride) colours.insert(image.pixel(x, y));
  return colours.size() > kFewestColours;
}

// Grabs `widget` into screenshotFolder()/name and checks that something was drawn.
inline void saveScreenshot(QWidget& widget, const QString& name) {
  // Posted layout requests first, so the picture shows the latest text at its full size.
  QCoreApplication::processEvents();
  const QImage image = widget.grab().toImage();
  QVERIFY2(hasContent(image), qPrintable(name + QStringLiteral(": rendered (almost) blank")));
  const QString path = QDir(screenshotFolder()).filePath(name);
  QVERIFY2(image.save(path), qPrintable(path));
}

}  // namespace bertwb::test
