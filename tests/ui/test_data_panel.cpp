// The Data panel: exact statistics for a hand-counted corpus, the sentence-length histogram,
// a preview that shows exactly the tokenizer's pieces, and clear messages (no crash) for
// broken files, missing files and a workspace without a tokenizer.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "data/data_panel.h"
#include "data/tokenization_preview.h"
#include "panel_workspaces.h"
#include "shell/corpus_loading.h"
#include "shell/workspace.h"
#include "text/tokenizer.h"
#include "widgets/token_chips_view.h"

using bertwb::ui::ChipKind;
using bertwb::ui::DataPanel;
using bertwb::ui::Workspace;
using namespace bertwb::test;

namespace {

constexpr int kLoadTimeoutMs = 20000;

const std::vector<std::string> kWords = {"the", "cat", "dog", "sat", "ran",
                                         "on",  "mat", ".",   "##s"};

// Hand-counted: a.txt has 2 documents, 3 sentences of 4, 4 and 8 pieces
// ("the cat ##s sat on the mat ."); b.txt 1 document, 1 sentence of 4 pieces, 2 of them
// [UNK] ("a", "zebra"). In all: 3 documents, 4 sentences, 20 tokens, 2 [UNK] = 10.00%.
void writeKnownCorpus(const Workspace& workspace) {
  const QDir corpus(workspace.corpusFolder());
  writeBytes(corpus.filePath("a.txt"),
             "the cat sat .\nthe dog ran .\n\nthe cats sat on the mat .\n");
  writeBytes(corpus.filePath("b.txt"), "a zebra sat .\n");
}

void waitForLoad(DataPanel& panel) {
  QTRY_VERIFY_WITH_TIMEOUT(!panel.isLoading(), kLoadTimeoutMs);
}

}  // namespace

class TestDataPanel : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void countsAKnownCorpusExactly() {
    QTemporaryDir dir;
    auto workspace = workspaceWithVocabulary(dir.filePath("ws"), kWords);
    writeKnownCorpus(*workspace);
    DataPanel panel(workspace.get());
    waitForLoad(panel);
    const QStringList rows = panel.fileRows();
    QCOMPARE(rows.size(), 3);  // a.txt, b.txt, All files
    const auto cells = [&](int row) { return rows[row].split('\t'); };
    QCOMPARE(cells(0)[0], QStringLiteral("a.txt"));
    QCOMPARE(cells(0).mid(2), (QStringList{"2", "3", "16", "0.00%"}));
    QCOMPARE(cells(1)[0], QStringLiteral("b.txt"));
    QCOMPARE(cells(1).mid(2), (QStringList{"1", "1", "4", "50.00%"}));
    QCOMPARE(cells(2).mid(2), (QStringList{"3", "4", "20", "10.00%"}));
    QCOMPARE(panel.statusText(),
             QStringLiteral(
                 "3 documents · 4 sentences · 20 tokens · 10.00% [UNK] · 5.0 tokens per sentence"));
    QVERIFY2(panel.problemsText().isEmpty(), qPrintable(panel.problemsText()));
  }

  void histogramHasABarPerLength() {
    QTemporaryDir dir;
    auto workspace = workspaceWithVocabulary(dir.filePath("ws"), kWords);
    writeKnownCorpus(*workspace);
    DataPanel panel(workspace.get());
    waitForLoad(panel);
    QCOMPARE(panel.histogramBarCount(), 5);  // lengths 4, 5, 6, 7, 8 (5–7 empty but shown)
    QCOMPARE(panel.histogramTotal(), 4.0);   // one count per sentence
  }

  void previewShowsTheTokenizersPieces_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("continuation") << "The cats sat on the mat.";
    QTest::newRow("unknown words") << "a zebra ran";
    QTest::newRow("accents and spaces") << "  thé   dogs  ";
  }
  void previewShowsTheTokenizersPieces() {
    QFETCH(QString, text);
    QTemporaryDir dir;
    auto workspace = workspaceWithVocabulary(dir.filePath("ws"), kWords);
    writeKnownCorpus(*workspace);
    DataPanel panel(workspace.get());
    waitForLoad(panel);
    panel.preview()->setText(text);
    const auto pieces = workspace->tokenizer()->tokenize(text.toStdString());
    const auto& chips = panel.preview()->chipsView()->chips();
    QCOMPARE(chips.size(), static_cast<int>(pieces.size()));
    QVERIFY(!chips.isEmpty());
    for (int i = 0; i < chips.size(); ++i) {
      QCOMPARE(chips[i].text, QString::fromStdString(pieces[i].text));
      QCOMPARE(chips[i].id, pieces[i].id);
      QCOMPARE(chips[i].kind, pieces[i].text == "[UNK]" ? ChipKind::Unknown : ChipKind::Plain);
    }
  }

  void invalidUtf8AndEmptyFilesAreNamedNotFatal() {
    QTemporaryDir dir;
    auto workspace = workspaceWithVocabulary(dir.filePath("ws"), kWords);
    writeKnownCorpus(*workspace);
    const QDir corpus(workspace->corpusFolder());
    writeBytes(corpus.filePath("c.txt"), "the cat \xff\xfe sat .\n");
    writeBytes(corpus.filePath("d.txt"), "\n\n\n");
    DataPanel panel(workspace.get());
    waitForLoad(panel);
    const QString problems = panel.problemsText();
    QVERIFY2(problems.contains("c.txt:1: invalid UTF-8"), qPrintable(problems));
    QVERIFY2(problems.contains("d.txt: ") && problems.contains("no sentences"),
             qPrintable(problems));
    QVERIFY2(!problems.contains(corpus.path()), "messages should name files, not their folder");
    const QStringList rows = panel.fileRows();
    QCOMPARE(rows.size(), 5);
    QVERIFY2(rows[2].startsWith("c.txt\t") && rows[2].split('\t')[3] == "1",
             qPrintable(rows[2]));  // still counted
    QVERIFY2(rows[3].startsWith("d.txt\t") && rows[3].contains("–"), qPrintable(rows[3]));
  }

  void aMissingFileIsReportedByName() {
    QTemporaryDir dir;
    auto workspace = workspaceWithVocabulary(dir.filePath("ws"), kWords);
    writeKnownCorpus(*workspace);
    const QStringList files = {QDir(workspace->corpusFolder()).filePath("a.txt"),
                               dir.filePath("gone.txt")};
    const auto loaded = bertwb::ui::loadCorpusFiles(files, *workspace->tokenizer());
    QCOMPARE(loaded.files.size(), 2);
    QVERIFY(loaded.files[0].error.isEmpty());
    QVERIFY2(loaded.files[1].error.contains("missing"), qPrintable(loaded.files[1].error));
    QVERIFY2(loaded.problems().join('\n').startsWith("gone.txt: "),
             qPrintable(loaded.problems().join('\n')));
    QCOMPARE(loaded.totals.sentences, 3);
  }

  void withoutATokenizerSaysSo() {
    QTemporaryDir dir;
    auto workspace = Workspace::create(dir.filePath("ws"), "bare");
    writeKnownCorpus(*workspace);
    DataPanel panel(workspace.get());
    waitForLoad(panel);
    QVERIFY2(panel.problemsText().contains("No tokenizer"), qPrintable(panel.problemsText()));
    QCOMPARE(panel.fileRows().size(), 2);
    QCOMPARE(panel.histogramBarCount(), 0);
  }

  void addedFilesAreCopiedAndCounted() {
    QTemporaryDir dir;
    auto workspace = workspaceWithVocabulary(dir.filePath("ws"), kWords);
    writeKnownCorpus(*workspace);
    DataPanel panel(workspace.get());
    waitForLoad(panel);
    writeBytes(dir.filePath("notes.md"), "the dog sat on the mat .\n");
    QSignalSpy loads(&panel, &DataPanel::loadFinished);
    const QStringList copies =
        panel.addFiles({dir.filePath("notes.md"), dir.filePath("absent.txt")});
    QCOMPARE(copies, QStringList{QDir(workspace->corpusFolder()).filePath("notes.md.txt")});
    QTRY_VERIFY_WITH_TIMEOUT(loads.count() >= 1 && !panel.isLoading(), kLoadTimeoutMs);
    const QStringList rows = panel.fileRows();
    QCOMPARE(rows.size(), 4);
    QVERIFY2(rows[2].startsWith("notes.md.txt\t"), qPrintable(rows.join('\n')));
    QCOMPARE(rows[3].split('\t')[4], QStringLiteral("27"));
  }

  void rendersTheDemoWorld() {
    QTemporaryDir dir;
    auto workspace = Workspace::createDemo(dir.filePath("demo"));
    DataPanel panel(workspace.get());
    panel.resize(1280, 820);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    waitForLoad(panel);
    QVERIFY2(panel.problemsText().isEmpty(), qPrintable(panel.problemsText()));
    QVERIFY(panel.histogramBarCount() > 5);
    panel.preview()->setText("The quick brown fox visited Zanzibar in 1893.");
    QTest::qWait(50);
    saveScreenshot(panel, "data-panel.png");
  }
};

QTEST_MAIN(TestDataPanel)
#include "test_data_panel.moc"
