// The fine-tuning task readers: GLUE-style TSV/CSV, CoNLL-2003, SQuAD v1.1/v2.0 and multiple
// choice, on tiny hand-written files; every malformed input gives one message naming the file
// and line (or JSON path); and every file of the demo world reads cleanly.
#include <QtTest>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "data/demo_world.h"
#include "tasks/choice_reader.h"
#include "tasks/conll_reader.h"
#include "tasks/glue_reader.h"
#include "tasks/squad_reader.h"
#include "tasks/task_dataset_reader.h"
#include "test_support.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

// "none", "last", "2" (0-based index) or a header name.
ColumnChoice columnOf(const QString& spec) {
  if (spec == "none") return ColumnChoice::none();
  if (spec == "last") return ColumnChoice::last();
  bool isIndex = false;
  const int index = spec.toInt(&isIndex);
  return isIndex ? ColumnChoice::at(index) : ColumnChoice::named(spec.toStdString());
}

// "a=0 b=1 label=last regression" → options; unnamed parts keep their defaults.
TextReadOptions textOptionsOf(const QString& spec) {
  TextReadOptions options;
  for (const QString& part : spec.split(' ', Qt::SkipEmptyParts)) {
    const QString key = part.section('=', 0, 0), value = part.section('=', 1);
    if (key == "a") options.columnA = columnOf(value);
    if (key == "b") options.columnB = columnOf(value);
    if (key == "label") options.columnLabel = columnOf(value);
    if (key == "regression") options.regression = true;
    if (key == "header") options.header = value == "yes" ? HeaderMode::Yes : HeaderMode::No;
  }
  return options;
}

// Examples as "textA|textB|label" lines, for one QCOMPARE per file.
QStringList rowsOf(const TextDataset& dataset) {
  QStringList rows;
  for (const TextExample& example : dataset.examples) {
    rows << QString::fromStdString(example.textA + "|" + example.textB + "|" + example.label);
  }
  return rows;
}

QStringList qStrings(const std::vector<std::string>& values) {
  QStringList list;
  for (const std::string& value : values) list << QString::fromStdString(value);
  return list;
}

std::vector<std::string> stdStrings(const QString& spaceSeparated) {
  std::vector<std::string> values;
  for (const QString& value : spaceSeparated.split(' ', Qt::SkipEmptyParts))
    values.push_back(value.toStdString());
  return values;
}

// "Zoë lives in Zürich." with answer_start counted in code points: "Zoë " is 4, "lives " 6,
// "in " 3, so "Zürich" starts at 13 (at byte 14: 'ë' takes two bytes).
const char* const kZurichContext = "Zo\xC3\xAB lives in Z\xC3\xBCrich.";
const char* const kZurich = "Z\xC3\xBCrich";
constexpr int kZurichStart = 13;
constexpr int kZurichByteStart = 14;

// Lists are std::vector: a one-element braced list of json would be copied, not wrapped.
using JsonList = std::vector<nlohmann::json>;

nlohmann::json squadOf(const JsonList& qas, const std::string& version = "v1.1") {
  nlohmann::json paragraph = {{"context", kZurichContext}, {"qas", qas}};
  nlohmann::json article = {{"title", "Zoe"}, {"paragraphs", JsonList{paragraph}}};
  return {{"version", version}, {"data", JsonList{article}}};
}

nlohmann::json question(const std::string& id, const JsonList& answers) {
  return {{"id", id}, {"question", "Where does Zoe live?"}, {"answers", answers}};
}

nlohmann::json answer(const std::string& text, int start) {
  return {{"text", text}, {"answer_start", start}};
}

int64_t countTokenLines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  int64_t tokens = 0;
  while (std::getline(in, line)) tokens += !line.empty() && line.rfind("-DOCSTART-", 0) != 0;
  return tokens;
}

}  // namespace

class TestTaskReaders : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir folder_;

  // Writes a fixture and returns its path (the one messages must name).
  std::string write(const QString& name, const QByteArray& content) {
    QFile file(folder_.filePath(name));
    if (!file.open(QIODevice::WriteOnly)) qFatal("cannot write a fixture");
    file.write(content);
    return folder_.filePath(name).toStdString();
  }

  // The error's message must start with "path:line: " (line "" for a JSON path) and hold
  // `fragment`.
  static void verifyError(const QString& message, const std::string& path, const QString& line,
                          const QString& fragment) {
    const QString where =
        QString::fromStdString(path) + (line.isEmpty() ? ": " : ":" + line + ": ");
    QVERIFY2(message.startsWith(where),
             qPrintable("message: " + message + "\nexpected start: " + where));
    QVERIFY2(message.contains(fragment),
             qPrintable("message: " + message + "\nexpected: " + fragment));
  }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(folder_.isValid()); }

  // ---- GLUE-style TSV/CSV ----

  void readsTsvAndCsv_data() {
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("options");
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<QString>("labels");
    QTest::newRow("tsv, header by numeric labels")
        << "sst.tsv" << QByteArray("sentence\tlabel\nA good film .\t1\nA dull film .\t0\n") << ""
        << QStringList{"A good film .||1", "A dull film .||0"} << "0 1";
    QTest::newRow("tsv, no header")
        << "sst.tsv" << QByteArray("Good .\t1\nBad .\t0\nFine .\t1") << ""
        << QStringList{"Good .||1", "Bad .||0", "Fine .||1"} << "0 1";
    QTest::newRow("tsv pair, columns by name")
        << "mnli.tsv"
        << QByteArray(
               "index\tpremise\thypothesis\tlabel\n0\tA man sleeps .\tA man rests .\tentailment\n"
               "1\tA dog runs .\tA cat runs .\tcontradiction\n")
        << "a=premise b=hypothesis label=label"
        << QStringList{"A man sleeps .|A man rests .|entailment",
                       "A dog runs .|A cat runs .|contradiction"}
        << "contradiction entailment";
    QTest::newRow("tsv pair, columns by index, header by known name")
        << "rte.tsv" << QByteArray("id\tsentence1\tsentence2\tlabel\n7\tP .\tH .\tneutral\n")
        << "a=1 b=2 label=3" << QStringList{"P .|H .|neutral"} << "neutral";
    QTest::newRow("tsv pair without header, bare quotes kept")
        << "pair.tsv" << QByteArray("\"Hi\" .\tHello .\tyes\nBye .\t\"Bye\" .\tno\n") << "a=0 b=1"
        << QStringList{"\"Hi\" .|Hello .|yes", "Bye .|\"Bye\" .|no"} << "no yes";
    QTest::newRow("csv, quoted commas, quotes and line breaks")
        << "quoted.csv"
        << QByteArray(
               "text,label\n\"Hello, world\",1\n\"She said \"\"hi\"\"\",0\n\"two\nlines\",1\n")
        << "" << QStringList{"Hello, world||1", "She said \"hi\"||0", "two\nlines||1"} << "0 1";
    QTest::newRow("csv, no header, windows line ends and byte order mark")
        << "plain.csv" << QByteArray("\xEF\xBB\xBFGood,1\r\nBad,0\r\n") << ""
        << QStringList{"Good||1", "Bad||0"} << "0 1";
    QTest::newRow("integer labels sort numerically")
        << "many.tsv" << QByteArray("a\t10\nb\t2\nc\t1\n") << ""
        << QStringList{"a||10", "b||2", "c||1"} << "1 2 10";
    QTest::newRow("unlabelled test file")
        << "test.tsv" << QByteArray("index\tsentence\n0\tGood .\n1\tBad .\n")
        << "a=sentence label=none" << QStringList{"Good .||", "Bad .||"} << "";
    QTest::newRow("header forced off")
        << "forced.tsv" << QByteArray("sentence\tlabel\nGood\t1\n") << "header=no"
        << QStringList{"sentence||label", "Good||1"} << "1 label";
    QTest::newRow("header forced on") << "forced.tsv" << QByteArray("Good\t1\nBad\t0\n")
                                      << "header=yes" << QStringList{"Bad||0"} << "0";
  }

  void readsTsvAndCsv() {
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, options);
    QFETCH(QStringList, rows);
    QFETCH(QString, labels);
    const TextReadOptions readOptions = textOptionsOf(options);
    const TextDataset dataset = readTextDataset(write(fileName, content), readOptions);
    QCOMPARE(rowsOf(dataset), rows);
    QCOMPARE(qStrings(dataset.labels), labels.split(' ', Qt::SkipEmptyParts));
    QCOMPARE(dataset.pair, readOptions.columnB.chosen());
  }

  void sourceNamesFileAndLineOfEachRow() {
    const std::string path = write("lines.csv", "text,label\n\"one\ntwo\",1\nthree,0\n");
    const TextDataset dataset = readTextDataset(path);
    QCOMPARE(dataset.examples.size(), size_t(2));
    QCOMPARE(dataset.examples[0].source, path + ":2");
    QCOMPARE(dataset.examples[1].source, path + ":4");  // after a record spanning two lines
  }

  void labelSetFromTrainIsFixedForDev() {
    const TextDataset train = readTextDataset(write("train.tsv", "sentence\tlabel\nA\t1\nB\t0\n"));
    QCOMPARE(qStrings(train.labels), (QStringList{"0", "1"}));
    TextReadOptions devOptions;
    devOptions.labelSet = train.labels;
    // A dev file with one class keeps the training classes and ids.
    const TextDataset dev =
        readTextDataset(write("dev.tsv", "sentence\tlabel\nC\t1\n"), devOptions);
    QCOMPARE(qStrings(dev.labels), (QStringList{"0", "1"}));
    QCOMPARE(dev.examples.size(), size_t(1));
    const std::string bad = write("dev.tsv", "sentence\tlabel\nC\t1\nD\tmaybe\n");
    verifyError(errorOf([&] { readTextDataset(bad, devOptions); }), bad, "3",
                "label 'maybe' is not one of the training labels (0, 1)");
  }

  void regressionLabelsAreNumbers() {
    const std::string path = write("sts.tsv", "s1\ts2\tscore\nA\tB\t3.8\nC\tD\t0\nE\tF\t-1e-1\n");
    const TextDataset dataset = readTextDataset(path, textOptionsOf("b=1 regression"));
    QVERIFY(dataset.regression);
    QVERIFY(dataset.labels.empty());
    QCOMPARE(rowsOf(dataset), (QStringList{"A|B|3.8", "C|D|0", "E|F|-1e-1"}));
    const std::string bad = write("sts.tsv", "s1\ts2\tscore\nA\tB\t3.8\nC\tD\thigh\n");
    verifyError(errorOf([&] { readTextDataset(bad, textOptionsOf("b=1 regression")); }), bad, "3",
                "label 'high' (column 2) is not a number");
  }

  void malformedRowsNameFileAndLine_data() {
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("options");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("too few columns")
        << "bad.tsv" << QByteArray("sentence\tlabel\nGood\t1\nBad\n") << "a=0 label=1"
        << "3"
        << "1 column(s), expected at least 2";
    QTest::newRow("empty text_a") << "bad.tsv" << QByteArray("sentence\tlabel\nGood\t1\n  \t0\n")
                                  << ""
                                  << "3"
                                  << "text_a (column 0) is empty";
    QTest::newRow("empty text_b") << "bad.tsv" << QByteArray("A\tB\t1\nC\t\t0\n") << "b=1"
                                  << "2"
                                  << "text_b (column 1) is empty";
    QTest::newRow("empty label") << "bad.tsv" << QByteArray("sentence\tlabel\nGood\t1\nBad\t\n")
                                 << ""
                                 << "3"
                                 << "the label (column 1) is empty";
    QTest::newRow("invalid UTF-8")
        << "bad.tsv" << QByteArray("sentence\tlabel\nGood\t1\nBa\xFF\t0\n") << ""
        << "3"
        << "invalid UTF-8 at byte 3";
    QTest::newRow("unterminated quote")
        << "bad.csv" << QByteArray("text,label\ngood,1\n\"never closed,0\nmore,1\n") << ""
        << "3"
        << "a quoted field is never closed";
    QTest::newRow("text after closing quote")
        << "bad.csv" << QByteArray("text,label\n\"ab\"c,1\n") << ""
        << "2"
        << "text after the closing quote of field 1";
    QTest::newRow("column name not in header")
        << "bad.tsv" << QByteArray("sentence\tlabel\nGood\t1\n") << "a=sentense"
        << "1"
        << "no column named 'sentense' in the header (it has: sentence, label)";
  }

  void malformedRowsNameFileAndLine() {
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, options);
    QFETCH(QString, line);
    QFETCH(QString, fragment);
    const std::string path = write(fileName, content);
    verifyError(errorOf([&] { readTextDataset(path, textOptionsOf(options)); }), path, line,
                fragment);
  }

  void previewShowsCellsAndHeader() {
    const std::string path = write("preview.csv", "text,label\n\"a, b\",1\nc,0\nd,1\ne,0,extra\n");
    const TablePreview preview = previewTextFile(path, /*maxRows=*/2);
    QCOMPARE(preview.delimiter, ',');
    QVERIFY(preview.hasHeader);
    QCOMPARE(qStrings(preview.header), (QStringList{"text", "label"}));
    QCOMPARE(preview.rows.size(), size_t(2));
    QCOMPARE(qStrings(preview.rows[0]), (QStringList{"a, b", "1"}));
    QCOMPARE(preview.columns, 2);  // the wider 5th row is beyond the preview
    const TablePreview plain = previewTextFile(write("plain.tsv", "x\t1\ny\t0\tz\n"), 5);
    QVERIFY(!plain.hasHeader);
    QCOMPARE(plain.rows.size(), size_t(2));
    QCOMPARE(plain.columns, 3);
  }

  // ---- CoNLL-2003 ----

  void conllReadsSentencesAndSkipsDocstart() {
    const std::string path =
        write("ner.conll",
              "-DOCSTART- -X- -X- O\n\n"
              "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nPeter NNP B-NP B-PER\n"
              "Blackburn NNP I-NP I-PER\n\n\n"
              "Paris NNP B-NP B-LOC\n-DOCSTART- -X- -X- O\nBonn NNP B-NP B-LOC\n");
    const TaggedDataset dataset = readTaggedDataset(path);
    QCOMPARE(dataset.sentences.size(), size_t(3));
    QCOMPARE(qStrings(dataset.sentences[0].words),
             (QStringList{"EU", "rejects", "Peter", "Blackburn"}));
    QCOMPARE(qStrings(dataset.sentences[0].tags), (QStringList{"B-ORG", "O", "B-PER", "I-PER"}));
    QCOMPARE(dataset.sentences[0].source, path + ":3");
    QCOMPARE(dataset.sentences[1].source, path + ":9");
    QCOMPARE(qStrings(dataset.sentences[2].words), QStringList{"Bonn"});
    QCOMPARE(qStrings(dataset.labels), (QStringList{"O", "B-LOC", "B-ORG", "B-PER", "I-PER"}));
  }

  void conllSchemesGiveBio_data() {
    QTest::addColumn<QString>("tags");
    QTest::addColumn<int>("scheme");
    QTest::addColumn<QString>("bio");
    const int autoScheme = int(TagScheme::Auto), iob1 = int(TagScheme::Iob1),
              bio = int(TagScheme::Bio);
    QTest::newRow("iob1: I- after O starts an entity")
        << "I-PER I-PER O I-LOC" << autoScheme << "B-PER I-PER O B-LOC";
    QTest::newRow("iob1: B- separates adjacent entities of one type")
        << "I-PER B-PER I-PER" << iob1 << "B-PER B-PER I-PER";
    QTest::newRow("iob1: a type change starts an entity")
        << "I-PER I-LOC" << autoScheme << "B-PER B-LOC";
    QTest::newRow("bio read as auto is unchanged")
        << "B-PER I-PER O B-LOC" << autoScheme << "B-PER I-PER O B-LOC";
    QTest::newRow("bio read as iob1 is unchanged")
        << "B-LOC B-LOC I-LOC" << iob1 << "B-LOC B-LOC I-LOC";
    QTest::newRow("bio read as bio") << "O B-ORG I-ORG" << bio << "O B-ORG I-ORG";
  }

  void conllSchemesGiveBio() {
    QFETCH(QString, tags);
    QFETCH(int, scheme);
    QFETCH(QString, bio);
    QByteArray content;
    for (const QString& tag : tags.split(' ')) content += "word " + tag.toUtf8() + "\n";
    TaggedReadOptions options;
    options.scheme = TagScheme(scheme);
    const TaggedDataset dataset = readTaggedDataset(write("scheme.conll", content), options);
    QCOMPARE(dataset.sentences.size(), size_t(1));
    QCOMPARE(qStrings(dataset.sentences[0].tags), bio.split(' '));
  }

  void conllTagColumnIsChosen() {
    const std::string path = write("chunks.conll", "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n");
    TaggedReadOptions options;
    options.tagColumn = 2;
    QCOMPARE(qStrings(readTaggedDataset(path, options).sentences[0].tags),
             (QStringList{"B-NP", "B-VP"}));
    options.tagged = false;
    const TaggedDataset words = readTaggedDataset(path, options);
    QVERIFY(words.sentences[0].tags.empty());
    QVERIFY(words.labels.empty());
    QCOMPARE(qStrings(words.sentences[0].words), (QStringList{"EU", "rejects"}));
  }

  void conllMalformedLinesNameFileAndLine_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("scheme");
    QTest::addColumn<QString>("labelSet");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("fragment");
    const int autoScheme = int(TagScheme::Auto);
    QTest::newRow("bad prefix") << QByteArray("EU B-ORG\nPeter X-PER\n") << autoScheme << ""
                                << "2"
                                << "bad tag 'X-PER' (expected O, B-TYPE or I-TYPE)";
    QTest::newRow("prefix without type") << QByteArray("EU B-\n") << autoScheme << ""
                                         << "1"
                                         << "bad tag 'B-'";
    QTest::newRow("a column missing")
        << QByteArray("EU NNP B-ORG\n\nrejects O\n") << autoScheme << ""
        << "3"
        << "2 column(s), but the file's first token line has 3";
    QTest::newRow("no tag column") << QByteArray("EU\nrejects\n") << autoScheme << ""
                                   << "1"
                                   << "1 column(s); the tag column is 0";
    QTest::newRow("invalid UTF-8") << QByteArray("EU B-ORG\n\xC3 O\n") << autoScheme << ""
                                   << "2"
                                   << "invalid UTF-8 at byte 1";
    QTest::newRow("I- after O in BIO")
        << QByteArray("the O\nEU I-ORG\n") << int(TagScheme::Bio) << ""
        << "2"
        << "'I-ORG' does not continue an entity";
    QTest::newRow("tag outside the training set")
        << QByteArray("EU B-ORG\nrejects O\n\nNice B-MISC\n") << autoScheme << "O B-ORG I-ORG"
        << "4"
        << "tag 'B-MISC' is not one of the training tags (O, B-ORG, I-ORG)";
  }

  void conllMalformedLinesNameFileAndLine() {
    QFETCH(QByteArray, content);
    QFETCH(int, scheme);
    QFETCH(QString, labelSet);
    QFETCH(QString, line);
    QFETCH(QString, fragment);
    const std::string path = write("bad.conll", content);
    TaggedReadOptions options;
    options.scheme = TagScheme(scheme);
    options.labelSet = stdStrings(labelSet);
    verifyError(errorOf([&] { readTaggedDataset(path, options); }), path, line, fragment);
  }

  // ---- SQuAD ----

  void squadV1KeepsSeveralAnswersAtCodePointOffsets() {
    const auto qas = JsonList(
        {question("q1", {answer(kZurich, kZurichStart), answer(std::string("in ") + kZurich, 10)}),
         question("q2", {answer("Zo\xC3\xAB", 0)})});
    const std::string path = write("v1.json", QByteArray::fromStdString(squadOf(qas).dump()));
    const QaDataset dataset = readQaDataset(path);
    QVERIFY(!dataset.v2);
    QCOMPARE(dataset.examples.size(), size_t(2));
    const QaExample& first = dataset.examples[0];
    QCOMPARE(first.id, std::string("q1"));
    QCOMPARE(first.context, std::string(kZurichContext));
    QCOMPARE(first.answers.size(), size_t(2));
    QCOMPARE(first.answers[0].text, std::string(kZurich));
    QCOMPARE(first.answers[0].start, int64_t(kZurichStart));
    QCOMPARE(first.answers[1].start, int64_t(10));
    QCOMPARE(first.source, path + ": data[0].paragraphs[0].qas[0]");
    QVERIFY(!first.impossible);
  }

  void squadV2MarksImpossibleQuestions() {
    nlohmann::json impossible = question("q2", {});
    impossible["is_impossible"] = true;
    impossible["plausible_answers"] = JsonList{answer("Zo\xC3\xAB", 0)};
    const JsonList qas = {question("q1", {answer(kZurich, kZurichStart)}), impossible};
    const QaDataset dataset =
        readQaDataset(write("v2.json", QByteArray::fromStdString(squadOf(qas).dump())));
    QVERIFY(dataset.v2);
    QVERIFY(!dataset.examples[0].impossible);
    QVERIFY(dataset.examples[1].impossible);
    QVERIFY(dataset.examples[1].answers.empty());
    // The version alone makes a file v2, even when every question has an answer.
    const JsonList answerable = {question("q1", {answer(kZurich, kZurichStart)})};
    QVERIFY(readQaDataset(
                write("v2.json", QByteArray::fromStdString(squadOf(answerable, "v2.0").dump())))
                .v2);
  }

  void squadErrorsNameThePath_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("fragment");
    const auto squad = [](const JsonList& qas) {
      return QByteArray::fromStdString(squadOf(qas).dump(1));
    };
    QTest::newRow("answer one code point early")
        << squad({question("q1", {answer(kZurich, kZurichStart - 1)})}) << ""
        << "data[0].paragraphs[0].qas[0].answers[0]: answer 'Z\xC3\xBCrich' is not at answer_start "
           "12: "
           "the context has ' Z\xC3\xBCric' there";
    QTest::newRow("answer_start counted in bytes")
        << squad(
               {question("q1", {answer(kZurich, kZurichStart)}),
                question("q2", {answer(kZurich, kZurichStart), answer(kZurich, kZurichByteStart)})})
        << ""
        << "data[0].paragraphs[0].qas[1].answers[1]: answer 'Z\xC3\xBCrich' is not at answer_start "
           "14";
    QTest::newRow("answer beyond the context") << squad({question("q1", {answer("Zoe", 40)})}) << ""
                                               << "runs outside the context (20 characters)";
    QTest::newRow("missing question") << squad({{{"id", "q1"}, {"answers", JsonList{}}}}) << ""
                                      << "data[0].paragraphs[0].qas[0]: has no \"question\"";
    QTest::newRow("no answers, not impossible")
        << squad({question("q1", {})}) << ""
        << "qas[0]: no answers, and it is not marked is_impossible";
    QTest::newRow("answer_start not a number")
        << squad({question("q1", {{{"text", "Zoe"}, {"answer_start", "0"}}})}) << ""
        << "answers[0]: \"answer_start\" is a string, expected an integer";
    QTest::newRow("repeated id")
        << squad({question("q1", {answer(kZurich, kZurichStart)}),
                  question("q1", {answer(kZurich, kZurichStart)})})
        << ""
        << "data[0].paragraphs[0].qas[1]: id 'q1' repeats data[0].paragraphs[0].qas[0]";
    QTest::newRow("invalid JSON") << QByteArray("{\n\"data\": [\n,]\n}\n") << "3"
                                  << "invalid JSON";
  }

  void squadErrorsNameThePath() {
    QFETCH(QByteArray, content);
    QFETCH(QString, line);
    QFETCH(QString, fragment);
    const std::string path = write("bad.json", content);
    verifyError(errorOf([&] { readQaDataset(path); }), path, line, fragment);
  }

  // ---- multiple choice ----

  void choiceReadsEndingsAndLabels() {
    const std::string path =
        write("swag.tsv",
              "id\tcontext\tending0\tending1\tending2\tlabel\n"
              "1\tShe opens the door .\tShe walks in .\tThe door eats .\tIt sings .\t0\n"
              "2\tHe boils water .\tHe sleeps .\tHe makes tea .\tWater flies .\t1\n");
    const ChoiceDataset dataset = readChoiceDataset(path);
    QCOMPARE(dataset.choices, 3);
    QCOMPARE(dataset.examples.size(), size_t(2));
    QCOMPARE(dataset.examples[1].context, std::string("He boils water ."));
    QCOMPARE(qStrings(dataset.examples[1].endings),
             (QStringList{"He sleeps .", "He makes tea .", "Water flies ."}));
    QCOMPARE(dataset.examples[1].label, 1);
    QCOMPARE(dataset.examples[1].source, path + ":3");

    ChoiceReadOptions options;
    options.endingColumns = {"ending2", "ending0"};
    options.labelColumn.clear();
    const ChoiceDataset chosen = readChoiceDataset(path, options);
    QCOMPARE(chosen.choices, 2);
    QCOMPARE(qStrings(chosen.examples[0].endings), (QStringList{"It sings .", "She walks in ."}));
    QCOMPARE(chosen.examples[0].label, -1);

    const ChoiceDataset csv = readChoiceDataset(
        write("choice.csv", "context,choice1,choice2,label\n\"Rain, then\",sun,\"snow, too\",1\n"));
    QCOMPARE(qStrings(csv.examples[0].endings), (QStringList{"sun", "snow, too"}));
    QCOMPARE(csv.examples[0].label, 1);
  }

  void choiceErrorsNameFileAndLine_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("label out of range")
        << QByteArray("context\tending0\tending1\tlabel\nA\tB\tC\t1\nD\tE\tF\t2\n") << "3"
        << "label '2' is not an ending index (0 to 1)";
    QTest::newRow("no context column")
        << QByteArray("sent1\tending0\tending1\tlabel\nA\tB\tC\t1\n") << "1"
        << "no column named 'context'";
    QTest::newRow("one ending") << QByteArray("context\tending0\tlabel\nA\tB\t0\n") << "1"
                                << "1 ending column(s); a multiple-choice file needs at least 2";
    QTest::newRow("empty ending") << QByteArray("context\tending0\tending1\tlabel\nA\tB\t \t0\n")
                                  << "2"
                                  << "ending 1 (column 2) is empty";
    QTest::newRow("short row") << QByteArray("context\tending0\tending1\tlabel\nA\tB\n") << "2"
                               << "2 column(s), expected at least 4";
  }

  void choiceErrorsNameFileAndLine() {
    QFETCH(QByteArray, content);
    QFETCH(QString, line);
    QFETCH(QString, fragment);
    const std::string path = write("bad_choice.tsv", content);
    verifyError(errorOf([&] { readChoiceDataset(path); }), path, line, fragment);
  }

  // ---- the demo world's task files, read as a user's would be ----

  // Labels stored as numbers read by name when the user names them: in the dataset, in the
  // order named, and a dev file read against the training names.
  void labelNamesReplaceNumericLabels() {
    const std::string train =
        write("named_train.tsv", "sentence\tlabel\nlovely\t1\nawful\t0\nfine\t1\n");
    const std::string dev = write("named_dev.tsv", "sentence\tlabel\ngrim\t0\n");
    TaskColumns columns;
    columns.labelNames = " 0 = negative , 1=positive";
    const TaskDataset read = readTaskDataset(FinetuneTask::Classify, train, columns);
    const auto& text = std::get<TextDataset>(read);
    QCOMPARE(qStrings(text.labels), (QStringList{"negative", "positive"}));
    QCOMPARE(QString::fromStdString(text.examples[0].label), QStringLiteral("positive"));
    const TaskDataset devRead =
        readTaskDataset(FinetuneTask::Classify, dev, columns, datasetLabels(read));
    QCOMPARE(QString::fromStdString(std::get<TextDataset>(devRead).examples[0].label),
             QStringLiteral("negative"));
    // Named in another order, the classes follow it.
    columns.labelNames = "1=positive,0=negative";
    QCOMPARE(qStrings(datasetLabels(readTaskDataset(FinetuneTask::Classify, train, columns))),
             (QStringList{"positive", "negative"}));
    // A malformed entry or a repeat is named.
    QVERIFY(errorOf([] {
              parseLabelNames("0=negative, positive");
            }).contains("'positive' is not FILE_LABEL=NAME"));
    QVERIFY(errorOf([] { parseLabelNames("0=a,0=b"); }).contains("repeats '0'"));
    QVERIFY(parseLabelNames("").empty());
  }

  // Issue 19, item 8: a training file with one class became a one-output model, which reads
  // as regression (exit 0, nothing learned); item 5: one with a label per row allocated a
  // classifier to match. Both are refused, naming the file; a dev file with one class is fine.
  void aTrainingFileNeedsTwoToAHundredThousandClasses() {
    const std::string one = write("one_label.tsv", "sentence\tlabel\nfine\tpos\ngood\tpos\n");
    const QString error = errorOf([&] { readTaskDataset(FinetuneTask::Classify, one, {}); });
    QVERIFY2(error.startsWith(QString::fromStdString(one) +
                              ": every example has the label \"pos\": a classifier needs at "
                              "least two classes"),
             qPrintable(error));
    QVERIFY(error.contains("regression task"));
    QCOMPARE(std::get<TextDataset>(readTaskDataset(FinetuneTask::Classify, one, {}, {"neg", "pos"}))
                 .examples.size(),
             size_t(2));
    QByteArray many = "sentence\tlabel\n";
    for (int i = 0; i <= 100000; ++i) many += "x\t" + QByteArray::number(i) + "\n";
    const std::string manyPath = write("many_labels.tsv", many);
    const QString tooMany = errorOf([&] { readTaskDataset(FinetuneTask::Classify, manyPath, {}); });
    QVERIFY2(tooMany.contains("100001 different labels, more than any task has (at most 100000)"),
             qPrintable(tooMany));
    // A label outside a long training set: the message lists 20 and counts the rest.
    std::vector<std::string> labels;
    for (int i = 0; i < 30; ++i) labels.push_back("class" + std::to_string(i));
    const std::string dev = write("dev_unknown.tsv", "sentence\tlabel\nx\tnone\n");
    const QString unknown =
        errorOf([&] { readTaskDataset(FinetuneTask::Classify, dev, {}, labels); });
    QVERIFY2(unknown.contains("class19, … and 10 more)") && !unknown.contains("class20"),
             qPrintable(unknown));
  }

  // Issue 19, item 3: a file of one endless line (the preview reads its first rows on the GUI
  // thread) is refused at 16 MiB instead of being read whole.
  void anEndlessLineIsRefusedAtSixteenMebibytes() {
    const std::string tsv =
        write("endless.tsv", "sentence\tlabel\n" + QByteArray(17 << 20, 'x') + "\tpos\n");
    const QString error = errorOf([&] { readTextDataset(tsv, {}); });
    QVERIFY2(error.startsWith(QString::fromStdString(tsv) +
                              ":2: a line longer than 16 MiB, which no task file has"),
             qPrintable(error));
    const std::string conll = write("endless.conll", "EU B-ORG\n" + QByteArray(17 << 20, 'x'));
    QVERIFY(errorOf([&] {
              readTaggedDataset(conll);
            }).startsWith(QString::fromStdString(conll) + ":2:"));
  }

  void demoWorldTaskFilesRead() {
    DemoWorldOptions options;
    options.outputFolder = folder_.filePath("demo").toStdString();
    const DemoWorldFiles files = writeDemoWorld(options);

    const TextDataset sentiment = readTextDataset(files.sentimentTrain);
    QVERIFY(!sentiment.pair && sentiment.examples.size() > 100);
    QCOMPARE(qStrings(sentiment.labels), (QStringList{"negative", "positive"}));
    TextReadOptions sentimentDev;
    sentimentDev.labelSet = sentiment.labels;
    QVERIFY(!readTextDataset(files.sentimentDev, sentimentDev).examples.empty());

    TextReadOptions entailmentOptions;
    entailmentOptions.columnB = ColumnChoice::named("sentence2");
    entailmentOptions.columnA = ColumnChoice::named("sentence1");
    const TextDataset entailment = readTextDataset(files.entailmentTrain, entailmentOptions);
    QVERIFY(entailment.pair);
    QCOMPARE(qStrings(entailment.labels), (QStringList{"contradiction", "entailment", "neutral"}));
    for (const TextExample& example : entailment.examples) QVERIFY(!example.textB.empty());
    entailmentOptions.labelSet = entailment.labels;
    QVERIFY(!readTextDataset(files.entailmentDev, entailmentOptions).examples.empty());

    for (const std::string& path : {files.nerTrain, files.nerDev}) {
      TaggedReadOptions strictBio;
      strictBio.scheme = TagScheme::Bio;  // the demo writes BIO: nothing may need converting
      const TaggedDataset ner = readTaggedDataset(path, strictBio);
      int64_t words = 0;
      std::set<std::string> types;
      for (const TaggedSentence& sentence : ner.sentences) {
        QCOMPARE(sentence.words.size(), sentence.tags.size());
        words += static_cast<int64_t>(sentence.words.size());
        for (const std::string& tag : sentence.tags)
          if (tag != "O") types.insert(tag.substr(2));
      }
      QCOMPARE(words, countTokenLines(path));
      QCOMPARE(types, (std::set<std::string>{"LOC", "ORG", "PER"}));
      QCOMPARE(ner.labels.front(), std::string("O"));
    }

    // The reader checks every answer against its context; count them to know none were lost.
    for (const std::string& path : {files.qaTrain, files.qaDev}) {
      const QaDataset qa = readQaDataset(path);
      QVERIFY(!qa.v2);
      size_t answers = 0;
      for (const QaExample& example : qa.examples) answers += example.answers.size();
      std::ifstream in(path);
      const nlohmann::json squad = nlohmann::json::parse(in);
      size_t expected = 0;
      for (const auto& article : squad["data"])
        for (const auto& paragraph : article["paragraphs"])
          for (const auto& qaJson : paragraph["qas"]) expected += qaJson["answers"].size();
      QCOMPARE(answers, expected);
      QVERIFY(answers > qa.examples.size() / 2);
    }
  }
};

QTEST_GUILESS_MAIN(TestTaskReaders)
#include "test_task_readers.moc"
