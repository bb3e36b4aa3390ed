// The Masking & NSP panel: the chips say exactly what the sampler did ([CLS] first, [SEP]s,
// segments, each predicted position with its kind and original), seeds reproduce instances,
// knobs redraw, statistics over many instances land on the paper's targets, settings
// persist, and the view exports as PNG and SVG.
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <random>

#include "masking/instance_card.h"
#include "masking/instance_chips.h"
#include "masking/masking_knobs.h"
#include "masking/masking_panel.h"
#include "masking/masking_statistics_view.h"
#include "panel_workspaces.h"
#include "shell/workspace.h"
#include "text/tokenizer.h"
#include "widgets/token_chips_view.h"

using namespace bertwb;
using namespace bertwb::ui;
using namespace bertwb::test;

namespace {

constexpr int kTimeoutMs = 30000;
constexpr int kStems = 150;

// Words "wN", some with a "##ing" or "##ed" piece, as in the core's pre-training tests.
std::vector<std::string> vocabularyWords() {
  std::vector<std::string> words = {".", "##ing", "##ed"};
  for (int i = 0; i < kStems; ++i) words.push_back("w" + std::to_string(i));
  return words;
}

// 150 documents of 20–40 sentences of 3–18 words: long documents, so that one-sentence
// chunks (always NotNext) are rare and IsNext sits near 50%.
QByteArray generatedCorpus() {
  std::mt19937_64 rng(1);
  QByteArray text;
  for (int d = 0; d < 150; ++d) {
    const int sentences = 20 + static_cast<int>(rng() % 21);
    for (int s = 0; s < sentences; ++s) {
      const int words = 3 + static_cast<int>(rng() % 16);
      for (int w = 0; w < words; ++w) {
        text += "w" + QByteArray::number(static_cast<qulonglong>(rng() % kStems));
        const auto suffix = rng() % 5;
        if (suffix == 0) text += "ing";
        if (suffix == 1) text += "ed";
        text += w + 1 < words ? " " : " .\n";
      }
    }
    text += "\n";
  }
  return text;
}

struct Fixture {
  QTemporaryDir dir;
  std::unique_ptr<Workspace> workspace;
  Fixture() {
    workspace = workspaceWithVocabulary(dir.filePath("ws"), vocabularyWords());
    writeBytes(QDir(workspace->corpusFolder()).filePath("corpus.txt"), generatedCorpus());
  }
};

void waitForInstance(MaskingPanel& panel) {
  QTRY_VERIFY_WITH_TIMEOUT(!panel.isLoading() && panel.currentInstance(), kTimeoutMs);
}

void waitForStatistics(MaskingPanel& panel) {
  QTRY_VERIFY_WITH_TIMEOUT(!panel.isComputingStatistics() && panel.statistics(), kTimeoutMs);
}

ChipKind chipKindOf(MaskKind kind) {
  switch (kind) {
    case MaskKind::Mask:
      return ChipKind::Masked;
    case MaskKind::Random:
      return ChipKind::RandomReplaced;
    case MaskKind::Keep:
      return ChipKind::KeptPredicted;
  }
  return ChipKind::Plain;
}

// Every chip agrees with the instance: text and id of the token, segment, kind, original.
void checkChipsMatch(const PretrainingInstance& instance, const QVector<TokenChip>& chips,
                     const Tokenizer& tokenizer) {
  const SpecialTokenIds special = tokenizer.specialTokenIds();
  QCOMPARE(chips.size(), static_cast<int>(instance.tokens.size()));
  QCOMPARE(chips.first().text, QStringLiteral("[CLS]"));
  QCOMPARE(chips.last().text, QStringLiteral("[SEP]"));
  int separators = 0, predicted = 0;
  for (int i = 0; i < chips.size(); ++i) {
    QCOMPARE(chips[i].id, instance.tokens[i]);
    QCOMPARE(chips[i].text, QString::fromStdString(tokenizer.idToToken(instance.tokens[i])));
    QCOMPARE(chips[i].segment, instance.segmentIds[i]);
    separators += chips[i].id == special.sep;
    predicted += isPredicted(chips[i].kind);
  }
  QCOMPARE(separators, 2);
  QCOMPARE(predicted, static_cast<int>(instance.masked.size()));
  for (const MaskedPosition& m : instance.masked) {
    const TokenChip& chip = chips[m.position];
    QCOMPARE(chip.kind, chipKindOf(m.kind));
    QCOMPARE(chip.original, QString::fromStdString(tokenizer.idToToken(m.originalId)));
  }
}

}  // namespace

class TestMaskingPanel : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void chipsOfAHandMadeInstance() {
    Fixture f;
    const auto tokenizer = f.workspace->tokenizer();
    const auto id = [&](const char* token) { return *tokenizer->tokenToId(token); };
    // [CLS] w1 w2 [SEP] w3 w4 [SEP]; w1 → [MASK], w2 → w9 (random), w4 kept.
    PretrainingInstance instance;
    instance.tokens = {id("[CLS]"), id("[MASK]"), id("w9"),   id("[SEP]"),
                       id("w3"),    id("w4"),     id("[SEP]")};
    instance.segmentIds = {0, 0, 0, 0, 1, 1, 1};
    instance.masked = {{1, id("w1"), MaskKind::Mask},
                       {2, id("w2"), MaskKind::Random},
                       {5, id("w4"), MaskKind::Keep}};
    const QVector<TokenChip> chips = instanceChips(instance, *tokenizer);
    checkChipsMatch(instance, chips, *tokenizer);
    QCOMPARE(chips[0].kind, ChipKind::Special);
    QCOMPARE(chips[3].kind, ChipKind::Special);
    QCOMPARE(chips[4].kind, ChipKind::Plain);
    QCOMPARE(chipCaption(chips[1]), QStringLiteral("w1 → [MASK]"));
    QCOMPARE(chipCaption(chips[2]), QStringLiteral("w2 → w9"));
    QCOMPARE(chipCaption(chips[5]), QStringLiteral("w4 (kept)"));
    QCOMPARE(chipCaption(chips[4]), QString());
    QVERIFY(chipFill(chips[4]) != chipFill(chips[1]));  // segment B is drawn apart from A
    QCOMPARE(chipFill(chips[5]), chipFill(chips[4]));   // a kept chip keeps its segment colour
    QVERIFY(chipFill(chips[0]) != chipFill(chips[1]));  // specials apart from text
  }

  void drawsTheSampledInstance() {
    Fixture f;
    MaskingPanel panel(f.workspace.get());
    waitForInstance(panel);
    const PretrainingInstance& instance = *panel.currentInstance();
    QVERIFY(!instance.masked.empty());
    checkChipsMatch(instance, panel.instanceChipsView()->chips(), *f.workspace->tokenizer());
    const QString nsp = panel.instanceCard()->nspText();
    QVERIFY2(nsp.contains(instance.isRandomNext ? "NotNext" : "IsNext"), qPrintable(nsp));
    QVERIFY2(nsp.contains(QStringLiteral("document %1").arg(instance.segmentB.document)),
             qPrintable(nsp));
    QVERIFY2(nsp.contains("corpus.txt:"), qPrintable(nsp));
  }

  void seedsReproduceInstances() {
    Fixture f;
    MaskingPanel panel(f.workspace.get());
    waitForInstance(panel);
    const auto tokensNow = [&] { return panel.currentInstance()->tokens; };
    panel.setSeed(7);
    const auto first = tokensNow();
    panel.showNextInstance();
    const auto second = tokensNow();
    QVERIFY(second != first);
    panel.showPreviousInstance();
    QCOMPARE(tokensNow(), first);
    panel.setSeed(8);
    QVERIFY(tokensNow() != first);
    panel.setSeed(7);
    QCOMPARE(panel.instanceIndex(), 0);
    QCOMPARE(tokensNow(), first);
  }

  void knobsRedrawAtOnce() {
    Fixture f;
    MaskingPanel panel(f.workspace.get());
    waitForInstance(panel);
    QSignalSpy redraws(&panel, &MaskingPanel::instanceChanged);
    PretrainingDataOptions options;
    options.maxSeqLength = 32;
    options.maskedLmProb = 0.4;
    options.maxPredictionsPerSeq = 100;
    panel.knobs()->setOptions(options);
    QCOMPARE(redraws.count(), 1);
    const PretrainingInstance& instance = *panel.currentInstance();
    QVERIFY(instance.tokens.size() <= 32);
    const int length = static_cast<int>(instance.tokens.size());
    QCOMPARE(static_cast<int>(instance.masked.size()), static_cast<int>(std::lround(length * 0.4)));
    checkChipsMatch(instance, panel.instanceChipsView()->chips(), *f.workspace->tokenizer());
  }

  void statisticsMeetTheTargets() {
    Fixture f;
    MaskingPanel panel(f.workspace.get());
    waitForStatistics(panel);
    const MaskingStatistics& s = *panel.statistics();
    QCOMPARE(s.instances, 2000);
    // 15% of all positions, rounded per instance (19 of 128): within a point.
    QVERIFY2(qAbs(s.chosenRate() - 0.15) < 0.01, qPrintable(QString::number(s.chosenRate())));
    QVERIFY2(qAbs(s.maskShare() - 0.8) < 0.02, qPrintable(QString::number(s.maskShare())));
    QVERIFY2(qAbs(s.randomShare() - 0.1) < 0.015, qPrintable(QString::number(s.randomShare())));
    QVERIFY2(qAbs(s.keptShare() - 0.1) < 0.015, qPrintable(QString::number(s.keptShare())));
    QVERIFY2(qAbs(s.isNextShare() - 0.5) < 0.05, qPrintable(QString::number(s.isNextShare())));
    QVERIFY2(qAbs(s.shortShare() - 0.1) < 0.05, qPrintable(QString::number(s.shortShare())));
    const QVector<double> drawn = panel.statisticsView()->observedRates();
    QCOMPARE(drawn.size(), int(MaskingStatisticsView::kRateCount));
    QCOMPARE(drawn[MaskingStatisticsView::kMaskShare], s.maskShare());
    QCOMPARE(panel.statisticsView()->targetRates()[MaskingStatisticsView::kKeptShare], 0.1);

    // A different mix moves the observed shares with it.
    PretrainingDataOptions options;
    options.maskTokenShare = 0.5;
    options.randomTokenShare = 0.5;
    QSignalSpy updates(&panel, &MaskingPanel::statisticsUpdated);
    panel.knobs()->setOptions(options);
    QTRY_VERIFY_WITH_TIMEOUT(updates.count() >= 1 && !panel.isComputingStatistics(), kTimeoutMs);
    QVERIFY2(qAbs(panel.statistics()->randomShare() - 0.5) < 0.03,
             qPrintable(QString::number(panel.statistics()->randomShare())));
    QCOMPARE(panel.statistics()->kept, 0);
  }

  void settingsPersistInTheWorkspace() {
    Fixture f;
    PretrainingDataOptions options;
    options.maskedLmProb = 0.25;
    options.wholeWordMask = true;
    options.maxSeqLength = 64;
    {
      MaskingPanel panel(f.workspace.get());
      panel.knobs()->setOptions(options);
      panel.setSeed(4242);
      waitForInstance(panel);
    }
    const auto reopened = Workspace::open(f.workspace->folder());
    MaskingPanel panel(reopened.get());
    const PretrainingDataOptions restored = panel.knobs()->options();
    QCOMPARE(restored.maskedLmProb, 0.25);
    QCOMPARE(restored.wholeWordMask, true);
    QCOMPARE(restored.maxSeqLength, 64);
    QCOMPARE(restored.maskTokenShare, 0.8);
    QCOMPARE(panel.seed(), quint64(4242));
    // The knobs are the pre-training recipe's fields, not a preview of their own.
    const bertwb::PretrainingRecipe recipe = reopened->pretrainingRecipe();
    QCOMPARE(recipe.maskedLmProb, 0.25);
    QCOMPARE(recipe.wholeWordMask, true);
    QCOMPARE(recipe.maxSeqLength, 64);
    QVERIFY(!reopened->section(QStringLiteral("masking")).contains(QStringLiteral("knobs")));
  }

  void recipeChangesElsewhereReachTheKnobs() {
    Fixture f;
    MaskingPanel panel(f.workspace.get());
    waitForInstance(panel);
    // The Pre-train stage writes the same section (here: its sequence length).
    QJsonObject pretrain = f.workspace->section(bertwb::ui::kPretrainSection);
    pretrain[QStringLiteral("maxSeqLength")] = 48;
    pretrain[QStringLiteral("maskedLmProb")] = 0.3;
    QSignalSpy redraws(&panel, &MaskingPanel::instanceChanged);
    f.workspace->setSection(bertwb::ui::kPretrainSection, pretrain);
    QCOMPARE(panel.knobs()->options().maxSeqLength, 48);
    QCOMPARE(panel.knobs()->options().maskedLmProb, 0.3);
    QCOMPARE(redraws.count(), 1);
    QVERIFY(panel.currentInstance()->tokens.size() <= 48);

    // While a run trains with them, they cannot be changed.
    f.workspace->setModelLockedBy(QStringLiteral("Pre-training"));
    QVERIFY(!panel.knobs()->isEnabled());
    f.workspace->setModelLockedBy(QString());
    QVERIFY(panel.knobs()->isEnabled());
  }

  // A knob that changes nothing on this corpus says so.
  void settingsWithoutEffectAreNamed() {
    Fixture f;
    MaskingPanel panel(f.workspace.get());
    waitForInstance(panel);
    // 128 tokens × 15% = 19 to predict: the cap of 20 never binds.
    QVERIFY2(panel.settingsNoteText().contains(QStringLiteral("Max predictions (20) is never "
                                                              "reached")),
             qPrintable(panel.settingsNoteText()));
    QVERIFY(panel.settingsNoteText().contains(QStringLiteral("are ##pieces")));
    QVERIFY(!panel.settingsNoteText().contains(QStringLiteral("whole-word")));
    PretrainingDataOptions options = panel.knobs()->options();
    options.maxPredictionsPerSeq = 10;
    panel.knobs()->setOptions(options);
    QVERIFY(!panel.settingsNoteText().contains(QStringLiteral("Max predictions")));

    // A corpus of whole words only: whole-word masking would change nothing.
    writeBytes(QDir(f.workspace->corpusFolder()).filePath("corpus.txt"),
               generatedCorpus().replace("ing ", " ").replace("ed ", " "));
    f.workspace->notifyCorpusChanged();
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isLoading() && panel.currentInstance(), kTimeoutMs);
    QVERIFY2(panel.settingsNoteText().contains(QStringLiteral("whole-word masking changes "
                                                              "nothing here")),
             qPrintable(panel.settingsNoteText()));
  }

  void previewKnobsOfAnOlderWorkspaceBecomeTheRecipe() {
    Fixture f;
    QJsonObject knobs;
    knobs[QStringLiteral("maskedLmProb")] = 0.4;
    knobs[QStringLiteral("randomTokenShare")] = 0.05;
    QJsonObject masking;
    masking[QStringLiteral("knobs")] = knobs;
    f.workspace->setSection(QStringLiteral("masking"), masking);
    MaskingPanel panel(f.workspace.get());
    QCOMPARE(panel.knobs()->options().maskedLmProb, 0.4);
    QCOMPARE(f.workspace->pretrainingRecipe().maskedLmProb, 0.4);
    QCOMPARE(f.workspace->pretrainingRecipe().randomTokenShare, 0.05);
  }

  void exportsPngAndSvg() {
    Fixture f;
    MaskingPanel panel(f.workspace.get());
    panel.resize(1280, 860);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    waitForInstance(panel);
    const QString png = f.dir.filePath("instance.png"), svg = f.dir.filePath("instance.svg");
    QString error;
    QVERIFY2(panel.exportPng(png, &error), qPrintable(error));
    QVERIFY2(panel.exportSvg(svg, &error), qPrintable(error));
    QVERIFY(QImage(png).width() > 100);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray drawing = svgFile.readAll();
    QVERIFY(drawing.contains("<svg"));
    QVERIFY(drawing.contains("[CLS]"));  // text stays text: the chips are vectors, not a bitmap
    QVERIFY(!panel.exportPng(f.dir.filePath("no/such/folder/x.png"), &error));
    QVERIFY(!error.isEmpty());
  }

  void rendersTheDemoWorld() {
    QTemporaryDir dir;
    auto workspace = Workspace::createDemo(dir.filePath("demo"));
    MaskingPanel panel(workspace.get());
    panel.resize(1280, 960);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    waitForInstance(panel);
    waitForStatistics(panel);
    QTest::qWait(50);
    saveScreenshot(panel, "masking-panel.png");
    QVERIFY(panel.exportPng(QDir(screenshotFolder()).filePath("masking-instance.png")));
    QVERIFY(panel.exportSvg(QDir(screenshotFolder()).filePath("masking-instance.svg")));
  }
};

QTEST_MAIN(TestMaskingPanel)
#include "test_masking_panel.moc"
