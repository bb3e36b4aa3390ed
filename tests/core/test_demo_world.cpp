// The demo world: deterministic bytes per seed, the original corpus format, facts that never
// contradict each other, and task files in the formats their readers expect (TSV headers and
// labels, CoNLL columns with valid BIO, SQuAD answers at exact code-point offsets).
#include <QtTest>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "data/demo_world.h"
#include "data/demo_world_internal.h"
#include "test_support.h"
#include "util/error.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> splitTabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

std::vector<std::string> allFiles(const DemoWorldFiles& f) {
  return {f.corpus,          f.sentimentTrain, f.sentimentDev,
          f.entailmentTrain, f.entailmentDev,  f.nerTrain,
          f.nerDev,          f.qaTrain,        f.qaDev};
}

// The corpus as documents of sentences; fails the test on a format error.
std::vector<std::vector<std::string>> documentsOf(const std::string& corpus) {
  std::vector<std::vector<std::string>> documents(1);
  for (const std::string& line : splitLines(corpus)) {
    if (line.empty()) {
      documents.emplace_back();
    } else {
      documents.back().push_back(line);
    }
  }
  return documents;
}

const QRegularExpression::PatternOptions kUnicode = QRegularExpression::UseUnicodePropertiesOption;

}  // namespace

class TestDemoWorld : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir folder_;
  DemoWorldFiles files_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(folder_.isValid());
    DemoWorldOptions options;
    options.outputFolder = folder_.filePath("small").toStdString();
    int progressCalls = 0;
    files_ = writeDemoWorld(options, [&](const Progress&) { ++progressCalls; });
    QVERIFY(progressCalls >= 9);
  }

  void sameSeedGivesSameBytesAndAnotherSeedDoesNot() {
    DemoWorldOptions options;
    options.outputFolder = folder_.filePath("again").toStdString();
    const DemoWorldFiles again = writeDemoWorld(options);
    options.outputFolder = folder_.filePath("other").toStdString();
    options.seed = 7;
    const DemoWorldFiles other = writeDemoWorld(options);
    const auto first = allFiles(files_), second = allFiles(again), third = allFiles(other);
    for (size_t i = 0; i < first.size(); ++i) {
      QVERIFY2(readFile(first[i]) == readFile(second[i]), first[i].c_str());
      QVERIFY2(readFile(first[i]) != readFile(third[i]), first[i].c_str());
    }
  }

  void corpusHasTheOriginalFormat() {
    const std::string corpus = readFile(files_.corpus);
    QVERIFY(corpus.size() > 1'000'000 && corpus.size() < 2'500'000);
    QVERIFY(corpus.back() == '\n');
    QVERIFY(corpus.find("\n\n\n") ==
            std::string::npos);  // exactly one blank line between documents
    QVERIFY(corpus.front() != '\n');
    QVERIFY(corpus.find('\t') == std::string::npos);
    const auto documents = documentsOf(corpus);
    QVERIFY(documents.size() >= 1500);
    size_t multiSentence = 0;
    for (const auto& document : documents) {
      QVERIFY(!document.empty());
      multiSentence += document.size() >= 2;
    }
    QVERIFY(multiSentence >= documents.size() * 95 / 100);
  }

  void corpusMixesSixKindsOfDocument() {
    // Each kind opens with one of two intros; next-sentence prediction learns from the mix.
    const std::pair<const char*, QRegularExpression> kinds[] = {
        {"town guide",
         QRegularExpression(R"(^(?:\S+(?: \S+)* is a town in |This is a short guide to ))")},
        {"organisation",
         QRegularExpression(R"((?:is an organisation with staff|^This is a short profile of ))")},
        {"recipe", QRegularExpression(R"(^(?:Here is a simple recipe for|This is how to make) )")},
        {"buying guide",
         QRegularExpression(
             R"(^(?:This guide explains how to choose|Everyone should know a few things about) )")},
        {"newsletter",
         QRegularExpression(R"(^(?:Here is the weekly newsletter of|The craft club of ))")},
    };
    const auto documents = documentsOf(readFile(files_.corpus));
    std::map<std::string, size_t> counts;
    for (const auto& document : documents) {
      const QString intro = QString::fromUtf8(document.front());
      std::string kind = "person";
      for (const auto& [name, pattern] : kinds)
        if (pattern.match(intro).hasMatch()) kind = name;
      counts[kind] += 1;
    }
    QCOMPARE(counts.size(), size_t(6));
    for (const auto& [kind, count] : counts) {
      const double share = double(count) / double(documents.size());
      QVERIFY2(share > 0.12 && share < 0.21, (kind + ": " + std::to_string(share)).c_str());
    }
  }

  void inflectionsFollowTheSpellingRules() {
    // The newsletters' rare words must be spelled right, or the vocabulary learns misspellings.
    using namespace bertwb::demo;
    const auto same = [](const std::string& made, const char* expected) {
      QVERIFY2(made == expected, (made + " is not " + expected).c_str());
    };
    same(thirdPerson("sketch"), "sketches");
    same(thirdPerson("polish"), "polishes");
    same(thirdPerson("carry"), "carries");
    same(thirdPerson("weigh"), "weighs");
    same(pastTense("carve"), "carved");
    same(pastTense("tidy"), "tidied");
    same(pastTense("display"), "displayed");
    same(presentParticiple("carve"), "carving");
    same(presentParticiple("tidy"), "tidying");
    same(presentParticiple("sew"), "sewing");
    same(pluralNoun("box"), "boxes");
    same(pluralNoun("trophy"), "trophies");
    same(pluralNoun("key"), "keys");
    same(pluralNoun("compass"), "compasses");
    same(comparative("gentle"), "gentler");
    same(comparative("busy"), "busier");
    same(comparative("calm"), "calmer");
    same(mannerAdverb("gentle"), "gently");
    same(mannerAdverb("steady"), "steadily");
    same(mannerAdverb("brave"), "bravely");
  }

  void corpusFactsNeverChange() {
    // Templates state jobs and towns as "NAME works as a JOB at" / "NAME lives in TOWN" and
    // countries as "TOWN, a town in COUNTRY" / "TOWN is a town in COUNTRY".
    const QString name = R"((\p{Lu}[\p{L}']+ \p{Lu}[\p{L}']+),? (?:who )?)";
    const QString proper = R"(\p{Lu}\p{L}*(?: \p{Lu}\p{L}*)*)";
    const QRegularExpression job(name + "works as an? ([a-z]+(?: [a-z]+)*?) at ", kUnicode);
    const QRegularExpression town(name + "lives in (" + proper + ")", kUnicode);
    const QRegularExpression country("\\b(" + proper + ")(?:,| is) a town in (" + proper + ")",
                                     kUnicode);
    std::map<QString, std::set<QString>> jobs, towns, countries;
    size_t statements = 0;
    for (const std::string& line : splitLines(readFile(files_.corpus))) {
      const QString sentence = QString::fromUtf8(line);
      const std::pair<const QRegularExpression*, std::map<QString, std::set<QString>>*> checks[] = {
          {&job, &jobs}, {&town, &towns}, {&country, &countries}};
      for (const auto& [pattern, facts] : checks) {
        const QRegularExpressionMatch match = pattern->match(sentence);
        if (match.hasMatch()) {
          (*facts)[match.captured(1)].insert(match.captured(2));
          ++statements;
        }
      }
    }
    // A fifth of the 3,000 documents are people's stories, two thirds of which state a job and a
    // town with the full name.
    QVERIFY2(jobs.size() > 300 && towns.size() > 300 && countries.size() >= 20,
             (std::to_string(jobs.size()) + " jobs, " + std::to_string(towns.size()) + " towns, " +
              std::to_string(countries.size()) + " countries")
                 .c_str());
    QVERIFY(statements > jobs.size() + towns.size());  // facts are stated more than once
    for (const auto* facts : {&jobs, &towns, &countries}) {
      for (const auto& [subject, values] : *facts) {
        QVERIFY2(values.size() == 1,
                 qPrintable(subject + " has " + QString::number(values.size()) + " values"));
      }
    }
  }

  void tsvFilesHaveHeaderColumnsAndBalancedLabels_data() {
    QTest::addColumn<QString>("which");
    QTest::addColumn<QString>("header");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<int>("rows");
    QTest::newRow("sentiment train")
        << "sentimentTrain"
        << "sentence\tlabel" << QStringList{"negative", "positive"} << 2000;
    QTest::newRow("sentiment dev")
        << "sentimentDev"
        << "sentence\tlabel" << QStringList{"negative", "positive"} << 400;
    const QStringList nli{"entailment", "neutral", "contradiction"};
    QTest::newRow("entailment train") << "entailmentTrain"
                                      << "sentence1\tsentence2\tlabel" << nli << 2000;
    QTest::newRow("entailment dev") << "entailmentDev"
                                    << "sentence1\tsentence2\tlabel" << nli << 400;
  }
  void tsvFilesHaveHeaderColumnsAndBalancedLabels() {
    QFETCH(QString, which);
    QFETCH(QString, header);
    QFETCH(QStringList, labels);
    QFETCH(int, rows);
    const std::map<QString, std::string> paths = {{"sentimentTrain", files_.sentimentTrain},
                                                  {"sentimentDev", files_.sentimentDev},
                                                  {"entailmentTrain", files_.entailmentTrain},
                                                  {"entailmentDev", files_.entailmentDev}};
    const std::vector<std::string> lines = splitLines(readFile(paths.at(which)));
    QCOMPARE(QString::fromStdString(lines.front()), header);
    QCOMPARE(static_cast<int>(lines.size()) - 1, rows);
    const size_t columns = splitTabs(lines.front()).size();
    std::map<QString, int> counts;
    for (size_t i = 1; i < lines.size(); ++i) {
      const std::vector<std::string> fields = splitTabs(lines[i]);
      QVERIFY2(fields.size() == columns, lines[i].c_str());
      for (const std::string& field : fields)
        QVERIFY2(!field.empty() && field.find('\r') == std::string::npos, lines[i].c_str());
      const QString label = QString::fromStdString(fields.back());
      QVERIFY2(labels.contains(label), lines[i].c_str());
      counts[label] += 1;
    }
    // Two classes: each 30-70%; three classes: each at least 20%.
    const double low = labels.size() == 2 ? 0.3 : 0.2;
    for (const QString& label : labels) {
      const double share = static_cast<double>(counts[label]) / rows;
      QVERIFY2(share >= low && share <= 0.7, qPrintable(label + ": " + QString::number(share)));
    }
  }

  void conllHasFourColumnsAndValidBio_data() {
    QTest::addColumn<bool>("train");
    QTest::newRow("train") << true;
    QTest::newRow("dev") << false;
  }
  void conllHasFourColumnsAndValidBio() {
    QFETCH(bool, train);
    const std::vector<std::string> lines =
        splitLines(readFile(train ? files_.nerTrain : files_.nerDev));
    QCOMPARE(QString::fromStdString(lines.front()), QString("-DOCSTART- -X- -X- O"));
    std::set<std::string> tagsSeen;
    std::string previous = "O";
    size_t sentences = 0;
    bool inSentence = false;
    for (size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].empty()) {
        sentences += inSentence;
        inSentence = false;
        previous = "O";
        continue;
      }
      inSentence = true;
      const QStringList columns = QString::fromStdString(lines[i]).split(' ');
      QVERIFY2(columns.size() == 4, lines[i].c_str());
      const std::string tag = columns[3].toStdString();
      QVERIFY2(
          tag == "O" || QRegularExpression("^[BI]-(PER|LOC|ORG)$").match(columns[3]).hasMatch(),
          lines[i].c_str());
      if (tag[0] == 'I') {
        // I-X only continues a B-X or I-X of the same type.
        QVERIFY2(previous != "O" && previous.substr(2) == tag.substr(2),
                 (std::to_string(i + 1) + ": " + lines[i]).c_str());
      }
      tagsSeen.insert(tag);
      previous = tag;
    }
    QVERIFY(sentences >= (train ? 2000u : 400u));
    for (const char* tag : {"B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"})
      QVERIFY2(tagsSeen.count(tag), tag);
  }

  void squadAnswersSitAtTheirCodePointOffsets_data() {
    QTest::addColumn<bool>("train");
    QTest::newRow("train") << true;
    QTest::newRow("dev") << false;
  }
  void squadAnswersSitAtTheirCodePointOffsets() {
    QFETCH(bool, train);
    const nlohmann::json squad =
        nlohmann::json::parse(readFile(train ? files_.qaTrain : files_.qaDev));
    QCOMPARE(QString::fromStdString(squad["version"].get<std::string>()), QString("v1.1"));
    size_t contexts = 0, questions = 0, nonAsciiAnswers = 0;
    std::set<std::string> ids;
    for (const auto& article : squad["data"]) {
      QVERIFY(article.contains("title"));
      for (const auto& paragraph : article["paragraphs"]) {
        ++contexts;
        // Offsets count code points (Python str indices), not UTF-8 bytes.
        const QList<uint> context =
            QString::fromStdString(paragraph["context"].get<std::string>()).toUcs4();
        QVERIFY(paragraph["qas"].size() >= 3);
        for (const auto& qa : paragraph["qas"]) {
          ++questions;
          QVERIFY(ids.insert(qa["id"].get<std::string>()).second);
          const auto& answers = qa["answers"];
          QVERIFY(train ? answers.size() == 1 : answers.size() >= 1 && answers.size() <= 3);
          for (const auto& answer : answers) {
            const std::string text = answer["text"].get<std::string>();
            const QList<uint> expected = QString::fromStdString(text).toUcs4();
            const qsizetype start = answer["answer_start"].get<qsizetype>();
            QVERIFY(start >= 0 && start + expected.size() <= context.size());
            QVERIFY2(context.mid(start, expected.size()) == expected, text.c_str());
            nonAsciiAnswers += expected.size() != static_cast<qsizetype>(text.size());
          }
        }
      }
    }
    QCOMPARE(contexts, train ? size_t{300} : size_t{60});
    QVERIFY(questions >= contexts * 5);
    QVERIFY(nonAsciiAnswers > 0);  // accents are there, so bytes != code points is exercised
  }

  void mediumIsFiveTimesSmall() {
    DemoWorldOptions options;
    options.outputFolder = folder_.filePath("medium").toStdString();
    options.size = "medium";
    const DemoWorldFiles medium = writeDemoWorld(options);
    QCOMPARE(documentsOf(readFile(medium.corpus)).size(),
             5 * documentsOf(readFile(files_.corpus)).size());
    QCOMPARE(splitLines(readFile(medium.sentimentTrain)).size(), size_t{10001});
  }

  void badOptionsGiveClearErrors() {
    DemoWorldOptions options;
    options.outputFolder = folder_.filePath("bad").toStdString();
    options.size = "huge";
    const QString unknownSize = errorOf([&] { writeDemoWorld(options); });
    QVERIFY2(unknownSize.contains("huge") && unknownSize.contains("small") &&
                 unknownSize.contains("medium"),
             qPrintable(unknownSize));

    // A file where the folder should be.
    QFile blocker(folder_.filePath("blocker"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    options.size = "small";
    options.outputFolder = folder_.filePath("blocker").toStdString();
    const QString blocked = errorOf([&] { writeDemoWorld(options); });
    QVERIFY2(blocked.contains("blocker"), qPrintable(blocked));

    options.outputFolder.clear();
    QVERIFY(!errorOf([&] { writeDemoWorld(options); }).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestDemoWorld)
#include "test_demo_world.moc"
