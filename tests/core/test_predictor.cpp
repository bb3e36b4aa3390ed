// The Predictor on tiny models (L=2, H=32, A=2) with a hand-written vocabulary: each head
// saved with saveTaskModel (or saveCheckpoint for the pre-training heads), loaded back by
// its config.json "architectures", and asked. Heads are rigged through their biases where
// the answer must be known (the classifier prefers "positive", the tagger says B-LOC, the
// MLM head favours "paris"); elsewhere the checks are structural (offsets slice the text,
// probabilities sum to 1, attention rows sum to 1, n-best sorted).
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "infer/predictor.h"
#include "io/task_model_io.h"
#include "model/initialization.h"
#include "runtime/precision.h"
#include "tasks/qa_features.h"
#include "test_support.h"
#include "text/wordpiece_tokenizer.h"
#include "tiny_bert_config.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

constexpr double kTolerance = 1e-4;
// bf16 keeps 8 significant bits: a probability from bf16 products stays within 0.02 of fp32's.
constexpr double kBf16ProbabilityTolerance = 0.02;
constexpr float kRiggedBias = 5.0f;  // a logit margin no random encoder output overturns

std::vector<std::string> handMadeTokens() {
  return {"[PAD]", "[UNK]",   "[CLS]", "[SEP]", "[MASK]", "the",   "movie",  "was",
          "great", "bad",     "john",  "lives", "in",     "paris", "france", "is",
          "on",    "capital", "of",    "where", "does",   "live",  "?",      ".",
          "and",   "city",    "a",     "big",   "##s",    "river"};
}

BertConfig tinyConfig() {
  return bertwb::test::tinyBertConfig(static_cast<int64_t>(handMadeTokens().size()),
                                      /*maxPositions=*/64);
}

WordPieceTokenizer tinyTokenizer() {
  return WordPieceTokenizer(Vocab::fromTokens(handMadeTokens(), "test vocab"), WordPieceOptions{});
}

// A head model with random weights, its classifier bias rigged by `rig`, saved to `folder`.
template <typename Rig>
void saveRiggedTaskModel(const QString& folder, TaskKind kind,
                         const std::vector<std::string>& labels, Rig rig) {
  TaskModel model = makeTaskModel(tinyConfig(), kind, labels);
  initializeBertWeights(*model.module(), 0.02, /*seed=*/7);
  {
    torch::NoGradGuard noGrad;
    rig(model);
  }
  const WordPieceTokenizer tokenizer = tinyTokenizer();
  saveTaskModel(folder.toStdString(), model, &tokenizer);
}

void saveFillMaskModel(const QString& folder, int32_t favouredId) {
  BertForPreTraining model(tinyConfig());
  initializeBertWeights(*model, 0.02, /*seed=*/9);
  {
    torch::NoGradGuard noGrad;
    model->cls->predictions->bias[favouredId] = kRiggedBias * 2;
  }
  const WordPieceTokenizer tokenizer = tinyTokenizer();
  saveCheckpoint(folder.toStdString(), tinyConfig(), *model, "BertForPreTraining", std::nullopt,
                 &tokenizer);
}

double sumOf(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

}  // namespace

class TestPredictor : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString classifierFolder_, regressionFolder_, taggerFolder_, qaFolder_, pretrainedFolder_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    classifierFolder_ = dir_.filePath("classifier");
    regressionFolder_ = dir_.filePath("regression");
    taggerFolder_ = dir_.filePath("tagger");
    qaFolder_ = dir_.filePath("qa");
    pretrainedFolder_ = dir_.filePath("pretrained");
    // Zero weights and a bias for "positive": every text is positive with softmax([0, 5]).
    saveRiggedTaskModel(
        classifierFolder_, TaskKind::SequenceClassification, {"negative", "positive"},
        [](TaskModel& m) {
          m.sequenceClassifier->classifier->weight.zero_();
          m.sequenceClassifier->classifier->bias.copy_(torch::tensor({0.0f, kRiggedBias}));
        });
    saveRiggedTaskModel(regressionFolder_, TaskKind::SequenceClassification, {"score"},
                        [](TaskModel& m) {
                          m.sequenceClassifier->classifier->weight.zero_();
                          m.sequenceClassifier->classifier->bias.fill_(2.5f);
                        });
    // Every word B-LOC: each word is its own LOC entity.
    saveRiggedTaskModel(
        taggerFolder_, TaskKind::TokenClassification, {"O", "B-LOC", "I-LOC"}, [](TaskModel& m) {
          m.tokenClassifier->classifier->weight.zero_();
          m.tokenClassifier->classifier->bias.copy_(torch::tensor({0.0f, kRiggedBias, 0.0f}));
        });
    saveRiggedTaskModel(qaFolder_, TaskKind::QuestionAnswering, {}, [](TaskModel&) {});
    saveFillMaskModel(pretrainedFolder_, *tinyTokenizer().tokenToId("paris"));
  }

  void loadReadsTheArchitecture() {
    const Predictor tagger = Predictor::load(taggerFolder_.toStdString());
    QCOMPARE(QString::fromStdString(tagger.architecture()), QString("BertForTokenClassification"));
    QVERIFY(tagger.capabilities().tag);
    QVERIFY(!tagger.capabilities().classify && !tagger.capabilities().answer &&
            !tagger.capabilities().fillMask);
    const Predictor pretrained = Predictor::load(pretrainedFolder_.toStdString());
    QVERIFY(pretrained.capabilities().fillMask);
    QVERIFY(!pretrained.capabilities().classify);
  }

  void classifyGivesLabelProbabilities() {
    const Predictor predictor = Predictor::load(classifierFolder_.toStdString());
    for (const std::optional<std::string>& textB :
         {std::optional<std::string>(), std::optional<std::string>("it was bad")}) {
      const ClassificationResult result = predictor.classify("the movie was great", textB);
      QCOMPARE(result.labels.size(), size_t(2));
      QCOMPARE(QString::fromStdString(result.labels[0].label), QString("negative"));
      QCOMPARE(QString::fromStdString(result.bestLabel), QString("positive"));
      QCOMPARE(result.bestId, int64_t(1));
      QCOMPARE(QString::fromStdString(result.ranked[0].label), QString("positive"));
      const double expected = 1.0 / (1.0 + std::exp(-static_cast<double>(kRiggedBias)));
      QVERIFY(std::abs(result.labels[1].probability - expected) < kTolerance);
      QVERIFY(std::abs(result.labels[0].probability + result.labels[1].probability - 1.0) <
              kTolerance);
      QVERIFY(!result.regression);
    }
  }

  void classifyRegressionGivesTheValue() {
    const ClassificationResult result =
        Predictor::load(regressionFolder_.toStdString()).classify("a big city");
    QVERIFY(result.regression);
    QVERIFY(std::abs(result.value - 2.5) < kTolerance);
    QVERIFY(result.labels.empty());
  }

  void tagFindsEntitiesWithExactOffsets() {
    const std::string text = "john  lives in paris";  // two spaces: offsets must follow the text
    const TagResult result =
        Predictor::load(taggerFolder_.toStdString()).tag(text, TagAggregation::Average);
    QCOMPARE(result.words.size(), size_t(4));
    QCOMPARE(result.prediction.words.size(), size_t(4));
    QCOMPARE(result.prediction.entities.size(), size_t(4));
    for (size_t i = 0; i < result.prediction.entities.size(); ++i) {
      const TaggedEntity& entity = result.prediction.entities[i];
      QCOMPARE(QString::fromStdString(entity.type), QString("LOC"));
      QCOMPARE(QString::fromStdString(entity.text), QString::fromStdString(result.words[i]));
      QCOMPARE(QString::fromStdString(codePointSubstring(text, entity.start, entity.end)),
               QString::fromStdString(result.words[i]));
      QCOMPARE(QString::fromStdString(result.prediction.words[i].label), QString("B-LOC"));
    }
  }

  void answerSlicesTheContext_data() {
    QTest::addColumn<int>("repeats");  // how many times the context sentence repeats
    QTest::addColumn<bool>("allowNoAnswer");
    QTest::newRow("one window") << 1 << false;
    QTest::newRow("several windows") << 12 << false;
    QTest::newRow("v2 null allowed") << 1 << true;
    // Issue 19, item 5: more windows than run at once (16), so several batches.
    QTest::newRow("windows in several batches") << 200 << false;
  }
  void answerSlicesTheContext() {
    QFETCH(int, repeats);
    QFETCH(bool, allowNoAnswer);
    std::string context;
    for (int i = 0; i < repeats; ++i)
      context += "john lives in paris . paris is the capital of france . ";
    AnswerOptions options;
    options.nBest = 3;
    options.allowNoAnswer = allowNoAnswer;
    const AnswerResult result =
        Predictor::load(qaFolder_.toStdString()).answer("where does john live ?", context, options);
    QVERIFY(repeats == 1 ? result.windows == 1 : result.windows > 1);
    if (repeats == 200) QVERIFY2(result.windows > 32, qPrintable(QString::number(result.windows)));
    QCOMPARE(result.allowNoAnswer, allowNoAnswer);
    const QaPrediction& prediction = result.prediction;
    QVERIFY(prediction.hasSpan);
    QVERIFY(!prediction.best.text.empty());
    QCOMPARE(QString::fromStdString(
                 codePointSubstring(context, prediction.best.start, prediction.best.end)),
             QString::fromStdString(prediction.best.text));
    QVERIFY(std::abs(prediction.best.score -
                     (prediction.best.startLogit + prediction.best.endLogit)) < kTolerance);
    QVERIFY(!prediction.nBest.empty() && prediction.nBest.size() <= size_t(3));
    std::vector<double> probabilities;
    for (size_t i = 0; i < prediction.nBest.size(); ++i) {
      probabilities.push_back(prediction.nBest[i].probability);
      if (i > 0) QVERIFY(prediction.nBest[i - 1].score >= prediction.nBest[i].score);
    }
    QVERIFY(sumOf(probabilities) <= 1.0 + kTolerance);
    if (allowNoAnswer) {
      // v2: "no answer" exactly when the null score beats the best span (threshold 0).
      QCOMPARE(prediction.predictedNull, prediction.nullScoreDiff > 0);
      QVERIFY(std::abs(prediction.nullScoreDiff - (prediction.nullScore - prediction.best.score)) <
              kTolerance);
    } else {
      QVERIFY(!prediction.predictedNull);
    }
  }

  void fillMaskRanksCandidates() {
    const Predictor predictor = Predictor::load(pretrainedFolder_.toStdString());
    const FillMaskResult result = predictor.fillMask("john lives in [MASK] . [MASK] is a city", 4);
    QCOMPARE(result.masks.size(), size_t(2));
    QCOMPARE(result.masks[0].position, 4);  // [CLS] john lives in [MASK]
    QCOMPARE(QString::fromStdString(result.pieces[4]), QString("[MASK]"));
    for (const MaskFill& fill : result.masks) {
      QCOMPARE(fill.candidates.size(), size_t(4));
      QCOMPARE(QString::fromStdString(fill.candidates[0].token), QString("paris"));
      std::vector<double> probabilities;
      for (size_t k = 0; k < fill.candidates.size(); ++k) {
        probabilities.push_back(fill.candidates[k].probability);
        if (k > 0) QVERIFY(fill.candidates[k - 1].probability >= fill.candidates[k].probability);
      }
      QVERIFY(sumOf(probabilities) <= 1.0 + kTolerance);
    }
    // More candidates than the vocabulary has: all of it, summing to 1.
    const FillMaskResult all = predictor.fillMask("[MASK]", 1000);
    std::vector<double> probabilities;
    for (const auto& c : all.masks[0].candidates) probabilities.push_back(c.probability);
    QCOMPARE(probabilities.size(), handMadeTokens().size());
    QVERIFY(std::abs(sumOf(probabilities) - 1.0) < kTolerance);
  }

  // bf16 inference (the playground's auto policy on a CPU with native bf16): the same answers
  // as fp32 within bf16's rounding, attention rows still distributions, results in fp32.
  // Where the CPU lacks native bf16, asking for it is refused with the reason.
  void bf16InferenceFollowsFp32() {
    if (!detectPrecisionSupport(torch::kCPU).nativeBf16) {
      const QString refused =
          errorOf([&] { Predictor::load(classifierFolder_.toStdString(), "cpu", "bf16"); });
      QVERIFY2(refused.contains("bf16") && refused.contains("fp32"), qPrintable(refused));
      return;
    }
    const Predictor fp32 = Predictor::load(classifierFolder_.toStdString(), "cpu", "fp32");
    const Predictor bf16 = Predictor::load(classifierFolder_.toStdString(), "cpu", "bf16");
    QVERIFY(QString::fromStdString(bf16.precision()).startsWith("bf16"));
    QVERIFY(QString::fromStdString(fp32.precision()).startsWith("fp32"));
    const ClassificationResult a = fp32.classify("the movie was great", std::string("it was bad"));
    const ClassificationResult b = bf16.classify("the movie was great", std::string("it was bad"));
    QCOMPARE(b.bestLabel, a.bestLabel);
    for (size_t i = 0; i < a.labels.size(); ++i)
      QVERIFY2(
          std::abs(a.labels[i].probability - b.labels[i].probability) < kBf16ProbabilityTolerance,
          qPrintable(
              QString("%1 vs %2").arg(a.labels[i].probability).arg(b.labels[i].probability)));
    const AttentionMaps maps = bf16.attentions("john lives", std::string("in paris"));
    const AttentionMaps exact = fp32.attentions("john lives", std::string("in paris"));
    double worst = 0;
    for (size_t i = 0; i < maps.weights.size(); ++i)
      worst = std::max(worst, static_cast<double>(std::abs(maps.weights[i] - exact.weights[i])));
    QVERIFY2(worst < kBf16ProbabilityTolerance, qPrintable(QString::number(worst)));
    for (int row = 0; row < maps.length; ++row) {
      const float* matrix = maps.matrix(0, 0);
      const float total =
          std::accumulate(matrix + row * maps.length, matrix + (row + 1) * maps.length, 0.0f);
      QVERIFY(std::abs(total - 1.0f) < kTolerance);  // the softmax ran in fp32
    }
    const FillMaskResult fill = Predictor::load(pretrainedFolder_.toStdString(), "cpu", "bf16")
                                    .fillMask("john lives in [MASK] .", 1);
    QCOMPARE(QString::fromStdString(fill.masks[0].candidates[0].token), QString("paris"));
  }

  // The tokenizer beside a model must be the one it was trained with, checked at load:
  // a larger vocabulary, the same words in another order, or no [MASK] for fill-mask.
  void aTokenizerThatDoesNotFitIsRefusedAtLoad() {
    namespace fs = std::filesystem;
    auto copyWithVocab = [&](const QString& name, std::vector<std::string> tokens) {
      const fs::path folder = dir_.filePath(name).toStdString();
      fs::remove_all(folder);
      fs::copy(pretrainedFolder_.toStdString(), folder, fs::copy_options::recursive);
      std::ofstream vocab(folder / "vocab.txt", std::ios::trunc);
      for (const std::string& token : tokens) vocab << token << "\n";
      return folder.string();
    };
    std::vector<std::string> larger = handMadeTokens();
    larger.push_back("zebra");
    const QString tooLarge = errorOf([&] { Predictor::load(copyWithVocab("larger", larger)); });
    QVERIFY2(tooLarge.contains(QString::number(larger.size()) + " tokens") &&
                 tooLarge.contains("vocab_size"),
             qPrintable(tooLarge));
    std::vector<std::string> reordered = handMadeTokens();
    std::swap(reordered[reordered.size() - 1], reordered[reordered.size() - 2]);
    const QString swapped =
        errorOf([&] { Predictor::load(copyWithVocab("reordered", reordered)); });
    QVERIFY2(swapped.contains("not the one this model was trained with"), qPrintable(swapped));
    QVERIFY(errorOf([&] { Predictor::load(copyWithVocab("same", handMadeTokens())); }).isEmpty());
  }

  void attentionRowsAreDistributions() {
    const AttentionMaps result = Predictor::load(classifierFolder_.toStdString())
                                     .attentions("john lives", std::string("in paris"));
    QCOMPARE(result.pieces.size(), size_t(7));  // [CLS] john lives [SEP] in paris [SEP]
    QCOMPARE(result.length, 7);
    QCOMPARE(result.layers, 2);
    QCOMPARE(result.heads, 2);
    QCOMPARE(result.weights.size(), size_t(2 * 2 * 7 * 7));
    for (int layer = 0; layer < result.layers; ++layer) {
      for (int head = 0; head < result.heads; ++head) {
        const float* matrix = result.matrix(layer, head);
        for (int row = 0; row < result.length; ++row) {
          const float total = std::accumulate(matrix + row * result.length,
                                              matrix + (row + 1) * result.length, 0.0f);
          QVERIFY(std::abs(total - 1.0f) < kTolerance);
        }
      }
    }
  }

  void embedGivesPieceAndSentenceVectors() {
    const Predictor predictor = Predictor::load(qaFolder_.toStdString());
    EmbedOptions options;
    options.pooling = EmbeddingPooling::Mean;
    const EmbeddingResult last = predictor.embed("the rivers of france", std::nullopt, options);
    QCOMPARE(last.pieces.size(), size_t(5));  // the river ##s of france
    QCOMPARE(QString::fromStdString(last.pieces[2]), QString("##s"));
    QCOMPARE(last.dimension, int64_t(32));
    QCOMPARE(last.pieceVectors.size(), size_t(5 * 32));
    for (int64_t d = 0; d < last.dimension; ++d) {
      double mean = 0;
      for (size_t p = 0; p < last.pieces.size(); ++p)
        mean += last.pieceVectors[p * 32 + static_cast<size_t>(d)];
      QVERIFY(std::abs(mean / 5 - last.sentenceVector[static_cast<size_t>(d)]) < kTolerance);
    }
    options.layers = "-2,-1";
    options.pooling = EmbeddingPooling::Cls;
    const EmbeddingResult two = predictor.embed("the rivers of france", std::nullopt, options);
    QCOMPARE(two.dimension, int64_t(64));
    QCOMPARE(two.sentenceVector.size(), size_t(64));
    // The second half of the concatenation is the last layer: its pieces match "-1".
    QVERIFY(std::abs(two.pieceVectors[32] - last.pieceVectors[0]) < kTolerance);
  }

  void errorsNameWhatIsMissing() {
    const Predictor tagger = Predictor::load(taggerFolder_.toStdString());
    const QString wrongCapability = errorOf([&] { tagger.classify("the movie"); });
    QVERIFY2(wrongCapability.contains("BertForTokenClassification") &&
                 wrongCapability.contains("classify needs"),
             qPrintable(wrongCapability));
    QVERIFY(errorOf([&] { tagger.fillMask("the [MASK]"); }).contains("masked-LM"));
    QVERIFY(errorOf([&] { tagger.answer("where ?", "paris"); }).contains("question-answering"));
    QVERIFY(errorOf([&] { tagger.tag("   "); }).contains("empty"));
    const Predictor pretrained = Predictor::load(pretrainedFolder_.toStdString());
    QVERIFY(errorOf([&] { pretrained.fillMask("john lives in paris"); }).contains("no [MASK]"));
    QVERIFY(errorOf([&] { pretrained.tag("john"); }).contains("BertForPreTraining"));
    QVERIFY(errorOf([&] {
              pretrained.embed("john", std::nullopt, EmbedOptions{"7", EmbeddingPooling::Cls});
            }).contains("out of range"));
    QVERIFY(!errorOf([] { Predictor::load("/nonexistent/checkpoint"); }).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestPredictor)
#include "test_predictor.moc"
