// The Playground stage. (a) Highlights land on the exact characters: spans in code points
// over a text with é, 😀 (two UTF-16 units) and "Zoë" colour exactly those characters of the
// QTextDocument, in the NER and QA pages. (b) End to end with tiny random-init checkpoints of
// each head: the bars, entity highlights, answer highlight and fill-mask candidates equal
// what the Predictor says when asked directly; quick typing makes one request (debounce);
// texts are kept in the workspace. Every page is grabbed to PNG.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextEdit>
#include <QtTest>
#include <cmath>

#include "panel_workspaces.h"
#include "playground/playground_classify_view.h"
#include "playground/playground_fill_mask_view.h"
#include "playground/playground_ner_view.h"
#include "playground/playground_panel.h"
#include "playground/playground_qa_view.h"
#include "playground_checkpoints.h"
#include "shell/predictor_service.h"
#include "widgets/probability_bars.h"
#include "widgets/text_highlighting.h"

using namespace bertwb;
using namespace bertwb::ui;

namespace {

constexpr int kWaitMs = 20000;
constexpr double kTolerance = 1e-6;
const QSize kScreenshotSize(1200, 800);

// "é😀 Zoë lives in Zürich": code points é0 😀1 ␠2 Z3 o4 ë5 ␠6 lives7-11 ␠12 in13-14 ␠15
// Zürich16-21; in UTF-16 the 😀 takes units 1-2, so everything after it is one further on.
const QString kTrickyText = QStringLiteral("é😀 Zoë lives in Zürich");
constexpr int kZoeStart = 3, kZoeEnd = 6, kZurichStart = 16, kZurichEnd = 22;  // code points
constexpr int kZoeUtf16Start = 4, kZoeUtf16End = 7, kZurichUtf16Start = 17, kZurichUtf16End = 23;

// The background of the character at UTF-16 position `position`.
QColor backgroundAt(QTextDocument* document, int position) {
  QTextCursor cursor(document);
  cursor.setPosition(position);
  cursor.setPosition(position + 1, QTextCursor::KeepAnchor);
  const QBrush brush = cursor.charFormat().background();
  return brush.style() == Qt::NoBrush ? QColor() : brush.color();
}

QString textOf(QTextDocument* document, int start, int end) {
  QTextCursor cursor(document);
  cursor.setPosition(start);
  cursor.setPosition(end, QTextCursor::KeepAnchor);
  return cursor.selectedText();
}

// Exactly the UTF-16 positions [start, end) carry `colour` in [from, to).
void verifyColouredExactly(QTextDocument* document, int start, int end, const QColor& colour) {
  for (int p = std::max(0, start - 2); p < std::min(document->characterCount() - 1, end + 2); ++p) {
    const bool inside = p >= start && p < end;
    QVERIFY2((backgroundAt(document, p) == colour) == inside,
             qPrintable(
                 QStringLiteral("position %1 (%2)").arg(p).arg(document->toPlainText().mid(p, 1))));
  }
}

TaggedEntity entity(const std::string& type, int64_t start, int64_t end, const std::string& text) {
  TaggedEntity e;
  e.type = type;
  e.start = start;
  e.end = end;
  e.text = text;
  e.score = 0.9;
  return e;
}

}  // namespace

class TestPlayground : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString classifierFolder_, taggerFolder_, qaFolder_, pretrainedFolder_;
  std::unique_ptr<Workspace> workspace_;

  // Loads `folder` into a panel and waits until its first answer is on screen.
  void loadAndSettle(PlaygroundPanel& panel, PredictorService& service, const QString& folder) {
    panel.loadModel(folder);
    QVERIFY(service.waitUntilIdle(kWaitMs));
    QVERIFY2(service.isLoaded() && service.folder() == folder,
             qPrintable(panel.statusLabel()->text()));
  }

  // Sets the current page's texts, then waits for the debounced request's result.
  void askAndSettle(PlaygroundPanel& panel, PredictorService& service, const QString& a,
                    const QString& b) {
    QSignalSpy shown(&panel, &PlaygroundPanel::resultShown);
    panel.currentView()->setTexts(a, b);
    QVERIFY(shown.wait(kWaitMs));
    QVERIFY(service.waitUntilIdle(kWaitMs));
  }

  void screenshot(PlaygroundPanel& panel, const QString& name) {
    panel.resize(kScreenshotSize);
    panel.show();
    QCoreApplication::processEvents();
    test::saveScreenshot(panel, name);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    classifierFolder_ = dir_.filePath(QStringLiteral("sentiment"));
    taggerFolder_ = dir_.filePath(QStringLiteral("ner"));
    qaFolder_ = dir_.filePath(QStringLiteral("qa"));
    pretrainedFolder_ = dir_.filePath(QStringLiteral("pretrained"));
    test::savePlaygroundTaskModel(classifierFolder_, TaskKind::SequenceClassification,
                                  {"negative", "neutral", "positive"});
    test::savePlaygroundTaskModel(taggerFolder_, TaskKind::TokenClassification,
                                  {"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"});
    test::savePlaygroundTaskModel(qaFolder_, TaskKind::QuestionAnswering, {});
    test::savePlaygroundPretrainedModel(pretrainedFolder_);
    workspace_ =
        Workspace::create(dir_.filePath(QStringLiteral("workspace")), QStringLiteral("test"));
  }

  // (a) The offset conversion itself.
  void codePointsBecomeUtf16Offsets() {
    QCOMPARE(utf16OffsetOfCodePoint(kTrickyText, 0), 0);
    QCOMPARE(utf16OffsetOfCodePoint(kTrickyText, 1), 1);  // the 😀 starts at unit 1 …
    QCOMPARE(utf16OffsetOfCodePoint(kTrickyText, 2), 3);  // … and ends at unit 3
    QCOMPARE(utf16OffsetOfCodePoint(kTrickyText, 1000), static_cast<int>(kTrickyText.size()));
    const Utf16Range zoe = utf16RangeOfCodePoints(kTrickyText, kZoeStart, kZoeEnd);
    QCOMPARE(zoe.start, kZoeUtf16Start);
    QCOMPARE(zoe.end, kZoeUtf16End);
    QCOMPARE(kTrickyText.mid(zoe.start, zoe.end - zoe.start), QStringLiteral("Zoë"));
  }

  // (a) The NER page colours exactly the entities' characters.
  void entityHighlightsLandExactly() {
    PlaygroundNerView view;
    TagResult tags;
    tags.text = kTrickyText.toStdString();
    tags.prediction.entities = {entity("PER", kZoeStart, kZoeEnd, "Zoë"),
                                entity("LOC", kZurichStart, kZurichEnd, "Zürich")};
    view.showResult(tags);
    QTextDocument* document = view.highlightedText()->document();
    QCOMPARE(document->toPlainText(), kTrickyText);
    verifyColouredExactly(document, kZoeUtf16Start, kZoeUtf16End, entityTypeColour("PER"));
    verifyColouredExactly(document, kZurichUtf16Start, kZurichUtf16End, entityTypeColour("LOC"));
    QCOMPARE(textOf(document, kZoeUtf16Start, kZoeUtf16End), QStringLiteral("Zoë"));
    QCOMPARE(textOf(document, kZurichUtf16Start, kZurichUtf16End), QStringLiteral("Zürich"));
    QVERIFY(entityTypeColour("PER") != entityTypeColour("LOC"));
    // The table lists them with their code point offsets.
    QCOMPARE(view.entityTable()->rowCount(), 2);
    QCOMPARE(view.entityTable()->item(1, 0)->text(), QStringLiteral("Zürich"));
    QCOMPARE(view.entityTable()->item(1, 2)->text(), QString::number(kZurichStart));
    QCOMPARE(view.entityTable()->item(1, 3)->text(), QString::number(kZurichEnd));
  }

  // (a) The QA page highlights exactly the answer, in the context the answer points into.
  void answerHighlightLandsExactly() {
    PlaygroundQaView view;
    view.setTexts(QStringLiteral("where does zoë live?"), QStringLiteral("typed on meanwhile"));
    PlaygroundAnswer answered;
    answered.context = kTrickyText;
    QaAnswerSpan best;
    best.text = "Zürich";
    best.start = kZurichStart;
    best.end = kZurichEnd;
    best.score = 3.5;
    best.probability = 0.8;
    answered.answer.prediction.hasSpan = true;
    answered.answer.prediction.text = best.text;
    answered.answer.prediction.best = best;
    answered.answer.prediction.nBest = {best};
    view.showResult(answered);
    QTextDocument* document = view.highlightedContext()->document();
    QCOMPARE(document->toPlainText(), kTrickyText);
    verifyColouredExactly(document, kZurichUtf16Start, kZurichUtf16End, answerHighlightColour());
    QVERIFY(view.answerLabel()->text().contains(QStringLiteral("Zürich")));
    QCOMPARE(view.nBestTable()->rowCount(), 1);

    // A v2 model that prefers no answer says so and highlights nothing.
    answered.answer.prediction.predictedNull = true;
    answered.answer.prediction.text.clear();
    view.showResult(answered);
    QVERIFY(view.answerLabel()->text().contains(QStringLiteral("No answer")));
    for (int p = 0; p < kTrickyText.size(); ++p) QVERIFY(!backgroundAt(document, p).isValid());
  }

  // (b) Classification: three bars, summing to 1, equal to the Predictor's own numbers.
  void classifyShowsTheModelsProbabilities() {
    PredictorService service;
    PlaygroundPanel panel(workspace_.get(), &service);
    loadAndSettle(panel, service, classifierFolder_);
    QCOMPARE(panel.mode(), PlaygroundPanel::Mode::Classify);
    QVERIFY(!panel.isModeAvailable(PlaygroundPanel::Mode::FillMask));
    askAndSettle(panel, service, QStringLiteral("the film was great"),
                 QStringLiteral("the music was bad"));
    const auto& rows = panel.classifyView()->bars()->rows();
    QCOMPARE(rows.size(), size_t(3));
    const ClassificationResult direct =
        Predictor::load(classifierFolder_.toStdString(), "cpu", test::kInferencePrecision)
            .classify("the film was great", "the music was bad");
    double sum = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      QCOMPARE(rows[i].label, QString::fromStdString(direct.labels[i].label));
      QVERIFY(std::abs(rows[i].probability - direct.labels[i].probability) < kTolerance);
      sum += rows[i].probability;
    }
    QVERIFY(std::abs(sum - 1.0) < kTolerance);
    QVERIFY(panel.statusLabel()->text().endsWith(QStringLiteral(" ms")));
    QVERIFY(panel.lastLatencyMs() > 0);
    QCOMPARE(panel.currentTextA(), QStringLiteral("the film was great"));
    QCOMPARE(panel.currentTextB(), QStringLiteral("the music was bad"));
    askAndSettle(panel, service, QStringLiteral("The film was great and the music was wonderful."),
                 {});
    screenshot(panel, QStringLiteral("playground-classify.png"));
  }

  // (b) Typing five keys quickly asks once, after the pause.
  void quickTypingMakesOneRequest() {
    PredictorService service;
    PlaygroundPanel panel(workspace_.get(), &service);
    loadAndSettle(panel, service, classifierFolder_);
    QSignalSpy sent(&panel, &PlaygroundPanel::requestSent);
    QSignalSpy shown(&panel, &PlaygroundPanel::resultShown);
    QSignalSpy input(&panel, &PlaygroundPanel::inputChanged);
    auto* editor = panel.classifyView()->findChild<QPlainTextEdit*>();
    QVERIFY(editor);
    editor->moveCursor(QTextCursor::End);
    for (const char key : {' ', 'g', 'o', 'o', 'd'}) {
      QTest::keyClick(editor, key);
      QTest::qWait(kPlaygroundDebounceMs / 5);
    }
    QCOMPARE(sent.size(), 0);  // still typing
    QVERIFY(shown.wait(kWaitMs));
    QTest::qWait(kPlaygroundDebounceMs * 2);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(shown.size(), 1);
    QCOMPARE(input.size(), 1);
    QVERIFY(input.first().at(0).toString().endsWith(QStringLiteral(" good")));
  }

  // (b) NER: the highlighted ranges are the TagResult's entities, converted to UTF-16.
  void nerHighlightsTheTaggersEntities() {
    PredictorService service;
    PlaygroundPanel panel(workspace_.get(), &service);
    loadAndSettle(panel, service, taggerFolder_);
    QCOMPARE(panel.mode(), PlaygroundPanel::Mode::Ner);
    const QString text =
        QStringLiteral("é😀 Zoë lives in Zürich and works at the café in Köln with José .");
    askAndSettle(panel, service, text, {});
    const TagResult direct =
        Predictor::load(taggerFolder_.toStdString(), "cpu", test::kInferencePrecision)
            .tag(text.toStdString());
    QVERIFY2(!direct.prediction.entities.empty(), "the scaled tagger should find some entities");
    QTextDocument* document = panel.nerView()->highlightedText()->document();
    QCOMPARE(document->toPlainText(), text);
    QCOMPARE(panel.nerView()->entityTable()->rowCount(),
             static_cast<int>(direct.prediction.entities.size()));
    std::vector<bool> coloured(text.size(), false);
    for (const TaggedEntity& e : direct.prediction.entities) {
      const Utf16Range range = utf16RangeOfCodePoints(text, e.start, e.end);
      QCOMPARE(textOf(document, range.start, range.end), QString::fromStdString(e.text));
      for (int p = range.start; p < range.end; ++p) {
        QCOMPARE(backgroundAt(document, p), entityTypeColour(QString::fromStdString(e.type)));
        coloured[p] = true;
      }
    }
    for (int p = 0; p < text.size(); ++p)
      if (!coloured[p])
        QVERIFY2(!backgroundAt(document, p).isValid(), qPrintable(QString::number(p)));
    screenshot(panel, QStringLiteral("playground-ner.png"));
  }

  // (b) QA: the highlighted span is the QaPrediction's best span; QA input is question A, context
  // B.
  void qaHighlightsThePredictedSpan() {
    PredictorService service;
    PlaygroundPanel panel(workspace_.get(), &service);
    loadAndSettle(panel, service, qaFolder_);
    QCOMPARE(panel.mode(), PlaygroundPanel::Mode::Qa);
    const QString question = QStringLiteral("where does zoë live ?");
    const QString context = QStringLiteral(
        "é😀 Zoë lives in Zürich , a town of France . José works at the café in Köln .");
    QSignalSpy input(&panel, &PlaygroundPanel::inputChanged);
    askAndSettle(panel, service, question, context);
    QVERIFY(!input.isEmpty());
    QCOMPARE(input.last().at(0).toString(), question);
    QCOMPARE(input.last().at(1).toString(), context);
    const AnswerResult direct =
        Predictor::load(qaFolder_.toStdString(), "cpu", test::kInferencePrecision)
            .answer(question.toStdString(), context.toStdString());
    const AnswerResult& shown = panel.qaView()->lastAnswer();
    QVERIFY(direct.prediction.hasSpan);
    QCOMPARE(shown.prediction.best.start, direct.prediction.best.start);
    QCOMPARE(shown.prediction.best.end, direct.prediction.best.end);
    QTextDocument* document = panel.qaView()->highlightedContext()->document();
    const Utf16Range range =
        utf16RangeOfCodePoints(context, direct.prediction.best.start, direct.prediction.best.end);
    verifyColouredExactly(document, range.start, range.end, answerHighlightColour());
    QCOMPARE(textOf(document, range.start, range.end),
             QString::fromStdString(direct.prediction.best.text));
    QCOMPARE(panel.qaView()->nBestTable()->rowCount(),
             static_cast<int>(direct.prediction.nBest.size()));
    screenshot(panel, QStringLiteral("playground-qa.png"));
  }

  // (b) A SQuAD v2 model (config.json's version_2_with_negative) may answer "no answer": the
  // page shows the same decision as the Predictor, and the null entry among the n best.
  void qaV2ModelsMayAnswerNothing() {
    const QString v2Folder = dir_.filePath(QStringLiteral("qa-v2"));
    QVERIFY(QDir().mkpath(v2Folder));
    for (const QString& name : QDir(qaFolder_).entryList(QDir::Files))
      QVERIFY(QFile::copy(QDir(qaFolder_).filePath(name), QDir(v2Folder).filePath(name)));
    QFile configFile(QDir(v2Folder).filePath(QStringLiteral("config.json")));
    QVERIFY(configFile.open(QIODevice::ReadOnly));
    QJsonObject config = QJsonDocument::fromJson(configFile.readAll()).object();
    configFile.close();
    config[QStringLiteral("version_2_with_negative")] = true;
    QVERIFY(configFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    configFile.write(QJsonDocument(config).toJson());
    configFile.close();

    PredictorService service;
    PlaygroundPanel panel(workspace_.get(), &service);
    loadAndSettle(panel, service, v2Folder);
    const QString question = QStringLiteral("where does zoë live ?");
    const QString context = QStringLiteral("Zoë lives in Zürich , a town of France .");
    askAndSettle(panel, service, question, context);
    const AnswerResult direct =
        Predictor::load(v2Folder.toStdString(), "cpu", test::kInferencePrecision)
            .answer(question.toStdString(), context.toStdString());
    QVERIFY(direct.allowNoAnswer);
    QCOMPARE(panel.qaView()->lastAnswer().prediction.predictedNull,
             direct.prediction.predictedNull);
    QVERIFY2(panel.qaView()->answerLabel()->text().contains(QStringLiteral("no answer"),
                                                            Qt::CaseInsensitive),
             qPrintable(panel.qaView()->answerLabel()->text()));
    // The table lists the null entry exactly when it made the Predictor's n best.
    bool nullListed = false, nullInNBest = false;
    for (int row = 0; row < panel.qaView()->nBestTable()->rowCount(); ++row)
      nullListed = nullListed || panel.qaView()->nBestTable()->item(row, 1)->text() ==
                                     QStringLiteral("(no answer)");
    for (const QaAnswerSpan& span : direct.prediction.nBest)
      nullInNBest = nullInNBest || span.isNull;
    QCOMPARE(nullListed, nullInNBest);
    QCOMPARE(panel.qaView()->nBestTable()->rowCount(),
             static_cast<int>(direct.prediction.nBest.size()));
  }

  // (b) A pre-trained model offers fill-mask only: k candidates per [MASK].
  void fillMaskListsCandidatesPerMask() {
    PredictorService service;
    PlaygroundPanel panel(workspace_.get(), &service);
    loadAndSettle(panel, service, pretrainedFolder_);
    QCOMPARE(panel.mode(), PlaygroundPanel::Mode::FillMask);
    QVERIFY(!panel.isModeAvailable(PlaygroundPanel::Mode::Classify));
    QVERIFY(!panel.isModeAvailable(PlaygroundPanel::Mode::Ner));
    QVERIFY(!panel.isModeAvailable(PlaygroundPanel::Mode::Qa));
    constexpr int k = 4;
    panel.fillMaskView()->setTopK(k);
    const QString text = QStringLiteral("the film was [MASK] and the music was [MASK] .");
    askAndSettle(panel, service, text, {});
    const FillMaskResult direct =
        Predictor::load(pretrainedFolder_.toStdString(), "cpu", test::kInferencePrecision)
            .fillMask(text.toStdString(), k);
    const auto& charts = panel.fillMaskView()->maskBars();
    QCOMPARE(charts.size(), size_t(2));
    for (size_t m = 0; m < charts.size(); ++m) {
      const auto& rows = charts[m]->rows();
      QCOMPARE(rows.size(), size_t(k));
      for (int i = 0; i < k; ++i) {
        QCOMPARE(rows[i].label, QString::fromStdString(direct.masks[m].candidates[i].token));
        QVERIFY(std::abs(rows[i].probability - direct.masks[m].candidates[i].probability) <
                kTolerance);
        if (i > 0) QVERIFY(rows[i].probability <= rows[i - 1].probability);
      }
    }
    QVERIFY(panel.fillMaskView()->filledSentenceLabel()->text().contains(
        QString::fromStdString(direct.masks[0].candidates[0].token)));
    screenshot(panel, QStringLiteral("playground-fill-mask.png"));
  }

  // A request without a model says what to do; the texts come back in a new panel.
  void errorsShowInPlaceAndTextsPersist() {
    // A workspace of its own: the shared one remembers the last model, and would load it.
    auto workspace =
        Workspace::create(dir_.filePath(QStringLiteral("fresh")), QStringLiteral("fresh"));
    PredictorService service;
    {
      PlaygroundPanel panel(workspace.get(), &service);
      panel.setMode(PlaygroundPanel::Mode::Ner);
      QSignalSpy input(&panel, &PlaygroundPanel::inputChanged);
      panel.currentView()->setTexts(QStringLiteral("Elena lives in Lyon"), {});
      QVERIFY(input.wait(kWaitMs));
      QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("No model loaded")),
               qPrintable(panel.statusLabel()->text()));
    }
    PlaygroundPanel reopened(workspace.get(), &service);
    QCOMPARE(reopened.mode(), PlaygroundPanel::Mode::Ner);
    QCOMPARE(reopened.currentTextA(), QStringLiteral("Elena lives in Lyon"));
  }
};

QTEST_MAIN(TestPlayground)
#include "test_playground.moc"
