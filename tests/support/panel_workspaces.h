#pragma once
// Small workspaces for the panel tests: a hand-made WordPiece vocabulary, corpus files
// written byte for byte (screenshots.h comes along for the panels' pictures).
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <string>
#include <vector>

#include "screenshots.h"
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

}  // namespace bertwb::test
