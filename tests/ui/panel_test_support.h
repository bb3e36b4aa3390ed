#pragma once
// Small workspaces for the panel tests: a hand-made WordPiece vocabulary, corpus files
// written byte for byte, and screenshots of what a panel draws.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QWidget>
#include <QtTest>
#include <memory>
#include <string>
#include <vector>

#include "shell/workspace.h"
#include "text/vocab.h"
#include "text/wordpiece_tokenizer.h"

namespace bertwb::test {

// The inference precision the GUI's PredictorService uses by default ("auto": bf16 where the
// CPU has it natively). Tests that compare what a panel shows with a Predictor of their own
// load it under the same policy, so both compute exactly the same numbers.
constexpr const char* kInferencePrecision = "auto";

inline void writeBytes(const QString& path, const QByteArray& bytes) {
  QFile file(path);
  QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
  file.write(bytes);
}

// A new workspace in `folder` whose tokenizer knows exactly `words` (after the five specials).
inline std::unique_ptr<ui::Workspace> workspaceWithVocabulary(
    const QString& folder, const std::vector<std::string>& words) {
  auto workspace = ui::Workspace::create(folder, QStringLiteral("test"));
  std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  tokens.insert(tokens.end(), words.begin(), words.end());
  WordPieceTokenizer(Vocab::fromTokens(tokens, "test"), WordPieceOptions{})
      .save(workspace->tokenizerFolder().toStdString());
  workspace->notifyTokenizerChanged();
  return workspace;
}

// $BERTWB_SCREENSHOT_DIR when set, else screenshots/ under the test's working folder.
inline QString screenshotFolder() {
  QString folder = qEnvironmentVariable("BERTWB_SCREENSHOT_DIR");
  if (folder.isEmpty()) folder = QDir::current().absoluteFilePath(QStringLiteral("screenshots"));
  QDir().mkpath(folder);
  return folder;
}

// Grabs `widget` into screenshotFolder()/name and checks that something was drawn.
inline void saveScreenshot(QWidget& widget, const QString& name) {
  const QImage image = widget.grab().toImage();
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 5)
    for (int x = 0; x < image.width(); x += 5) colours.insert(image.pixel(x, y));
  QVERIFY2(colours.size() > 8, "the panel rendered (almost) blank");
  const QString path = QDir(screenshotFolder()).filePath(name);
  QVERIFY2(image.save(path), qPrintable(path));
}

}  // namespace bertwb::test
