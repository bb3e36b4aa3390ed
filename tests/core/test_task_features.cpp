// Fine-tuning featurisation and decoding, torch-free, on a small hand-made WordPiece vocab:
// sentence(-pair) features, tagging features (labels on first pieces only, whole-word
// truncation), SQuAD windows (coverage, one max-context window per piece, answer positions
// that map back to the gold text), QA decoding (exact code point slices, non-ASCII, the v2
// null threshold) and tag decoding (first / average / max, BIO repair, entity offsets).
#include <QtTest>

#include <cmath>
#include <set>

#include "tasks/classification_features.h"
#include "tasks/qa_decoding.h"
#include "tasks/qa_features.h"
#include "tasks/tag_decoding.h"
#include "tasks/token_features.h"
#include "test_support.h"
#include "text/unicode_text.h"
#include "text/wordpiece_tokenizer.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

std::unique_ptr<WordPieceTokenizer> makeTokenizer() {
  const std::vector<std::string> tokens = {
      "[PAD]", "[UNK]", "[CLS]",  "[SEP]", "[MASK]", "zoe",    "lives",  "in",      "zurich",
      "where", "does",  "live",   "?",     ".",      "the",    "river",  "flows",   "through",
      "city",  "un",    "##want", "##ed",  "run",    "##ning", "john",   "visited", "new",
      "york",  "good",  "bad",    "film",  "a",      "is",     "was",    "she",     "born",
      "1895",  ",",     "and",    "old",   "town",   "has",    "bridge", "##s"};
  WordPieceOptions options;
  options.doLowerCase = true;  // uncased: "Zoë" → "zoe", offsets still point at "Zoë"
  return std::make_unique<WordPieceTokenizer>(Vocab::fromTokens(tokens, "test vocab"), options);
}

// A long context of known words, so that small windows must overlap.
std::string longContext() {
  std::string text;
  const char* words[] = {"the",     "river", "flows", "through", "the", "old",
                         "town",    "and",   "the",   "city",    "has", "a",
                         "bridges", ",",     "zoe",   "lives",   "in",  "zurich"};
  for (int repeat = 0; repeat < 3; ++repeat) {
    for (const char* w : words) text += std::string(text.empty() ? "" : " ") + w;
  }
  return text;
}

QaWindowLogits flatLogits(const QaFeature& feature) {
  QaWindowLogits logits;
  logits.start.assign(feature.ids.size(), 0.0f);
  logits.end.assign(feature.ids.size(), 0.0f);
  return logits;
}

// The sequence position of the window's context piece whose code point span starts at
// `charStart` (or ends at `charEnd`); -1 when the window does not hold it.
int positionStartingAt(const QaFeature& f, int64_t charStart) {
  for (size_t i = 0; i < f.ids.size(); ++i)
    if (f.isContextPosition(int(i)) && f.charStarts[i] == charStart) return int(i);
  return -1;
}
int positionEndingAt(const QaFeature& f, int64_t charEnd) {
  for (size_t i = 0; i < f.ids.size(); ++i)
    if (f.isContextPosition(int(i)) && f.charEnds[i] == charEnd) return int(i);
  return -1;
}

// Per-piece logits (S, K) for a token feature: `hot[i]` gets `value` at class `cls[i]`.
std::vector<float> tagLogits(const TokenFeature& f, size_t K,
                             const std::vector<std::pair<int, int>>& hot,
                             const std::vector<float>& values) {
  std::vector<float> logits(f.encoding.ids.size() * K, 0.0f);
  for (size_t i = 0; i < hot.size(); ++i)
    logits[size_t(hot[i].first) * K + size_t(hot[i].second)] = values[i];
  return logits;
}

}  // namespace

class TestTaskFeatures : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // ---- sentence(-pair) classification ----
  void classificationFeaturesCarryLabelAndPair() {
    auto tokenizer = makeTokenizer();
    TextDataset data;
    data.pair = true;
    data.labels = {"bad", "good"};
    data.examples = {{"a good film", "the film was good", "good", "train.tsv:2"},
                     {"a bad film", "", "bad", "train.tsv:3"},
                     {"a film", "", "", "test.tsv:2"}};
    ClassificationFeatureOptions options;
    options.maxSeqLength = 8;
    auto features = featurizeTextDataset(data, *tokenizer, options);
    QCOMPARE(int(features.size()), 3);
    QCOMPARE(features[0].labelId, int64_t(1));
    QCOMPARE(features[1].labelId, int64_t(0));
    QVERIFY(!features[2].labelled);
    QCOMPARE(features[2].labelId, kIgnoreLabel);
    // [CLS] a good film [SEP] the film was good [SEP] = 10 > 8: the longer side gives way.
    QCOMPARE(int(features[0].encoding.ids.size()), 8);
    QCOMPARE(features[0].encoding.truncatedB, 2);
    QCOMPARE(features[0].encoding.segmentIds, (std::vector<int32_t>{0, 0, 0, 0, 0, 1, 1, 1}));

    data.examples = {{"a film", "", "great", "train.tsv:9"}};
    QVERIFY(errorOf([&] { featurizeTextDataset(data, *tokenizer); }).contains("train.tsv:9"));
    data.regression = true;
    data.examples = {{"a film", "", "3.25", "sts.tsv:2"}};
    QCOMPARE(featurizeTextDataset(data, *tokenizer)[0].target, 3.25f);
    data.examples = {{"a film", "", "high", "sts.tsv:3"}};
    QVERIFY(errorOf([&] { featurizeTextDataset(data, *tokenizer); }).contains("not a number"));
  }

  // ---- token tagging ----
  void tokenFeaturesLabelOnlyFirstPieces() {
    auto tokenizer = makeTokenizer();
    TaggedDataset data;
    data.labels = {"O", "B-PER", "I-PER"};
    data.sentences = {{{"John", "unwanted", "running"}, {"B-PER", "O", "O"}, "train.txt:1"}};
    const TokenFeature f = featurizeTaggedDataset(data, *tokenizer)[0];
    QCOMPARE(f.encoding.pieces, (std::vector<std::string>{"[CLS]", "john", "un", "##want", "##ed",
                                                          "run", "##ning", "[SEP]"}));
    QCOMPARE(f.labelIds, (std::vector<int64_t>{kIgnoreLabel, 1, 0, kIgnoreLabel, kIgnoreLabel, 0,
                                               kIgnoreLabel, kIgnoreLabel}));
    QCOMPARE(f.wordIndex, (std::vector<int32_t>{-1, 0, 1, 1, 1, 2, 2, -1}));
    QCOMPARE(f.text, std::string("John unwanted running"));
    QCOMPARE(f.encoding.starts[2], int64_t(5));  // "un" of "unwanted"
    QCOMPARE(f.encoding.ends[4], int64_t(13));
    QCOMPARE(f.wordsKept, 3);

    data.sentences[0].tags = {"B-PER", "B-MISC", "O"};
    QVERIFY(errorOf([&] { featurizeTaggedDataset(data, *tokenizer); }).contains("B-MISC"));
  }

  void tokenTruncationKeepsWholeWords_data() {
    QTest::addColumn<int>("maxSeqLength");
    QTest::addColumn<int>("wordsKept");
    QTest::addColumn<int>("pieces");
    QTest::newRow("all fit") << 8 << 3 << 8;
    QTest::newRow("running left out whole") << 7 << 2 << 6;
    QTest::newRow("unwanted left out whole") << 5 << 1 << 3;
    QTest::newRow("a first word longer than everything is cut") << 3 << 1 << 3;
  }
  void tokenTruncationKeepsWholeWords() {
    QFETCH(int, maxSeqLength);
    QFETCH(int, wordsKept);
    QFETCH(int, pieces);
    auto tokenizer = makeTokenizer();
    TokenFeatureOptions options;
    options.maxSeqLength = maxSeqLength;
    const std::vector<std::string> words =
        maxSeqLength == 3 ? std::vector<std::string>{"unwanted", "john"}
                          : std::vector<std::string>{"john", "unwanted", "running"};
    const TokenFeature f = featurizeWords(joinWords(words), {0, 0, 0}, *tokenizer, options);
    QCOMPARE(f.wordsKept, wordsKept);
    QCOMPARE(int(f.encoding.ids.size()), pieces);
    QVERIFY(int(f.encoding.ids.size()) <= maxSeqLength);
    QCOMPARE(f.encoding.pieces.back(), std::string("[SEP]"));
  }

  // ---- SQuAD windows ----
  void qaWindowsCoverEveryContextPiece_data() {
    QTest::addColumn<int>("maxSeqLength");
    QTest::addColumn<int>("docStride");
    QTest::newRow("one window") << 128 << 128;
    QTest::newRow("stride 4") << 20 << 4;
    QTest::newRow("stride 7") << 24 << 7;
    QTest::newRow("stride longer than window") << 16 << 30;
    QTest::newRow("stride 1") << 14 << 1;
  }
  void qaWindowsCoverEveryContextPiece() {
    QFETCH(int, maxSeqLength);
    QFETCH(int, docStride);
    auto tokenizer = makeTokenizer();
    QaExample example{
        "q1", "where does zoe live where does zoe live", longContext(), {}, false, "dev.json:q1"};
    QaFeatureOptions options;
    options.maxSeqLength = maxSeqLength;
    options.docStride = docStride;
    options.maxQueryLength = 5;
    const auto windows = featurizeQaExample(example, 0, *tokenizer, options);
    const int contextPieces = int(tokenizer->tokenize(example.context).size());
    std::vector<int> seen(size_t(contextPieces), 0), maxContext(size_t(contextPieces), 0);
    for (const QaFeature& f : windows) {
      QVERIFY(int(f.ids.size()) <= maxSeqLength);
      QCOMPARE(f.contextOffset, 5 + 2);  // [CLS] + 5 question pieces (truncated from 8) + [SEP]
      QCOMPARE(f.pieces[size_t(f.contextOffset - 1)], std::string("[SEP]"));
      for (int i = 0; i < f.contextPieceCount; ++i) {
        const size_t piece = size_t(f.contextPieceStart + i);
        seen[piece] += 1;
        maxContext[piece] += f.maxContext[size_t(f.contextOffset + i)];
      }
      if (f.windowIndex > 0) {
        QCOMPARE(f.contextPieceStart - windows[size_t(f.windowIndex - 1)].contextPieceStart,
                 std::min(docStride, windows[size_t(f.windowIndex - 1)].contextPieceCount));
      }
    }
    for (int i = 0; i < contextPieces; ++i) {
      QVERIFY2(seen[size_t(i)] >= 1, qPrintable(QString("piece %1 in no window").arg(i)));
      QVERIFY2(
          maxContext[size_t(i)] == 1,
          qPrintable(
              QString("piece %1 has %2 max-context windows").arg(i).arg(maxContext[size_t(i)])));
    }
    QVERIFY(docStride >= 30 || maxSeqLength == 128 || windows.size() > 1);
  }

  void qaTrainingPositionsMapBackToTheGoldText() {
    auto tokenizer = makeTokenizer();
    const std::string context = longContext();
    // The second "zoe lives in zurich" (code points counted on this ASCII text).
    const std::string gold = "zoe lives in zurich";
    const int64_t first = int64_t(context.find(gold));
    const int64_t start = int64_t(context.find(gold, size_t(first) + 1));
    QaExample example{"q2",  "where does zoe live", context, {{gold, start}},
                      false, "train.json:q2"};
    QaFeatureOptions options;
    options.maxSeqLength = 20;
    options.docStride = 5;
    options.training = true;
    const auto windows = featurizeQaExample(example, 0, *tokenizer, options);
    int holding = 0;
    for (const QaFeature& f : windows) {
      if (!f.answerInWindow) {
        QCOMPARE(f.startPosition, 0);  // [CLS], as the original
        QCOMPARE(f.endPosition, 0);
        continue;
      }
      ++holding;
      QVERIFY(f.startPosition <= f.endPosition);
      QCOMPARE(codePointSubstring(context, f.charStarts[size_t(f.startPosition)],
                                  f.charEnds[size_t(f.endPosition)]),
               gold);
      QCOMPARE(f.charStarts[size_t(f.startPosition)], start);
    }
    QVERIFY(holding >= 1);
    QVERIFY(holding < int(windows.size()));

    example.impossible = true;
    example.answers.clear();
    for (const QaFeature& f : featurizeQaExample(example, 0, *tokenizer, options)) {
      QVERIFY(!f.answerInWindow);
      QCOMPARE(f.startPosition + f.endPosition, 0);
    }

    QaDataset data;
    data.examples = {{"bad",
                      "where does zoe live",
                      "zoe lives in zurich",
                      {{"berlin", 13}},
                      false,
                      "train.json:bad"}};
    const QaFeatureSet set = featurizeQaDataset(data, *tokenizer, options);
    QVERIFY(set.features.empty());
    QCOMPARE(int(set.skipped.size()), 1);
    QVERIFY(QString::fromStdString(set.skipped[0]).contains("train.json:bad"));
  }

  // ---- QA decoding ----
  void qaDecodedOffsetsReproduceTheGoldText_data() {
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("gold");
    QTest::addColumn<int>("maxSeqLength");
    QTest::newRow("non-ASCII") << QString::fromUtf8("Zoë lives in Zürich.")
                               << QString::fromUtf8("Zürich") << 64;
    QTest::newRow("non-ASCII subject")
        << QString::fromUtf8("Zoë lives in Zürich.") << QString::fromUtf8("Zoë") << 64;
    QTest::newRow("two words, extra spaces") << QString::fromUtf8("Zoë   lives  in Zürich .")
                                             << QString::fromUtf8("lives  in Zürich") << 64;
    QTest::newRow("across windows")
        << QString::fromStdString(longContext()) << "the city has a bridges" << 20;
  }
  void qaDecodedOffsetsReproduceTheGoldText() {
    QFETCH(QString, context);
    QFETCH(QString, gold);
    QFETCH(int, maxSeqLength);
    auto tokenizer = makeTokenizer();
    const std::string contextText = context.toStdString(), goldText = gold.toStdString();
    const int goldIndex = context.indexOf(gold);  // in UTF-16 units
    QVERIFY(goldIndex >= 0);
    const int64_t goldStart = context.left(goldIndex).toUcs4().size();  // in code points
    const int64_t goldEnd = goldStart + gold.toUcs4().size();
    QaExample example{"q", "where does zoe live", contextText, {}, false, "dev.json:q"};
    QaFeatureOptions options;
    options.maxSeqLength = maxSeqLength;
    options.docStride = 3;
    const auto windows = featurizeQaExample(example, 0, *tokenizer, options);
    std::vector<QaWindowLogits> logits;
    bool placed = false;
    int lessContext = 0;
    for (const QaFeature& f : windows) {
      QaWindowLogits l = flatLogits(f);
      const int s = positionStartingAt(f, goldStart), e = positionEndingAt(f, goldEnd);
      if (s >= 0 && e >= 0 && f.maxContext[size_t(s)]) {
        l.start[size_t(s)] = 6.0f;
        l.end[size_t(e)] = 5.0f;
        placed = true;
      } else if (s >= 0 && e >= 0) {
        // The same span seen with less context: higher logits here must not count.
        l.start[size_t(s)] = 7.0f;
        l.end[size_t(e)] = 7.0f;
        ++lessContext;
      }
      logits.push_back(l);
    }
    QVERIFY(placed);
    QVERIFY(windows.size() == 1 || lessContext > 0);
    const QaPrediction p = decodeQaAnswer(example, windows, logits);
    QCOMPARE(QString::fromStdString(p.text), gold);
    QCOMPARE(p.best.start, goldStart);
    QCOMPARE(p.best.end, goldEnd);
    QCOMPARE(p.best.score, 11.0);
    QVERIFY(p.nBest.size() > 1);  // next-best spans for display
    double total = 0;
    std::set<std::string> texts;
    for (const auto& span : p.nBest) {
      total += span.probability;
      QVERIFY(span.score <= p.best.score);
      QVERIFY(texts.insert(span.text).second);  // distinct texts
      QCOMPARE(codePointSubstring(contextText, span.start, span.end), span.text);
      QVERIFY(span.end - span.start > 0);
    }
    QVERIFY(std::abs(total - 1.0) < 1e-9);
    QVERIFY(p.nBest.front().probability > p.nBest[1].probability);
  }

  void qaSpansRespectOrderLengthAndContext() {
    auto tokenizer = makeTokenizer();
    QaExample example{"q", "where does zoe live", "zoe lives in zurich .", {}, false, "dev.json:q"};
    const auto windows = featurizeQaExample(example, 0, *tokenizer, {});
    QaWindowLogits l = flatLogits(windows[0]);
    const int c = windows[0].contextOffset;  // zoe lives in zurich .
    l.start[0] = l.end[0] = 20.0f;           // [CLS]: not a span in v1
    l.start[1] = 19.0f;                      // a question piece: never an answer
    l.start[size_t(c + 3)] = 9.0f;           // zurich ...
    l.end[size_t(c + 1)] = 8.0f;             // ... ending before it: not allowed
    l.end[size_t(c + 4)] = 3.0f;             // "zurich ." is the best legal span
    QaDecodingOptions options;
    auto p = decodeQaAnswer(example, windows, {l}, options);
    QCOMPARE(p.text, std::string("zurich ."));
    options.maxAnswerLength = 1;  // "zurich ." is two pieces
    p = decodeQaAnswer(example, windows, {l}, options);
    QCOMPARE(p.text, std::string("zurich"));
  }

  void qaVersionTwoNullThreshold_data() {
    QTest::addColumn<double>("threshold");
    QTest::addColumn<bool>("predictNull");
    QTest::newRow("default 0: null 14 beats span 11") << 0.0 << true;
    QTest::newRow("difference 3 is not above 3") << 3.0 << false;
    QTest::newRow("threshold 2.5") << 2.5 << true;
    QTest::newRow("negative threshold") << -5.0 << true;
  }
  void qaVersionTwoNullThreshold() {
    QFETCH(double, threshold);
    QFETCH(bool, predictNull);
    auto tokenizer = makeTokenizer();
    QaExample example{"q", "where does zoe live", "Zoë lives in Zürich.", {}, true, "dev.json:q"};
    QaFeatureOptions featureOptions;
    featureOptions.maxSeqLength = 10;  // two windows: the null score is the lower of the two
    featureOptions.docStride = 2;
    const auto windows = featurizeQaExample(example, 0, *tokenizer, featureOptions);
    QVERIFY(windows.size() >= 2);
    std::vector<QaWindowLogits> logits;
    for (const auto& f : windows) {
      QaWindowLogits l = flatLogits(f);
      l.start[0] = 9.0f;
      l.end[0] = 9.0f;  // 18 in the other windows, 14 in the one holding the answer
      const int s = positionStartingAt(f, 13);  // "Zürich"
      if (s >= 0 && f.maxContext[size_t(s)]) {
        l.start[0] = l.end[0] = 7.0f;
        l.start[size_t(s)] = 6.0f;
        l.end[size_t(s)] = 5.0f;
      }
      logits.push_back(l);
    }
    QaDecodingOptions options;
    options.versionTwo = true;
    options.nullScoreDiffThreshold = threshold;
    const QaPrediction p = decodeQaAnswer(example, windows, logits, options);
    QCOMPARE(p.nullScore, 14.0);
    QCOMPARE(p.nullScoreDiff, 3.0);
    QCOMPARE(p.predictedNull, predictNull);
    QCOMPARE(QString::fromStdString(p.text), predictNull ? QString() : QString::fromUtf8("Zürich"));
    QCOMPARE(QString::fromStdString(p.best.text), QString::fromUtf8("Zürich"));
    bool nullListed = false;
    for (const auto& span : p.nBest) nullListed = nullListed || span.isNull;
    QVERIFY(nullListed);
  }

  // ---- tag decoding ----
  void tagAggregation_data() {
    QTest::addColumn<int>("aggregation");
    QTest::addColumn<QString>("expected");
    // "unwanted" = un ##want ##ed: un says B-PER (0.46) just over O (0.42); ##want says O
    // (0.93); ##ed says B-LOC (0.999), the surest piece. Mean: O 0.45, B-LOC 0.34, B-PER 0.16.
    QTest::newRow("first") << int(TagAggregation::First) << "B-PER";
    QTest::newRow("average") << int(TagAggregation::Average) << "O";
    QTest::newRow("max") << int(TagAggregation::Max) << "B-LOC";
  }
  void tagAggregation() {
    QFETCH(int, aggregation);
    QFETCH(QString, expected);
    auto tokenizer = makeTokenizer();
    const std::vector<std::string> labels = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};
    const TokenFeature f = featurizeWords(joinWords({"unwanted"}), {}, *tokenizer);
    // positions: [CLS] un ##want ##ed [SEP]
    const auto logits = tagLogits(f, labels.size(), {{1, 1}, {1, 0}, {1, 3}, {2, 0}, {3, 3}},
                                  {2.0f, 1.9f, -10.0f, 4.0f, 8.0f});
    TagDecodingOptions options;
    options.aggregation = TagAggregation(aggregation);
    const TagPrediction p = decodeTags(f, logits, labels, options);
    QCOMPARE(int(p.words.size()), 1);
    QCOMPARE(QString::fromStdString(p.words[0].label), expected);
    QVERIFY(p.words[0].score > 0.0 && p.words[0].score <= 1.0);
  }

  void entityOffsetsSliceTheExactText() {
    auto tokenizer = makeTokenizer();
    const std::vector<std::string> labels = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};
    const std::string text = "Zoë  visited New York and  Zürich";
    const WordSpans words = splitWords(text);
    QCOMPARE(words.words,
             (std::vector<std::string>{"Zoë", "visited", "New", "York", "and", "Zürich"}));
    const TokenFeature f = featurizeWords(words, {}, *tokenizer);
    // Zoë: a stray I-PER (repaired to B-PER); New York: B-LOC I-LOC; Zürich: I-LOC after O.
    const auto logits = tagLogits(
        f, labels.size(), {{1, 2}, {2, 0}, {3, 3}, {4, 4}, {5, 0}, {6, 4}}, {5, 5, 5, 5, 5, 5});
    const TagPrediction p = decodeTags(f, logits, labels);
    QCOMPARE(QString::fromStdString(p.words[0].label), QString("B-PER"));
    QVERIFY(p.words[0].repaired);
    QVERIFY(!p.words[3].repaired);
    QCOMPARE(int(p.entities.size()), 3);
    const std::vector<std::string> expectedText = {"Zoë", "New York", "Zürich"};
    const std::vector<std::string> expectedType = {"PER", "LOC", "LOC"};
    for (size_t i = 0; i < 3; ++i) {
      QCOMPARE(p.entities[i].text, expectedText[i]);
      QCOMPARE(p.entities[i].type, expectedType[i]);
      QCOMPARE(codePointSubstring(text, p.entities[i].start, p.entities[i].end), expectedText[i]);
      QVERIFY(p.entities[i].score > 0.9);
    }
    QCOMPARE(p.entities[1].start, int64_t(13));  // "Zoë  visited " is 13 code points
    QCOMPARE(p.entities[1].firstWord, 2);
    QCOMPARE(p.entities[1].lastWord, 3);
  }

  void typedTextSplitsAtWhitespaceAndPunctuation() {
    const std::string text = "Zoë works at Saint-Mary's, in Zürich.";
    const WordSpans words = splitWords(text);
    QCOMPARE(words.words, (std::vector<std::string>{"Zoë", "works", "at", "Saint", "-", "Mary", "'",
                                                    "s", ",", "in", "Zürich", "."}));
    for (size_t i = 0; i < words.words.size(); ++i)
      QCOMPARE(codePointSubstring(
                   text, words.starts[i],
                   words.starts[i] + int64_t(decodeUtf8(words.words[i]).codepoints.size())),
               words.words[i]);
    QCOMPARE(words.starts[10], int64_t(30));  // "Zürich" without its full stop
  }
};

QTEST_GUILESS_MAIN(TestTaskFeatures)
#include "test_task_features.moc"
