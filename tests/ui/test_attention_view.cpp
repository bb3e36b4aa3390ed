// The Attention stage: the selection logic on hand-made matrices (which rows and columns
// remain, A→B, renormalised rows), the three views and the panel on a tiny real model
// (L=2, H=32, A=2) for a sentence and a pair (heatmap size = piece count; grid = L×A
// pictures; a click opens that head), the exports (a PNG that loads, an SVG with "<svg"),
// and the whole path through the PredictorService (load, setInput, the heatmap appears).
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <optional>

#include "attention/attention_grid.h"
#include "attention/attention_heatmap.h"
#include "attention/attention_lines.h"
#include "attention/attention_panel.h"
#include "attention/attention_selection.h"
#include "infer/predictor.h"
#include "panel_workspaces.h"
#include "shell/predictor_service.h"
#include "tiny_bert_checkpoint.h"
#include "util/error.h"
#include "widgets/qcustomplot_include.h"

using namespace bertwb;
using namespace bertwb::ui;

namespace {

constexpr double kTolerance = 1e-5;

// [CLS] a b [SEP] c [SEP] with one layer and two heads; head 0 holds w[i][j] = 10·i + j + 1
// (rows not normalised, so selections can be checked cell by cell), head 1 is uniform.
AttentionMaps handMadeMaps() {
  AttentionMaps maps;
  maps.pieces = {"[CLS]", "a", "b", "[SEP]", "c", "[SEP]"};
  maps.layers = 1;
  maps.heads = 2;
  maps.length = 6;
  maps.weights.resize(2 * 6 * 6);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      maps.weights[i * 6 + j] = static_cast<float>(10 * i + j + 1);
      maps.weights[36 + i * 6 + j] = 1.0f / 6;
    }
  return maps;
}

int specialCount(const std::vector<std::string>& pieces) {
  return static_cast<int>(std::count_if(pieces.begin(), pieces.end(), isSpecialPiece));
}

int segmentSize(const std::vector<std::string>& pieces, int segment, bool hideSpecial) {
  const std::vector<int> segments = segmentsOfPieces(pieces);
  int count = 0;
  for (size_t i = 0; i < pieces.size(); ++i)
    if (segments[i] == segment && !(hideSpecial && isSpecialPiece(pieces[i]))) ++count;
  return count;
}

}  // namespace

class TestAttentionView : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString modelFolder_;
  std::optional<Predictor> predictor_;

  AttentionMaps sentenceMaps() const { return predictor_->attentions("the cat sat on the mat ."); }
  AttentionMaps pairMaps() const {
    return predictor_->attentions("where does anna live ?", "anna lives in bern .");
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    modelFolder_ = dir_.filePath("tiny-bert");
    test::saveTinyBertCheckpoint(modelFolder_);
    predictor_.emplace(
        Predictor::load(modelFolder_.toStdString(), "cpu", test::kInferencePrecision));
  }

  // --- the selection logic ---------------------------------------------------------------

  void segmentsFollowTheFirstSep() {
    const std::vector<int> segments = segmentsOfPieces(handMadeMaps().pieces);
    QCOMPARE(segments, (std::vector<int>{0, 0, 0, 0, 1, 1}));
    QVERIFY(hasSecondSegment(handMadeMaps().pieces));
    QVERIFY(!hasSecondSegment({"[CLS]", "a", "[SEP]"}));
  }

  void selectionKeepsTheRightRowsAndColumns_data() {
    QTest::addColumn<bool>("hideSpecial");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QList<int>>("rowList");
    QTest::addColumn<QList<int>>("columnList");
    const int all = static_cast<int>(AttentionDirection::All);
    const int aToB = static_cast<int>(AttentionDirection::AToB);
    const int bToA = static_cast<int>(AttentionDirection::BToA);
    QTest::newRow("everything") << false << all << QList<int>{0, 1, 2, 3, 4, 5}
                                << QList<int>{0, 1, 2, 3, 4, 5};
    QTest::newRow("no specials") << true << all << QList<int>{1, 2, 4} << QList<int>{1, 2, 4};
    QTest::newRow("A to B") << false << aToB << QList<int>{0, 1, 2, 3} << QList<int>{4, 5};
    QTest::newRow("A to B, no specials") << true << aToB << QList<int>{1, 2} << QList<int>{4};
    QTest::newRow("B to A") << false << bToA << QList<int>{4, 5} << QList<int>{0, 1, 2, 3};
    QTest::newRow("B to A, no specials") << true << bToA << QList<int>{4} << QList<int>{1, 2};
  }
  void selectionKeepsTheRightRowsAndColumns() {
    QFETCH(bool, hideSpecial);
    QFETCH(int, direction);
    QFETCH(QList<int>, rowList);
    QFETCH(QList<int>, columnList);
    const std::vector<int> rows(rowList.begin(), rowList.end());
    const std::vector<int> columns(columnList.begin(), columnList.end());
    const AttentionMaps maps = handMadeMaps();
    AttentionViewOptions options;
    options.hideSpecial = hideSpecial;
    options.direction = static_cast<AttentionDirection>(direction);
    const AttentionSelection selection = selectAttention(maps, 0, 0, options);
    QCOMPARE(selection.rowIndices, rows);
    QCOMPARE(selection.columnIndices, columns);
    QCOMPARE(selection.values.size(), rows.size() * columns.size());
    for (int r = 0; r < selection.rows(); ++r) {
      QCOMPARE(selection.rowLabels[r], maps.pieces[rows[r]]);
      for (int c = 0; c < selection.columns(); ++c)
        QCOMPARE(selection.at(r, c), static_cast<float>(10 * rows[r] + columns[c] + 1));
    }
    QCOMPARE(selection.maxValue, static_cast<float>(10 * rows.back() + columns.back() + 1));
  }

  void normalisedRowsSumToOne() {
    AttentionViewOptions options;
    options.hideSpecial = true;
    options.normaliseRows = true;
    options.direction = AttentionDirection::AToB;
    const AttentionSelection aToB = selectAttention(handMadeMaps(), 0, 0, options);
    QCOMPARE(aToB.columns(), 1);  // only "c": every row is 1 after normalising
    for (int r = 0; r < aToB.rows(); ++r) QVERIFY(std::abs(aToB.at(r, 0) - 1.0f) < kTolerance);
    options.direction = AttentionDirection::All;
    const AttentionSelection all = selectAttention(handMadeMaps(), 0, 0, options);
    for (int r = 0; r < all.rows(); ++r) {
      double sum = 0;
      for (int c = 0; c < all.columns(); ++c) sum += all.at(r, c);
      QVERIFY2(std::abs(sum - 1.0) < kTolerance, qPrintable(QString::number(sum)));
    }
    // Row "a" (index 1) keeps columns a, b, c = 12, 13, 15 → 12/40.
    QVERIFY(std::abs(all.at(0, 0) - 12.0f / 40.0f) < kTolerance);
    // Without normalising, the uniform head keeps its raw 1/6.
    options.normaliseRows = false;
    QVERIFY(std::abs(selectAttention(handMadeMaps(), 0, 1, options).at(0, 0) - 1.0f / 6) <
            kTolerance);
  }

  void headsOutOfRangeAreAnError() {
    QVERIFY_THROWS_EXCEPTION(Error, selectAttention(handMadeMaps(), 1, 0, {}));
    QVERIFY_THROWS_EXCEPTION(Error, selectAttention(handMadeMaps(), 0, 2, {}));
  }

  // --- the views on a real model ---------------------------------------------------------

  void heatmapHasOneCellPerPiece() {
    for (const AttentionMaps& maps : {sentenceMaps(), pairMaps()}) {
      QCOMPARE(maps.layers, test::kTinyLayers);
      QCOMPARE(maps.heads, test::kTinyHeads);
      const int pieces = static_cast<int>(maps.pieces.size());
      QCOMPARE(maps.length, pieces);
      AttentionHeatmap heatmap;
      heatmap.resize(900, 700);
      heatmap.setSelection(selectAttention(maps, 1, 0, {}), QStringLiteral("layer 2, head 1"));
      QCOMPARE(heatmap.rowCount(), pieces);
      QCOMPARE(heatmap.columnCount(), pieces);
      // Unnormalised rows of a real softmax sum to 1 already.
      const AttentionSelection& shown = heatmap.selection();
      for (int r = 0; r < shown.rows(); ++r) {
        double sum = 0;
        for (int c = 0; c < shown.columns(); ++c) sum += shown.at(r, c);
        QVERIFY(std::abs(sum - 1.0) < 1e-4);
      }
      AttentionViewOptions hidden;
      hidden.hideSpecial = true;
      heatmap.setSelection(selectAttention(maps, 0, 1, hidden), QString());
      QCOMPARE(heatmap.rowCount(), pieces - specialCount(maps.pieces));
      QCOMPARE(heatmap.columnCount(), pieces - specialCount(maps.pieces));
    }
    // The pair: [CLS] A [SEP] B [SEP], three specials; A→B is |A| × |B|.
    const AttentionMaps pair = pairMaps();
    QCOMPARE(specialCount(pair.pieces), 3);
    for (bool hideSpecial : {false, true}) {
      AttentionViewOptions aToB;
      aToB.direction = AttentionDirection::AToB;
      aToB.hideSpecial = hideSpecial;
      const AttentionSelection selection = selectAttention(pair, 0, 0, aToB);
      QCOMPARE(selection.rows(), segmentSize(pair.pieces, 0, hideSpecial));
      QCOMPARE(selection.columns(), segmentSize(pair.pieces, 1, hideSpecial));
    }
    AttentionViewOptions aToB;
    aToB.direction = AttentionDirection::AToB;
    aToB.hideSpecial = true;
    QCOMPARE(selectAttention(pair, 0, 0, aToB).rows(), 5);     // where does anna live ?
    QCOMPARE(selectAttention(pair, 0, 0, aToB).columns(), 5);  // anna lives in bern .
  }

  void heatmapCellsStayReadableOnLongInputs() {
    QString longText;
    for (int i = 0; i < 12; ++i) longText += QStringLiteral("the cat sat on the mat . ");
    const AttentionMaps maps = predictor_->attentions(longText.toStdString());
    QVERIFY(maps.length > 60);
    AttentionHeatmap heatmap;
    heatmap.resize(800, 600);
    heatmap.show();
    heatmap.setSelection(selectAttention(maps, 0, 0, {}), QString());
    const int cell = heatmap.cellPixels();
    QVERIFY2(cell >= 20, qPrintable(QString::number(cell)));
    QVERIFY(heatmap.plot()->height() > 600);  // larger than the window: it scrolls
    auto* scroll = heatmap.findChild<QScrollArea*>();
    QVERIFY(scroll && scroll->verticalScrollBar()->maximum() > 0);
    heatmap.zoomIn();
    QVERIFY(heatmap.cellPixels() > cell);
    // Zoomed out, cells and labels shrink together: the rows stay one label apart.
    heatmap.setZoom(0.5);
    QVERIFY(heatmap.cellPixels() < cell);
    QVERIFY(QFontMetrics(heatmap.plot()->yAxis->tickLabelFont()).height() <=
            heatmap.cellPixels() + 2);
    heatmap.setZoom(1.0);
    QCOMPARE(heatmap.cellDescription(0, 1),
             QStringLiteral("[CLS] → the: %1").arg(heatmap.selection().at(0, 1), 0, 'f', 3));
  }

  void linesViewFocusesOnePiece() {
    const AttentionMaps maps = pairMaps();
    AttentionLines lines;
    lines.resize(700, 500);
    lines.show();
    QVERIFY(QTest::qWaitForWindowExposed(&lines));
    lines.setSelection(selectAttention(maps, 1, 1, {}), QStringLiteral("layer 2, head 2"));
    const int pieces = static_cast<int>(maps.pieces.size());
    QVERIFY(lines.minimumSizeHint().height() >= pieces * 20);
    const int all = lines.visibleLineCount();
    QVERIFY(all >= pieces);  // every row has a weight of at least 1/pieces > the 0.02 floor
    QVERIFY(all <= pieces * pieces);
    QTest::mouseMove(&lines, lines.pieceRect(AttentionLines::Side::Left, 2).center());
    QCOMPARE(lines.focusSide(), AttentionLines::Side::Left);
    QCOMPARE(lines.focusIndex(), 2);
    QVERIFY(lines.visibleLineCount() <= pieces);
    QVERIFY(lines.visibleLineCount() >= 1);

    // Presentation mode's larger text: each row grows with the label, so labels never overlap.
    QFont large = lines.font();
    large.setPointSizeF(large.pointSizeF() * 2);
    lines.setFont(large);
    const QRect first = lines.pieceRect(AttentionLines::Side::Left, 0);
    QVERIFY(first.height() >= QFontMetrics(large).height());
    QVERIFY(lines.pieceRect(AttentionLines::Side::Left, 1).top() >= first.bottom());
    QVERIFY(lines.minimumSizeHint().height() >= pieces * QFontMetrics(large).height());
  }

  void gridHasEveryHeadAndAClickOpensIt() {
    AttentionGrid grid;
    grid.setMaps(pairMaps(), {});
    QCOMPARE(grid.thumbnailCount(), test::kTinyLayers * test::kTinyHeads);
    const int pieces = static_cast<int>(pairMaps().pieces.size());
    QCOMPARE(grid.thumbnail(1, 1).size(), QSize(pieces, pieces));
    grid.resize(grid.sizeHint());
    QSignalSpy chosen(&grid, &AttentionGrid::headChosen);
    QTest::mouseClick(&grid, Qt::LeftButton, {}, grid.thumbnailRect(1, 0).center());
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.at(0).at(0).toInt(), 1);
    QCOMPARE(chosen.at(0).at(1).toInt(), 0);
  }

  // --- the panel -------------------------------------------------------------------------

  void panelWithoutAModelSaysSo() {
    PredictorService service;
    AttentionPanel panel(&service);
    panel.setInput(QStringLiteral("the cat sat"));
    QVERIFY(panel.message().contains(QStringLiteral("Load a model")));
    QVERIFY(!panel.hasMaps());
  }

  void panelShowsMapsExportsAndOpensHeads() {
    AttentionPanel panel(nullptr);
    panel.resize(1200, 800);
    panel.show();
    panel.setMaps(pairMaps());
    const int pieces = static_cast<int>(pairMaps().pieces.size());
    QCOMPARE(panel.heatmap()->rowCount(), pieces);
    QCOMPARE(panel.grid()->thumbnailCount(), test::kTinyLayers * test::kTinyHeads);
    // A click in the grid opens that head in the heatmap.
    panel.setView(AttentionPanel::View::Grid);
    QTest::mouseClick(panel.grid(), Qt::LeftButton, {}, panel.grid()->thumbnailRect(1, 1).center());
    QCOMPARE(panel.layer(), 1);
    QCOMPARE(panel.head(), 1);
    QCOMPARE(panel.view(), AttentionPanel::View::Heatmap);
    const AttentionSelection expected = selectAttention(pairMaps(), 1, 1, {});
    QCOMPARE(panel.heatmap()->selection().values, expected.values);

    AttentionViewOptions options;
    options.direction = AttentionDirection::AToB;
    options.hideSpecial = true;
    panel.setOptions(options);
    QCOMPARE(panel.heatmap()->rowCount(), 5);
    QCOMPARE(panel.heatmap()->columnCount(), 5);
    panel.setOptions({});

    QTemporaryDir out;
    for (AttentionPanel::View view :
         {AttentionPanel::View::Heatmap, AttentionPanel::View::Lines, AttentionPanel::View::Grid}) {
      panel.setView(view);
      const QString png = out.filePath(QStringLiteral("view%1.png").arg(static_cast<int>(view)));
      const QString svg = out.filePath(QStringLiteral("view%1.svg").arg(static_cast<int>(view)));
      QString error;
      QVERIFY2(panel.exportPng(png, &error), qPrintable(error));
      QVERIFY2(panel.exportSvg(svg, &error), qPrintable(error));
      const QImage image(png);
      QVERIFY(!image.isNull());
      QVERIFY(image.width() > 200 && image.height() > 100);
      QFile file(svg);
      QVERIFY(file.open(QIODevice::ReadOnly));
      const QByteArray text = file.readAll();
      QVERIFY(text.contains("<svg"));
      QVERIFY(text.contains("</svg>"));
    }
    QString error;
    QVERIFY(!panel.exportPng(out.filePath("missing/folder/x.png"), &error));
    QVERIFY(!error.isEmpty());
  }

  void panelScreenshots() {
    PredictorService service;
    AttentionPanel panel(&service);
    panel.resize(1200, 800);
    panel.show();
    QSignalSpy loaded(&service, &PredictorService::loaded);
    service.load(modelFolder_, QStringLiteral("cpu"));
    QVERIFY(loaded.wait(20000));
    QString context;
    for (int i = 0; i < 3; ++i)
      context += QStringLiteral("anna lives in bern and works as a nurse . ");
    QSignalSpy shown(&panel, &AttentionPanel::mapsShown);
    panel.setInput(QStringLiteral("where does anna live ?"), context.trimmed());
    QVERIFY(shown.wait(20000));
    panel.setHead(1, 0);
    panel.setView(AttentionPanel::View::Heatmap);
    QTest::qWait(50);
    test::saveScreenshot(panel, QStringLiteral("attention-heatmap.png"));
    panel.setView(AttentionPanel::View::Lines);
    panel.lines()->setFocusPiece(AttentionLines::Side::Left, 3);  // "anna": as if hovered
    QTest::qWait(50);
    test::saveScreenshot(panel, QStringLiteral("attention-lines.png"));
    panel.setView(AttentionPanel::View::Grid);
    QTest::qWait(50);
    test::saveScreenshot(panel, QStringLiteral("attention-grid.png"));
  }

  // --- end to end through the service ------------------------------------------------------

  void fineTunedModelsShowTheirAttentionToo() {
    const QString classifier = dir_.filePath("tiny-classifier");
    test::saveTinyClassifierCheckpoint(classifier);
    PredictorService service;
    AttentionPanel panel(&service);
    QSignalSpy loaded(&service, &PredictorService::loaded);
    service.load(classifier, QStringLiteral("cpu"));
    QVERIFY(loaded.wait(20000));
    QCOMPARE(service.architecture(), QStringLiteral("BertForSequenceClassification"));
    QSignalSpy shown(&panel, &AttentionPanel::mapsShown);
    panel.setInput(QStringLiteral("the movie was great"), QStringLiteral("it was very good"));
    QVERIFY(shown.wait(20000));
    QCOMPARE(panel.maps().layers, test::kTinyLayers);
    QCOMPARE(panel.heatmap()->rowCount(), 11);  // [CLS] 4 [SEP] 4 [SEP]
    QCOMPARE(panel.grid()->thumbnailCount(), test::kTinyLayers * test::kTinyHeads);
  }

  void serviceComputesTheMapsForTheInput() {
    PredictorService service;
    AttentionPanel panel(&service);
    QSignalSpy loaded(&service, &PredictorService::loaded);
    service.load(modelFolder_, QStringLiteral("cpu"));
    QVERIFY(loaded.wait(20000));
    QVERIFY(panel.modelName().contains(QStringLiteral("tiny-bert")));
    QSignalSpy shown(&panel, &AttentionPanel::mapsShown);
    panel.setInput(QStringLiteral("the cat sat on the mat ."),
                   QStringLiteral("a dog ran in the park ."));
    QVERIFY(shown.wait(20000));
    const AttentionMaps expected =
        predictor_->attentions("the cat sat on the mat .", "a dog ran in the park .");
    QCOMPARE(panel.maps().pieces, expected.pieces);
    QCOMPARE(panel.heatmap()->rowCount(), static_cast<int>(expected.pieces.size()));
    QVERIFY(panel.message().isEmpty());
    panel.setInput(QString());
    QVERIFY(panel.message().contains(QStringLiteral("Type a sentence")));
  }
};

QTEST_MAIN(TestAttentionView)
#include "test_attention_view.moc"
