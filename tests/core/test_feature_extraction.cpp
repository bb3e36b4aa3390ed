// Feature-based use: layer specs, the vectors extractFeatures returns (dimensions, sums,
// concatenations, [CLS] and mean pooling, sentence pairs), and the files writeFeatures
// leaves: .npy arrays that NumPy itself reads back with the same values, projector TSVs.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "infer/feature_extraction.h"
#include "io/feature_files.h"
#include "io/npy_writer.h"
#include "model/initialization.h"
#include "test_support.h"
#include "text/wordpiece_tokenizer.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

// Debian's interpreter, which python3-numpy (packaging/debian-packages.txt) installs into.
const char* const kSystemPython = "/usr/bin/python3";

std::unique_ptr<WordPieceTokenizer> makeTokenizer() {
  const std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]",  "[MASK]",
                                           "anna",  "lives", "in",    "bergen", ".",
                                           "serve", "the",   "pasta", "warm"};
  WordPieceOptions options;
  options.doLowerCase = true;
  return std::make_unique<WordPieceTokenizer>(Vocab::fromTokens(tokens, "test vocab"), options);
}

BertModel makeModel(int layers) {
  BertConfig c;
  c.vocab_size = 14;
  c.hidden_size = 16;
  c.num_hidden_layers = layers;
  c.num_attention_heads = 2;
  c.intermediate_size = 32;
  c.max_position_embeddings = 64;
  BertModel model(c);
  initializeBertWeights(*model, c.initializer_range, /*seed=*/7);
  return model;
}

float rowSum(const std::vector<float>& values, int64_t row, int64_t dimension) {
  float sum = 0;
  for (int64_t d = 0; d < dimension; ++d) sum += values[static_cast<size_t>(row * dimension + d)];
  return sum;
}

}  // namespace

class TestFeatureExtraction : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void layerSpecs_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("sum");
    QTest::addColumn<QList<int>>("layers");
    QTest::newRow("last") << "-1" << false << QList<int>{4};
    QTest::newRow("second to last") << "-2" << false << QList<int>{3};
    QTest::newRow("two, in order") << "-2,-1" << false << QList<int>{3, 4};
    QTest::newRow("embeddings") << "0" << false << QList<int>{0};
    QTest::newRow("sum of last four") << "sum4" << true << QList<int>{1, 2, 3, 4};
    QTest::newRow("concat of last two") << "concat2" << false << QList<int>{3, 4};
  }
  void layerSpecs() {
    QFETCH(QString, spec);
    QFETCH(bool, sum);
    QFETCH(QList<int>, layers);
    const LayerSelection selection = parseLayerSpec(spec.toStdString(), /*layerCount=*/4);
    QCOMPARE(selection.sum, sum);
    QCOMPARE(QList<int>(selection.layers.begin(), selection.layers.end()), layers);
  }

  void badLayerSpecsSayWhy_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("expected");
    QTest::newRow("beyond the model") << "-6"
                                      << "out of range";
    QTest::newRow("more than the model") << "sum9"
                                         << "has 4 layers";
    QTest::newRow("not a number") << "last"
                                  << "not a layer number";
    QTest::newRow("empty") << ""
                           << "empty";
  }
  void badLayerSpecsSayWhy() {
    QFETCH(QString, spec);
    QFETCH(QString, expected);
    const QString message = errorOf([&] { parseLayerSpec(spec.toStdString(), 4); });
    QVERIFY2(message.contains(expected), qPrintable(message));
  }

  void npyHeaderFollowsTheFormat() {
    for (const std::vector<int64_t>& shape : {std::vector<int64_t>{3}, {18, 256}, {2, 3, 4}}) {
      const std::string header = npyHeaderFloat32(shape);
      QCOMPARE(header.substr(0, 6), std::string("\x93NUMPY"));
      QCOMPARE(header.size() % 64, size_t(0));
      QCOMPARE(header.back(), '\n');
      const size_t declared =
          static_cast<unsigned char>(header[8]) | (static_cast<unsigned char>(header[9]) << 8);
      QCOMPARE(declared, header.size() - 10);
    }
    QVERIFY(npyHeaderFloat32({3}).find("'shape': (3,)") != std::string::npos);  // a Python 1-tuple
    QVERIFY(npyHeaderFloat32({18, 256}).find("'shape': (18, 256)") != std::string::npos);
    // A streamed file reserves its header before the shape is known: padded to a given size.
    const std::string padded = npyHeaderFloat32({18, 256}, 192);
    QCOMPARE(padded.size(), size_t(192));
    QCOMPARE(padded.back(), '\n');
    QCOMPARE(static_cast<size_t>(static_cast<unsigned char>(padded[8]) |
                                 (static_cast<unsigned char>(padded[9]) << 8)),
             size_t(182));
    QVERIFY(!errorOf([] { npyHeaderFloat32({18, 256}, 32); }).isEmpty());
  }

  // Issue 19, item 5: extract-features held every vector until the end. It now streams line by
  // line; what a sink receives is what the collected form holds, and files that are not
  // finished never appear.
  void streamedLinesAreTheCollectedOnes() {
    auto tokenizer = makeTokenizer();
    BertModel model = makeModel(2);
    FeatureOptions options;
    options.layers = "-1";
    options.batchSize = 2;
    const std::vector<std::string> lines = {"Anna lives in Bergen.", "Serve the pasta warm.",
                                            "Bergen ||| Anna"};
    const ExtractedFeatures collected =
        extractFeatures(model, *tokenizer, lines, options, torch::kCPU);
    std::vector<float> tokens, sentences;
    std::vector<size_t> order;
    extractFeatures(model, *tokenizer, lines, options, torch::kCPU, [&](const LineFeatures& line) {
      order.push_back(line.index);
      QCOMPARE(line.tokenVectors.size(), line.pieces.size() * size_t(collected.dimension));
      tokens.insert(tokens.end(), line.tokenVectors.begin(), line.tokenVectors.end());
      sentences.insert(sentences.end(), line.sentenceVector.begin(), line.sentenceVector.end());
    });
    QCOMPARE(order, (std::vector<size_t>{0, 1, 2}));
    QCOMPARE(tokens, collected.tokenVectors);
    QCOMPARE(sentences, collected.sentenceVectors);

    QTemporaryDir dir;
    {
      FeatureFilesWriter unfinished(dir.path().toStdString(), collected.dimension);
      unfinished.addLine(lines[0], {"anna"}, collected.tokenVectors.data(),
                         collected.sentenceVectors.data());
    }  // destroyed without finish(): an error or a cancel
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("features.json")});
  }

  void vectorsHaveTheChosenLayersAndPooling() {
    auto tokenizer = makeTokenizer();
    BertModel model = makeModel(4);
    const std::vector<std::string> lines = {"Anna lives in Bergen.",
                                            "Serve the pasta ||| the pasta warm."};
    FeatureOptions options;
    options.layers = "concat2";
    const ExtractedFeatures concat =
        extractFeatures(model, *tokenizer, lines, options, torch::kCPU);
    QCOMPARE(concat.dimension, int64_t(32));  // 2 layers × H 16
    // Pieces without [CLS]/[SEP]: 5 in the first line, 3 + 4 in the pair.
    QCOMPARE(concat.tokenPieces.size(), size_t(12));
    QCOMPARE(concat.tokenVectors.size(), size_t(12 * 32));
    QCOMPARE(concat.tokenLine.front(), int64_t(0));
    QCOMPARE(concat.tokenLine.back(), int64_t(1));
    QCOMPARE(concat.sentenceVectors.size(), size_t(2 * 32));

    // sum4 is the sum of the four layers' hidden states, piece by piece.
    const auto encoding = tokenizer->encode(lines[0]);
    torch::Tensor ids =
        torch::tensor(std::vector<int64_t>(encoding.ids.begin(), encoding.ids.end())).unsqueeze(0);
    ForwardOptions forward;
    forward.outputHiddenStates = true;
    model->eval();
    torch::NoGradGuard noGrad;
    const auto out = model->forward({ids, {}, {}}, forward);
    const torch::Tensor expected =
        out.hiddenStates[1] + out.hiddenStates[2] + out.hiddenStates[3] + out.hiddenStates[4];
    options.layers = "sum4";
    const ExtractedFeatures sum =
        extractFeatures(model, *tokenizer, {lines[0]}, options, torch::kCPU);
    QCOMPARE(sum.dimension, int64_t(16));
    for (int64_t piece = 0; piece < 5; ++piece) {
      const float want = expected[0][piece + 1].sum().item<float>();  // +1: skip [CLS]
      QVERIFY(std::abs(rowSum(sum.tokenVectors, piece, 16) - want) < 1e-4f);
    }
    QVERIFY(std::abs(rowSum(sum.sentenceVectors, 0, 16) - expected[0][0].sum().item<float>()) <
            1e-4f);  // [CLS]

    options.pooling = SentencePooling::Mean;
    const ExtractedFeatures mean =
        extractFeatures(model, *tokenizer, {lines[0]}, options, torch::kCPU);
    float tokenTotal = 0;
    for (int64_t piece = 0; piece < 5; ++piece) tokenTotal += rowSum(mean.tokenVectors, piece, 16);
    QVERIFY(std::abs(rowSum(mean.sentenceVectors, 0, 16) - tokenTotal / 5) < 1e-4f);
  }

  void numpyReadsTheFilesBack() {
    auto tokenizer = makeTokenizer();
    BertModel model = makeModel(2);
    FeatureOptions options;
    options.layers = "-2,-1";
    const ExtractedFeatures features =
        extractFeatures(model, *tokenizer, {"Anna lives in Bergen.", "Serve the pasta warm."},
                        options, torch::kCPU);
    QTemporaryDir dir;
    writeFeatures(features, dir.path().toStdString());
    for (const char* file :
         {"vectors.tsv", "metadata.tsv", "sentence_vectors.tsv", "sentence_metadata.tsv"})
      QVERIFY2(QFileInfo(dir.filePath(file)).size() > 0, file);

    QProcess python;
    python.start(QString::fromLatin1(kSystemPython),
                 {"-c",
                  "import numpy, sys; t = numpy.load(sys.argv[1]); s = numpy.load(sys.argv[2]); "
                  "print(t.dtype, t.shape[0], t.shape[1], s.shape[0], s.shape[1], "
                  "repr(float(t.sum())), repr(float(s[1].sum())))",
                  dir.filePath("tokens.npy"), dir.filePath("sentences.npy")});
    QVERIFY2(python.waitForFinished(60000), "python3 did not finish");
    const QString output = QString::fromUtf8(python.readAllStandardOutput()).trimmed();
    QVERIFY2(python.exitCode() == 0,
             qPrintable("NumPy could not read the files (install python3-numpy): " +
                        QString::fromUtf8(python.readAllStandardError())));
    const QStringList fields = output.split(' ');
    QCOMPARE(fields.size(), 7);
    QCOMPARE(fields[0], QStringLiteral("float32"));
    QCOMPARE(fields[1].toLongLong(), static_cast<qlonglong>(features.tokenPieces.size()));
    QCOMPARE(fields[2].toLongLong(), static_cast<qlonglong>(features.dimension));
    QCOMPARE(fields[3].toLongLong(), 2);
    QCOMPARE(fields[4].toLongLong(), static_cast<qlonglong>(features.dimension));
    double tokenTotal = 0;
    for (float v : features.tokenVectors) tokenTotal += v;
    QVERIFY(std::abs(fields[5].toDouble() - tokenTotal) < 1e-3);
    QVERIFY(std::abs(fields[6].toDouble() -
                     rowSum(features.sentenceVectors, 1, features.dimension)) < 1e-3);
  }
};

QTEST_MAIN(TestFeatureExtraction)
#include "test_feature_extraction.moc"
