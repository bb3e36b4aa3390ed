// The Embedding stage: the 2-D PCA on data with known answers (points on a line, a Gaussian
// with known axes, the N×N Gram path), the scatter (one point per sentence or per piece), the
// exports (.npy header and shape, projector TSV line counts) and the whole path through the
// PredictorService on a tiny model (L=2, H=32, A=2), including a layer choice the model
// cannot give (an error in the panel, not a crash).
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <optional>
#include <random>

#include "attention/embedding_panel.h"
#include "attention/embedding_scatter.h"
#include "attention/pca_projection.h"
#include "infer/predictor.h"
#include "panel_workspaces.h"
#include "shell/predictor_service.h"
#include "tiny_bert_checkpoint.h"
#include "widgets/qcustomplot_include.h"

using namespace bertwb;
using namespace bertwb::ui;

namespace {

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (size_t i = 0; i < a.size(); ++i) ma += a[i] / n, mb += b[i] / n;
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) * (a[i] - ma);
    bb += (b[i] - mb) * (b[i] - mb);
  }
  return ab / std::sqrt(aa * bb);
}

// The lower-case words and punctuation of `sentences`, for the tiny vocabulary.
std::vector<std::string> wordsOf(const QStringList& sentences) {
  std::vector<std::string> words;
  for (const QString& sentence : sentences) {
    QString spaced = sentence.toLower();
    spaced.replace(QRegularExpression(QStringLiteral("([.,?!])")), QStringLiteral(" \\1 "));
    for (const QString& word : spaced.split(' ', Qt::SkipEmptyParts))
      words.push_back(word.toStdString());
  }
  return words;
}

int lineCount(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return -1;
  return static_cast<int>(file.readAll().count('\n'));
}

}  // namespace

class TestEmbeddingView : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString modelFolder_;
  std::optional<Predictor> predictor_;

  std::vector<EmbeddingResult> embedDemo(const EmbedOptions& options = {}) const {
    std::vector<EmbeddingResult> results;
    for (const QString& sentence : EmbeddingPanel::demoSentences())
      results.push_back(predictor_->embed(sentence.toStdString(), std::nullopt, options));
    return results;
  }
  static int pieceCount(const std::vector<EmbeddingResult>& results) {
    int count = 0;
    for (const EmbeddingResult& result : results) count += static_cast<int>(result.pieces.size());
    return count;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    modelFolder_ = dir_.filePath("tiny-bert");
    test::saveTinyBertCheckpoint(modelFolder_, wordsOf(EmbeddingPanel::demoSentences()));
    predictor_.emplace(
        Predictor::load(modelFolder_.toStdString(), "cpu", test::kInferencePrecision));
  }

  // --- PCA -----------------------------------------------------------------------------------

  void pointsOnALineAreAllOnTheFirstComponent() {
    // x = base + t · direction in 5-D, t = -3 .. 4.
    const std::vector<double> base = {1, -2, 0.5, 3, 0}, direction = {0.2, -0.4, 0.1, 0.8, 0.4};
    std::vector<float> rows;
    std::vector<double> ts;
    for (int k = 0; k < 8; ++k) {
      const double t = k - 3.0;
      ts.push_back(t);
      for (int d = 0; d < 5; ++d) rows.push_back(static_cast<float>(base[d] + t * direction[d]));
    }
    const PcaProjection projection = projectTo2d(rows, 8, 5);
    QVERIFY(std::abs(projection.explained[0] - 1.0) < 1e-6);
    QVERIFY(projection.explained[1] < 1e-6);
    QVERIFY(std::abs(std::abs(correlation(projection.x, ts)) - 1.0) < 1e-6);
    for (double y : projection.y) QVERIFY(std::abs(y) < 1e-3);
    // The sign is fixed: the axis's largest entry (0.8 on dimension 3) is positive.
    QVERIFY(projection.firstAxis[3] > 0);
    QVERIFY(correlation(projection.x, ts) > 0);
  }

  void aGaussianWithKnownAxesIsRecovered() {
    // Standard deviation 3 along (cos 30°, sin 30°, 0, 0), 1 along (-sin 30°, cos 30°, 0, 0).
    const double angle = M_PI / 6;
    const double major[4] = {std::cos(angle), std::sin(angle), 0, 0};
    const double minor[4] = {-std::sin(angle), std::cos(angle), 0, 0};
    std::mt19937 random(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    const int N = 4000;
    std::vector<float> rows;
    for (int i = 0; i < N; ++i) {
      const double a = 3 * normal(random), b = normal(random);
      for (int d = 0; d < 4; ++d)
        rows.push_back(static_cast<float>(5 + a * major[d] + b * minor[d]));
    }
    const PcaProjection projection = projectTo2d(rows, N, 4);
    double dotMajor = 0, dotMinor = 0;
    for (int d = 0; d < 4; ++d) {
      dotMajor += projection.firstAxis[d] * major[d];
      dotMinor += projection.secondAxis[d] * minor[d];
    }
    QVERIFY2(std::abs(dotMajor) > 0.995, qPrintable(QString::number(dotMajor)));
    QVERIFY2(std::abs(dotMinor) > 0.995, qPrintable(QString::number(dotMinor)));
    QVERIFY2(std::abs(projection.explained[0] - 0.9) < 0.02,
             qPrintable(QString::number(projection.explained[0])));
    QVERIFY(std::abs(projection.explained[0] + projection.explained[1] - 1.0) < 1e-6);
  }

  void theGramPathAgreesWithTheCovariancePath() {
    // Six points in 40-D (N < D: the N×N Gram matrix) and the same six padded... compared with
    // the covariance path on the same points restricted to their span: the scores must match.
    std::mt19937 random(3);
    std::normal_distribution<double> normal(0.0, 1.0);
    const int N = 6, D = 40, smallD = 4;
    std::vector<float> small;  // (N, 4)
    for (int i = 0; i < N * smallD; ++i)
      small.push_back(static_cast<float>(normal(random) * (1 + i % smallD)));
    // Embed the 4-D points in 40-D by an orthonormal map: dimensions 0, 10, 20, 30.
    std::vector<float> wide(static_cast<size_t>(N) * D, 0.0f);
    for (int i = 0; i < N; ++i)
      for (int d = 0; d < smallD; ++d)
        wide[static_cast<size_t>(i) * D + 10 * d] = small[i * smallD + d];
    const PcaProjection viaCovariance = projectTo2d(small, N, smallD);  // N > D: covariance path
    const PcaProjection viaGram = projectTo2d(wide, N, D);              // N < D: Gram path
    for (int i = 0; i < N; ++i) {
      QVERIFY(std::abs(viaCovariance.x[i] - viaGram.x[i]) < 1e-4);
      QVERIFY(std::abs(viaCovariance.y[i] - viaGram.y[i]) < 1e-4);
    }
    QVERIFY(std::abs(viaCovariance.explained[0] - viaGram.explained[0]) < 1e-6);
    QVERIFY(viaGram.explained[0] >= viaGram.explained[1]);
  }

  void degenerateInputsGiveZeros() {
    QVERIFY(projectTo2d({}, 0, 3).x.empty());
    const PcaProjection one = projectTo2d({1, 2, 3}, 1, 3);
    QCOMPARE(one.x.size(), size_t(1));
    QCOMPARE(one.x[0], 0.0);
    QCOMPARE(one.explained[0], 0.0);
  }

  // --- the panel -----------------------------------------------------------------------------

  void scatterHasOnePointPerSentenceOrPiece() {
    EmbeddingPanel panel(nullptr);
    panel.resize(1200, 800);
    QVERIFY(panel.message().contains(QStringLiteral("Load a model")));
    const QStringList sentences = EmbeddingPanel::demoSentences();
    QCOMPARE(panel.sentences(), sentences);
    const std::vector<EmbeddingResult> results = embedDemo();
    panel.setResults(sentences, results);
    QCOMPARE(panel.scatter()->pointCount(), int(sentences.size()));
    QCOMPARE(panel.scatter()->labelCount(), int(sentences.size()));
    QCOMPARE(panel.projection().x.size(), size_t(sentences.size()));
    QVERIFY(panel.projection().explained[0] > 0 && panel.projection().explained[0] <= 1);
    QVERIFY(panel.scatter()->plot()->xAxis->label().contains(QStringLiteral("PC1")));
    panel.setPoints(EmbeddingPanel::Points::Tokens);
    QCOMPARE(panel.scatter()->pointCount(), pieceCount(results));
    // Many pieces, some close together: the labels shown never cover one another.
    panel.scatter()->plot()->replot();
    const QVector<QRect> shown = panel.scatter()->visibleLabelRects();
    QVERIFY(!shown.isEmpty());
    for (int i = 0; i < shown.size(); ++i)
      for (int j = i + 1; j < shown.size(); ++j) QVERIFY(!shown[i].intersects(shown[j]));
    QCOMPARE(panel.projection().x.size(), size_t(pieceCount(results)));
    QCOMPARE(panel.scatter()->points().front().label,
             QString::fromStdString(results.front().pieces.front()));
    // Hovering the first point finds it.
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const ScatterPoint& first = panel.scatter()->points().front();
    const QPoint at(static_cast<int>(panel.scatter()->plot()->xAxis->coordToPixel(first.x)),
                    static_cast<int>(panel.scatter()->plot()->yAxis->coordToPixel(first.y)));
    const int found = panel.scatter()->pointAt(at);
    QVERIFY(found >= 0);
    QCOMPARE(panel.scatter()->points()[found].x, first.x);
  }

  void exportsWriteNumpyAndProjectorFiles() {
    EmbeddingPanel panel(nullptr);
    QTemporaryDir out;
    QString error;
    QVERIFY(!panel.exportNpy(out.filePath("none.npy"), &error));  // nothing computed yet
    QVERIFY(error.contains(QStringLiteral("compute")));
    const QStringList sentences = EmbeddingPanel::demoSentences();
    const std::vector<EmbeddingResult> results = embedDemo();
    panel.setResults(sentences, results);
    const QString npy = out.filePath("sentences.npy");
    QVERIFY2(panel.exportNpy(npy, &error), qPrintable(error));
    QFile file(npy);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith(QByteArray("\x93NUMPY\x01\x00", 8)));
    const int headerLength =
        static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    QCOMPARE((10 + headerLength) % 64, 0);
    const QByteArray header = bytes.mid(10, headerLength);
    QVERIFY(header.contains("'descr': '<f4'"));
    QVERIFY2(header.contains(QStringLiteral("'shape': (%1, %2)")
                                 .arg(sentences.size())
                                 .arg(test::kTinyHidden)
                                 .toUtf8()),
             header.constData());
    QCOMPARE(bytes.size(), 10 + headerLength + int(sentences.size()) * test::kTinyHidden * 4);
    // The first value is the first sentence vector's first value.
    float first = 0;
    memcpy(&first, bytes.constData() + 10 + headerLength, sizeof(float));
    QCOMPARE(first, results.front().sentenceVector.front());

    const QString folder = out.filePath("projector");
    QVERIFY2(panel.exportProjector(folder, &error), qPrintable(error));
    const int pieces = pieceCount(results);
    QCOMPARE(lineCount(folder + "/vectors.tsv"), pieces);
    QCOMPARE(lineCount(folder + "/metadata.tsv"), pieces + 1);  // a header row: piece, line
    QCOMPARE(lineCount(folder + "/sentence_vectors.tsv"), int(sentences.size()));
    QCOMPARE(lineCount(folder + "/sentence_metadata.tsv"), int(sentences.size()));
    QFile vectors(folder + "/vectors.tsv");
    QVERIFY(vectors.open(QIODevice::ReadOnly));
    QCOMPARE(vectors.readLine().count('\t'), test::kTinyHidden - 1);
    QVERIFY(QFile::exists(folder + "/tokens.npy"));
    // A file where a folder should be: a clear error, no crash.
    QFile blocker(out.filePath("blocked"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QVERIFY(!panel.exportProjector(out.filePath("blocked"), &error));
    QVERIFY(!error.isEmpty());
  }

  void servicePathComputesShowsAndReportsErrors() {
    PredictorService service;
    EmbeddingPanel panel(&service);
    panel.resize(1200, 800);
    panel.show();
    QSignalSpy shown(&panel, &EmbeddingPanel::resultsShown);
    QSignalSpy loaded(&service, &PredictorService::loaded);
    service.load(modelFolder_, QStringLiteral("cpu"));
    QVERIFY(loaded.wait(20000));
    // Loading computes the demo sentences right away.
    QVERIFY(shown.count() > 0 || shown.wait(20000));
    QCOMPARE(panel.scatter()->pointCount(), int(EmbeddingPanel::demoSentences().size()));
    QVERIFY(panel.message().contains(QStringLiteral("ms")));
    test::saveScreenshot(panel, QStringLiteral("embedding-view.png"));
    panel.setPoints(EmbeddingPanel::Points::Tokens);
    test::saveScreenshot(panel, QStringLiteral("embedding-tokens.png"));
    panel.setPoints(EmbeddingPanel::Points::Sentences);
    // Two layers: the choices that reach back four are greyed out.
    QVERIFY(panel.isLayerSpecOffered(QStringLiteral("-1")));
    QVERIFY(panel.isLayerSpecOffered(QStringLiteral("-2")));
    QVERIFY(!panel.isLayerSpecOffered(QStringLiteral("sum4")));
    QVERIFY(!panel.isLayerSpecOffered(QStringLiteral("-4")));

    panel.setPooling(EmbeddingPooling::Mean);  // recomputes
    QVERIFY(shown.wait(20000));
    const EmbeddingResult expected =
        predictor_->embed(EmbeddingPanel::demoSentences().front().toStdString(), std::nullopt,
                          EmbedOptions{"-1", EmbeddingPooling::Mean});
    QVERIFY(service.waitUntilIdle(20000));
    // Chosen anyway (from code), a spec the model cannot give is an error in the panel.
    panel.setLayerSpec(QStringLiteral("sum4"));
    QVERIFY(service.waitUntilIdle(20000));
    QTRY_VERIFY(panel.message().contains(QStringLiteral("2 layers")));
    QVERIFY(expected.sentenceVector.size() == size_t(test::kTinyHidden));
  }
};

QTEST_MAIN(TestEmbeddingView)
#include "test_embedding_view.moc"
