// The fine-tuning metrics against hand-computed values (the arithmetic is in the comments):
// sklearn/scipy's classification and correlation scores, seqeval's entity chunks and F1,
// and the official SQuAD v2.0 normalisation, exact match and token F1.
#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>

#include "tasks/classification_metrics.h"
#include "tasks/entity_metrics.h"
#include "tasks/squad_metrics.h"
#include "tasks/task_metrics.h"
#include "test_support.h"

using namespace bertwb;
using bertwb::test::errorOf;
using Ids = std::vector<int>;
using Numbers = std::vector<double>;
using Tags = std::vector<std::string>;

Q_DECLARE_METATYPE(Ids)
Q_DECLARE_METATYPE(Numbers)
Q_DECLARE_METATYPE(Tags)

namespace {

constexpr double kTolerance = 1e-9;

bool near(double actual, double expected) {
  return std::abs(actual - expected) < kTolerance;
}

#define QCOMPARE_NEAR(actual, expected) \
  QVERIFY2(near((actual), (expected)),  \
           qPrintable(                  \
               QStringLiteral("%1 != %2").arg((actual), 0, 'g', 12).arg((expected), 0, 'g', 12)))

// The three-class case shared by the macro-F1, MCC and report tests. Rows gold, columns
// predicted: [[1, 1, 0], [0, 2, 0], [1, 0, 1]].
const Ids kThreeClassGold = {0, 0, 1, 1, 2, 2};
const Ids kThreeClassPredicted = {0, 1, 1, 1, 2, 0};

QaExample question(const std::string& id, std::vector<std::string> answers) {
  QaExample example;
  example.id = id;
  for (std::string& text : answers) example.answers.push_back({std::move(text), 0});
  example.impossible = example.answers.empty();
  return example;
}

// q1: best of two gold answers; q2: punctuation inside a number; q3, q4: unanswerable.
std::vector<QaExample> squadGold() {
  return {question("q1", {"Eiffel Tower", "the Eiffel Tower in Paris"}), question("q2", {"1,000"}),
          question("q3", {}), question("q4", {})};
}

}  // namespace

class TestTaskMetrics : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // ---- classification ----
  // The bar a classifier must clear: always answering the most frequent gold class.
  void majorityClassAccuracyCountsGoldRows() {
    // gold: three of class 0, one of class 1; what was predicted does not matter.
    const auto report = bertwb::classificationReport({1, 1, 0, 0}, {0, 0, 0, 1}, 2);
    QCOMPARE(bertwb::majorityClassAccuracy(report), 0.75);
    QCOMPARE(bertwb::majorityClassAccuracy(bertwb::ClassificationReport{}), 0.0);
  }

  void accuracyCountsExactMatches() {
    // correct at 0, 1, 3 of 5 → 3/5
    QCOMPARE_NEAR(accuracy({0, 1, 1, 0, 2}, {0, 1, 0, 0, 1}), 0.6);
    QCOMPARE_NEAR(accuracy({}, {}), 0.0);
  }

  void binaryF1ScoresClassOne_data() {
    QTest::addColumn<Ids>("predicted");
    QTest::addColumn<Ids>("gold");
    QTest::addColumn<double>("expected");
    // TP 1, FP 1, FN 1 → P = R = 1/2 → F1 1/2
    QTest::newRow("half right") << Ids{1, 1, 0, 0} << Ids{1, 0, 1, 0} << 0.5;
    // TP 1, FP 2, FN 1 → P 1/3, R 1/2 → 2·(1/6)/(5/6) = 2/5
    QTest::newRow("precision differs from recall") << Ids{1, 1, 1, 0} << Ids{1, 0, 0, 1} << 0.4;
    // TP 0, nothing predicted positive → P = 0/0 → 0 (zero_division), R 0 → F1 0
    QTest::newRow("no positive predictions") << Ids{0, 0, 0} << Ids{1, 0, 1} << 0.0;
    QTest::newRow("no positives anywhere") << Ids{0, 0} << Ids{0, 0} << 0.0;
    QTest::newRow("perfect") << Ids{1, 0, 1} << Ids{1, 0, 1} << 1.0;
  }
  void binaryF1ScoresClassOne() {
    QFETCH(Ids, predicted);
    QFETCH(Ids, gold);
    QFETCH(double, expected);
    QCOMPARE_NEAR(binaryF1(predicted, gold), expected);
  }

  void macroF1AveragesClassesThatOccur() {
    // class 0: TP 1, predicted 2, gold 2 → F1 1/2
    // class 1: TP 2, predicted 3, gold 2 → P 2/3, R 1 → F1 4/5
    // class 2: TP 1, predicted 1, gold 2 → P 1, R 1/2 → F1 2/3
    // mean (0.5 + 0.8 + 0.6667) / 3 = 0.65556
    const double expected = (0.5 + 0.8 + 2.0 / 3) / 3;
    QCOMPARE_NEAR(macroF1(kThreeClassPredicted, kThreeClassGold, 3), expected);
    // A fourth class that never occurs is left out of the mean, as sklearn's unique_labels.
    QCOMPARE_NEAR(macroF1(kThreeClassPredicted, kThreeClassGold, 4), expected);
  }

  void matthewsCorrelation_data() {
    QTest::addColumn<Ids>("predicted");
    QTest::addColumn<Ids>("gold");
    QTest::addColumn<int>("classes");
    QTest::addColumn<double>("expected");
    // TP 2, FN 1, TN 2, FP 1 → (2·2 − 1·1) / sqrt(3·3·3·3) = 3/9
    QTest::newRow("2x2") << Ids{1, 1, 0, 0, 0, 1} << Ids{1, 1, 1, 0, 0, 0} << 2 << 1.0 / 3;
    // sklearn's docstring example: TP 2, FN 1, FP 1, TN 0 → (0 − 1) / sqrt(3·3·1·1) = −1/3
    QTest::newRow("2x2 negative") << Ids{1, 0, 1, 1} << Ids{1, 1, 1, 0} << 2 << -1.0 / 3;
    // gold counts t = (2, 2, 2), predicted p = (2, 3, 1), correct c = 4, samples s = 6:
    // (c·s − t·p) / sqrt((s² − p·p)(s² − t·t)) = (24 − 12) / sqrt((36 − 14)(36 − 12))
    //   = 12 / sqrt(528)
    QTest::newRow("3 classes") << kThreeClassPredicted << kThreeClassGold << 3
                               << 12 / std::sqrt(528.0);
    // every prediction the same class: s² − p·p = 9 − 9 = 0 → undefined → 0
    QTest::newRow("constant prediction") << Ids{1, 1, 1} << Ids{0, 1, 0} << 2 << 0.0;
    QTest::newRow("constant gold") << Ids{0, 1, 0} << Ids{1, 1, 1} << 2 << 0.0;
  }
  void matthewsCorrelation() {
    QFETCH(Ids, predicted);
    QFETCH(Ids, gold);
    QFETCH(int, classes);
    QFETCH(double, expected);
    QCOMPARE_NEAR(bertwb::matthewsCorrelation(predicted, gold, classes), expected);
  }

  void reportHoldsConfusionAndPerClassScores() {
    const ClassificationReport report =
        classificationReport(kThreeClassPredicted, kThreeClassGold, 3);
    const std::vector<std::vector<int64_t>> expected = {{1, 1, 0}, {0, 2, 0}, {1, 0, 1}};
    QVERIFY(report.confusion == expected);
    QCOMPARE(report.examples, int64_t{6});
    QCOMPARE_NEAR(report.accuracy, 4.0 / 6);  // the diagonal: 1 + 2 + 1
    QCOMPARE_NEAR(report.perClass[1].precision, 2.0 / 3);
    QCOMPARE_NEAR(report.perClass[1].recall, 1.0);
    QCOMPARE_NEAR(report.perClass[2].f1, 2.0 / 3);
    QCOMPARE(report.perClass[0].support, int64_t{2});
    QCOMPARE(report.perClass[1].predicted, int64_t{3});
    QCOMPARE_NEAR(report.matthews, 12 / std::sqrt(528.0));
  }

  void badClassificationInputIsRefused() {
    QVERIFY(errorOf([] { accuracy({0, 1}, {0}); }).contains("2 predictions for 1 gold"));
    QVERIFY(errorOf([] {
              classificationReport({0, 3}, {0, 1}, 3);
            }).contains("predicted class id 3 of example 1 is outside 0..2"));
  }

  // ---- correlation ----
  void pearsonCorrelation_data() {
    QTest::addColumn<Numbers>("x");
    QTest::addColumn<Numbers>("y");
    QTest::addColumn<double>("expected");
    // means 2 and 13/3; dx (−1, 0, 1), dy (−7/3, −1/3, 8/3): cov 5, var x 2, var y 114/9
    // → 5 / sqrt(2 · 114/9)
    QTest::newRow("positive") << Numbers{1, 2, 3} << Numbers{2, 4, 7} << 5 / std::sqrt(228.0 / 9);
    QTest::newRow("perfectly negative") << Numbers{1, 2, 3} << Numbers{3, 2, 1} << -1.0;
    QTest::newRow("constant side is undefined") << Numbers{1, 2, 3} << Numbers{5, 5, 5} << 0.0;
  }
  void pearsonCorrelation() {
    QFETCH(Numbers, x);
    QFETCH(Numbers, y);
    QFETCH(double, expected);
    QCOMPARE_NEAR(bertwb::pearsonCorrelation(x, y), expected);
  }

  void tiesShareTheirAverageRank() {
    // 10 at sorted places 1, 2, 3 → 2; 20 at 4, 5 → 4.5; 30 at 6
    QCOMPARE(averageRanks({10, 20, 10, 30, 20, 10}), (Numbers{2, 4.5, 2, 6, 4.5, 2}));
  }

  void spearmanIsPearsonOfAverageRanks() {
    // ranks x (1, 2.5, 2.5, 4), y (1, 3, 2, 4); both mean 2.5
    // dx (−1.5, 0, 0, 1.5), dy (−1.5, 0.5, −0.5, 1.5): cov 4.5, var x 4.5, var y 5
    // → 4.5 / sqrt(22.5) = sqrt(0.9)
    QCOMPARE_NEAR(spearmanCorrelation({1, 2, 2, 3}, {1, 3, 2, 4}), std::sqrt(0.9));
    // monotone but not linear: Spearman 1, Pearson below 1
    QCOMPARE_NEAR(spearmanCorrelation({1, 2, 3}, {1, 10, 100}), 1.0);
    const RegressionReport report = regressionReport({1, 2, 3}, {2, 4, 7});
    QCOMPARE_NEAR(report.meanSquaredError, (1.0 + 4 + 16) / 3);  // errors 1, 2, 4
    QCOMPARE_NEAR(report.spearman, 1.0);
  }

  // ---- entities (seqeval default mode) ----
  void entitySpansFollowSeqeval_data() {
    QTest::addColumn<Tags>("tags");
    QTest::addColumn<QString>("expected");  // "TYPE first-last", in order
    QTest::newRow("BIO") << Tags{"B-PER", "I-PER", "O", "B-LOC"} << "PER 0-1, LOC 3-3";
    QTest::newRow("I- without B- starts one") << Tags{"O", "I-PER", "I-PER"} << "PER 1-2";
    QTest::newRow("I- first word") << Tags{"I-LOC", "O"} << "LOC 0-0";
    QTest::newRow("type change mid-entity")
        << Tags{"B-PER", "I-PER", "I-LOC"} << "PER 0-1, LOC 2-2";
    QTest::newRow("B-X I-Y") << Tags{"B-ORG", "I-MISC"} << "ORG 0-0, MISC 1-1";
    QTest::newRow("entity at sentence end") << Tags{"O", "B-MISC", "I-MISC"} << "MISC 1-2";
    QTest::newRow("B after B") << Tags{"B-PER", "B-PER"} << "PER 0-0, PER 1-1";
    QTest::newRow("all O") << Tags{"O", "O", "O"} << "";
    QTest::newRow("IOB1") << Tags{"I-PER", "I-PER", "B-PER"} << "PER 0-1, PER 2-2";
    QTest::newRow("IOBES") << Tags{"S-PER", "B-LOC", "E-LOC", "I-LOC"}
                           << "PER 0-0, LOC 1-2, LOC 3-3";
    QTest::newRow("no type") << Tags{"B", "I", "O"} << "_ 0-1";
  }
  void entitySpansFollowSeqeval() {
    QFETCH(Tags, tags);
    QFETCH(QString, expected);
    QStringList spans;
    for (const EntitySpan& span : entitySpans(tags)) {
      spans << QString("%1 %2-%3")
                   .arg(QString::fromStdString(span.type))
                   .arg(span.firstWord)
                   .arg(span.lastWord);
    }
    QCOMPARE(spans.join(", "), expected);
  }

  void repairBioMakesStrayInsideTagsBegin() {
    QCOMPARE(repairBio({"I-PER", "I-PER", "O", "I-LOC", "B-PER", "I-PER", "I-ORG"}),
             (Tags{"B-PER", "I-PER", "O", "B-LOC", "B-PER", "I-PER", "B-ORG"}));
  }

  void entityScoresMicroAndPerType() {
    const std::vector<Tags> gold = {{"B-PER", "I-PER", "O", "B-LOC"},       // PER 0..1, LOC 3
                                    {"O", "B-LOC", "I-LOC", "O"},           // LOC 1..2
                                    {"B-PER", "O"}};                        // PER 0
    const std::vector<Tags> predicted = {{"B-PER", "I-PER", "O", "B-ORG"},  // PER right, ORG wrong
                                         {"O", "B-LOC", "O", "O"},          // LOC 1..1: too short
                                         {"I-PER", "O"}};  // PER 0: right in default mode
    const EntityReport report = entityReport(predicted, gold);
    // 2 correct of 4 predicted and 4 gold → P = R = F1 = 1/2
    QCOMPARE(report.overall.correct, int64_t{2});
    QCOMPARE_NEAR(report.overall.precision, 0.5);
    QCOMPARE_NEAR(report.overall.recall, 0.5);
    QCOMPARE_NEAR(report.overall.f1, 0.5);
    QCOMPARE(report.perType.size(), size_t{3});
    QCOMPARE_NEAR(report.perType.at("PER").f1, 1.0);
    QCOMPARE(report.perType.at("PER").support, int64_t{2});
    QCOMPARE(report.perType.at("LOC").support, int64_t{2});  // LOC: 0 of 1 predicted, 0 of 2 gold
    QCOMPARE_NEAR(report.perType.at("LOC").f1, 0.0);
    QCOMPARE(report.perType.at("ORG").support, int64_t{0});  // only predicted
    QCOMPARE(report.perType.at("ORG").predicted, int64_t{1});

    // An entity never runs across a sentence end: these are two entities, both found.
    const EntityReport split = entityReport({{"B-PER"}, {"I-PER"}}, {{"B-PER"}, {"I-PER"}});
    QCOMPARE(split.overall.support, int64_t{2});
    QCOMPARE_NEAR(split.overall.f1, 1.0);

    const EntityReport nothing = entityReport({{"O", "O"}}, {{"O", "O"}});
    QCOMPARE_NEAR(nothing.overall.f1, 0.0);
    QVERIFY(nothing.perType.empty());
  }

  void badTagInputIsRefused() {
    QVERIFY(errorOf([] {
              entityReport({{"O"}}, {{"O"}, {"O"}});
            }).contains("1 predicted sentences"));
    QVERIFY(errorOf([] { entityReport({{"O"}}, {{"O", "O"}}); }).contains("sentence 0 has 1"));
    QVERIFY(errorOf([] { entitySpans({"O", ""}); }).contains("empty tag at word 1"));
  }

  // ---- SQuAD ----
  void normalizeAnswerAsTheOfficialScript_data() {
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("expected");
    QTest::newRow("case, spaces, punctuation, article") << "The  Eiffel Tower!"
                                                        << "eiffel tower";
    QTest::newRow("article an") << "an apple"
                                << "apple";
    QTest::newRow("articles only") << "A a an THE the"
                                   << "";
    QTest::newRow("article inside a word stays") << "theatre anthem"
                                                 << "theatre anthem";
    QTest::newRow("punctuation inside a number") << "1,000"
                                                 << "1000";
    QTest::newRow("punctuation joins words") << "rock-n-roll"
                                             << "rocknroll";
    // '_' is punctuation and goes first, so "the" is no longer a whole word
    QTest::newRow("punctuation before articles") << "the_end"
                                                 << "theend";
    QTest::newRow("accents lower-cased, kept") << "ZÜRICH"
                                               << "zürich";
    QTest::newRow("non-ASCII punctuation stays") << "«Zürich»"
                                                 << "«zürich»";
    QTest::newRow("Unicode whitespace")
        << QString::fromUtf8(" no\u00a0break\tat\nall ") << "no break at all";
    // Python's full lower case: U+0130 → "i" + U+0307
    QTest::newRow("dotted capital I")
        << QString::fromUtf8("\u0130") << QString::fromUtf8("i\u0307");
    // a combining mark is not a word character, so "a" + U+0301 is the article "a"
    QTest::newRow("combining mark after article")
        << QString::fromUtf8("a\u0301") << QString::fromUtf8("\u0301");
  }
  void normalizeAnswerAsTheOfficialScript() {
    QFETCH(QString, answer);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(normalizeAnswer(answer.toStdString())), expected);
  }

  void exactMatchAndTokenF1_data() {
    QTest::addColumn<QString>("gold");
    QTest::addColumn<QString>("predicted");
    QTest::addColumn<double>("exact");
    QTest::addColumn<double>("f1");
    QTest::newRow("normalised equal") << "eiffel tower"
                                      << "The  Eiffel Tower!" << 1.0 << 1.0;
    QTest::newRow("article") << "apple"
                             << "an apple" << 1.0 << 1.0;
    QTest::newRow("number") << "1000"
                            << "1,000" << 1.0 << 1.0;
    QTest::newRow("accented") << "Zürich"
                              << "zürich" << 1.0 << 1.0;
    // gold (eiffel tower in paris) 4, predicted (eiffel tower) 2, common 2:
    // P 1, R 1/2 → 2·(1/2)/(3/2) = 2/3
    QTest::newRow("predicted inside gold") << "the Eiffel Tower in Paris"
                                           << "Eiffel Tower" << 0.0 << 2.0 / 3;
    // gold 3, predicted 5, common 3: P 3/5, R 1 → 2·0.6/1.6 = 0.75
    QTest::newRow("gold inside predicted") << "New York City"
                                           << "New York Yankees City hall" << 0.0 << 0.75;
    // counts: gold red×2 blue×1, predicted red×1 blue×2 → common min(2,1) + min(1,2) = 2
    // P = R = 2/3 → F1 2/3
    QTest::newRow("repeated tokens") << "red red blue"
                                     << "red blue blue" << 0.0 << 2.0 / 3;
    QTest::newRow("no overlap") << "Paris"
                                << "London" << 0.0 << 0.0;
    QTest::newRow("empty prediction") << "Paris"
                                      << "" << 0.0 << 0.0;
    QTest::newRow("both empty") << ""
                                << "" << 1.0 << 1.0;
    // "the" normalises to nothing: v2's rule scores it as agreeing with ""
    QTest::newRow("both normalise empty") << "the"
                                          << "!" << 1.0 << 1.0;
  }
  void exactMatchAndTokenF1() {
    QFETCH(QString, gold);
    QFETCH(QString, predicted);
    QFETCH(double, exact);
    QFETCH(double, f1);
    QCOMPARE_NEAR(exactMatch(gold.toStdString(), predicted.toStdString()), exact);
    QCOMPARE_NEAR(tokenF1(gold.toStdString(), predicted.toStdString()), f1);
  }

  void squadScoresTakeTheBestGoldAnswerAndScoreNoAnswers() {
    const std::vector<QaExample> gold = squadGold();
    // q1 "Tower in Paris": vs "Eiffel Tower" common 1, P 1/3, R 1/2 → 0.4;
    //   vs "the Eiffel Tower in Paris" common 3, P 1, R 3/4 → 6/7; max 6/7, exact 0
    // q2 "1000" vs "1,000": 1, 1.  q3 "" vs [""]: 1, 1.  q4 "Paris" vs [""]: 0, 0.
    const SquadScores scores = squadScores(std::vector<std::pair<QaExample, std::string>>{
        {gold[0], "Tower in Paris"}, {gold[1], "1000"}, {gold[2], ""}, {gold[3], "Paris"}});
    QCOMPARE(scores.total, int64_t{4});
    QCOMPARE_NEAR(scores.exact, 100.0 * 2 / 4);
    QCOMPARE_NEAR(scores.f1, 100.0 * (6.0 / 7 + 1 + 1 + 0) / 4);
    QCOMPARE(scores.hasAnsTotal, int64_t{2});
    QCOMPARE_NEAR(scores.hasAnsExact, 50.0);
    QCOMPARE_NEAR(scores.hasAnsF1, 100.0 * (6.0 / 7 + 1) / 2);
    QCOMPARE(scores.noAnsTotal, int64_t{2});
    QCOMPARE_NEAR(scores.noAnsExact, 50.0);
    QCOMPARE_NEAR(scores.noAnsF1, 50.0);

    // By id, q4 missing: left out as the v2 script does → (0 + 1 + 1) / 3
    const SquadScores byId =
        squadScores(gold, {{"q1", "Tower in Paris"}, {"q2", "1000"}, {"q3", ""}});
    QCOMPARE(byId.total, int64_t{3});
    QCOMPARE(byId.missing, int64_t{1});
    QCOMPARE_NEAR(byId.exact, 100.0 * 2 / 3);
    QCOMPARE(byId.noAnsTotal, int64_t{1});

    // A gold answer that normalises to nothing is dropped; with none left the gold is "".
    const SquadScores articleOnly =
        squadScores(std::vector<std::pair<QaExample, std::string>>{{question("q5", {"The"}), ""}});
    QCOMPARE(articleOnly.hasAnsTotal, int64_t{1});  // HasAns: the answers list is not empty
    QCOMPARE_NEAR(articleOnly.exact, 100.0);
  }

  // ---- the per-task metric sets ----
  void taskMetricsNameTheMainMetric() {
    const ClassificationReport binary = classificationReport({1, 1, 0, 0}, {1, 0, 1, 0}, 2);
    const TaskMetrics accuracyMain = taskMetrics(binary);
    QCOMPARE(accuracyMain.mainMetric, std::string("accuracy"));
    QCOMPARE_NEAR(accuracyMain.main(), 0.5);
    QCOMPARE_NEAR(accuracyMain.values.at("f1"), 0.5);
    const TaskMetrics colaLike = taskMetrics(binary, ClassificationMainMetric::Matthews);
    QCOMPARE(colaLike.mainMetric, std::string("matthews_correlation"));
    QCOMPARE_NEAR(colaLike.main(), 0.0);  // TP 1, TN 1, FP 1, FN 1 → (1 − 1)/… = 0
    // Binary F1 is reported only for two classes.
    QVERIFY(!taskMetrics(classificationReport(kThreeClassPredicted, kThreeClassGold, 3))
                 .values.count("f1"));

    QCOMPARE(taskMetrics(regressionReport({1, 2, 3}, {3, 2, 1})).main(), -1.0);
    QCOMPARE(taskMetrics(EntityReport{}).mainMetric, std::string("f1"));

    const TaskMetrics squad = taskMetrics(
        squadScores(std::vector<std::pair<QaExample, std::string>>{{squadGold()[1], "1000"}}));
    QCOMPARE(squad.mainMetric, std::string("f1"));
    QCOMPARE_NEAR(squad.main(), 100.0);
    QCOMPARE_NEAR(squad.values.at("HasAns_total"), 1.0);
    QVERIFY(!squad.values.count("NoAns_f1"));  // no unanswerable questions: no NoAns group

    const nlohmann::json json = squad.toJson();
    QCOMPARE(json.at("main_metric").get<std::string>(), std::string("f1"));
    QCOMPARE(json.at("exact").get<double>(), 100.0);
    QVERIFY(json.dump().find('\n') == std::string::npos);  // one line

    TaskMetrics worse = squad;
    worse.values["f1"] = 90.0;
    QVERIFY(improvesOn(squad, worse));
    QVERIFY(!improvesOn(squad, squad));  // a tie keeps the earlier checkpoint
  }

  void metricSetsListWhatTheirTaskMetricsHold_data() {
    QTest::addColumn<int>("family");
    QTest::addColumn<QString>("main");
    QTest::newRow("classification") << int(MetricFamily::Classification) << "accuracy";
    QTest::newRow("regression") << int(MetricFamily::Regression) << "pearson";
    QTest::newRow("tagging") << int(MetricFamily::Tagging) << "f1";
    QTest::newRow("question answering") << int(MetricFamily::QuestionAnswering) << "f1";
    QTest::newRow("multiple choice") << int(MetricFamily::MultipleChoice) << "accuracy";
  }
  void metricSetsListWhatTheirTaskMetricsHold() {
    QFETCH(int, family);
    QFETCH(QString, main);
    const auto metricFamily = static_cast<MetricFamily>(family);
    const MetricSet set = metricSetFor(metricFamily);
    QCOMPARE(QString::fromStdString(set.mainMetric), main);
    TaskMetrics produced;
    switch (metricFamily) {
      case MetricFamily::Classification:
        produced = taskMetrics(classificationReport({0, 1}, {0, 1}, 3));
        break;
      case MetricFamily::Regression:
        produced = taskMetrics(regressionReport({1, 2}, {1, 2}));
        break;
      case MetricFamily::Tagging:
        produced = taskMetrics(EntityReport{});
        break;
      case MetricFamily::QuestionAnswering:
        produced = taskMetrics(SquadScores{});
        break;
      case MetricFamily::MultipleChoice:
        produced = multipleChoiceMetrics(0.25);
        break;
    }
    QCOMPARE(produced.mainMetric, set.mainMetric);
    for (const std::string& name : set.names) {
      QVERIFY2(produced.values.count(name), name.c_str());
    }
    QCOMPARE(
        metricSetFor(MetricFamily::Classification, ClassificationMainMetric::BinaryF1).mainMetric,
        std::string("f1"));
  }
};

QTEST_GUILESS_MAIN(TestTaskMetrics)
#include "test_task_metrics.moc"
