// SentencePiece through the plugin: models trained here (unigram and BPE) on a generated
// corpus, BERT's special tokens at ids 0-4, round trips, code point offsets, progress,
// cancellation, input checks, the plugin-missing message, and LibTorch in the same process.
#include <dlfcn.h>
#include <torch/torch.h>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "text/sentencepiece_tokenizer.h"
#include "text/sentencepiece_trainer.h"
#include "text/spm_library.h"
#include "util/error.h"
#include "util/progress.h"

namespace {

using namespace bertwb;

constexpr int kTestVocabSize = 300;
constexpr int kCorpusSentences = 3000;
constexpr uint32_t kCorpusSeed = 20240611;
const QStringList kModelTypes = {"unigram", "bpe"};
const char* const kWordBoundary = "\xE2\x96\x81";  // "▁"

// Syllables for made-up words, and real ones with the non-ASCII letters the tests use.
const std::vector<std::string> kSyllables = {"ka", "ri", "to", "mu", "ne", "sa", "lo", "vi", "du",
                                             "pe", "zü", "ré", "ca", "fé", "ba", "gi", "ho"};
const std::vector<std::string> kRealWords = {"Zürich", "café", "über",    "naïve", "the",
                                             "river",  "city", "station", "Basel", "train"};

// A few thousand sentences over ~600 made-up words and the real ones, one per line, in
// documents of ten. Fixed seed: the same corpus every run.
std::string generateCorpus() {
  std::mt19937 random(kCorpusSeed);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
  std::vector<std::string> words = kRealWords;
  while (words.size() < 600) {
    std::string word;
    for (size_t n = 1 + pick(3); n > 0; --n) word += kSyllables[pick(kSyllables.size())];
    words.push_back(word);
  }
  std::string corpus;
  for (int sentence = 0; sentence < kCorpusSentences; ++sentence) {
    const size_t length = 4 + pick(9);
    for (size_t i = 0; i < length; ++i) {
      // Real words often, so "Zürich café" is well inside the vocabulary.
      std::string word =
          pick(4) == 0 ? kRealWords[pick(kRealWords.size())] : words[pick(words.size())];
      if (i == 0 && word[0] >= 'a' && word[0] <= 'z') word[0] = char(word[0] - 'a' + 'A');
      corpus += (i == 0 ? "" : " ") + word;
      if (i + 1 < length && pick(8) == 0) corpus += ",";
    }
    corpus += std::string(".....!?").substr(pick(7), 1) + "\n";
    if (sentence % 10 == 9) corpus += "\n";
  }
  return corpus;
}

void writeText(const QString& path, const std::string& text) {
  std::ofstream out(path.toStdString(), std::ios::binary);
  out << text;
}

QString readText(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The folder's files, hidden ones (temporary files) included.
QStringList folderEntries(const QString& folder) {
  return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// text[start:end] in code points, as Python would slice it.
QString codepointSlice(const std::string& text, int64_t start, int64_t end) {
  const QList<uint> codepoints = QString::fromUtf8(text.data(), qsizetype(text.size())).toUcs4();
  if (start < 0 || end < start || end > codepoints.size()) return QStringLiteral("<out of range>");
  return QString::fromUcs4(reinterpret_cast<const char32_t*>(codepoints.constData()) + start,
                           qsizetype(end - start));
}

QString withoutWordBoundary(const std::string& piece) {
  return QString::fromStdString(piece).remove(QString::fromUtf8(kWordBoundary));
}

// The message of the bertwb::Error `body` throws; fails the test when it throws nothing or
// something else.
template <typename Body>
std::string errorMessage(Body&& body) {
  try {
    body();
  } catch (const Cancelled&) {
    return "(cancelled)";
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("(not a bertwb::Error) ") + e.what();
  }
  return "(no error)";
}

bool has(const std::string& message, const std::string& part) {
  return message.find(part) != std::string::npos;
}

// Sets an environment variable for one scope and restores it after.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const QByteArray& value)
      : name_(name), hadValue_(qEnvironmentVariableIsSet(name)), previous_(qgetenv(name)) {
    qputenv(name, value);
  }
  ~ScopedEnvironment() {
    if (hadValue_) {
      qputenv(name_, previous_);
    } else {
      qunsetenv(name_);
    }
  }

 private:
  const char* name_;
  bool hadValue_;
  QByteArray previous_;
};

}  // namespace

class TestSentencePiece : public QObject {
  Q_OBJECT

 private:
  SentencePieceTrainOptions optionsFor(const QString& modelType, const QString& folder) const {
    SentencePieceTrainOptions options;
    options.inputFiles = {corpusPath_.toStdString()};
    options.outputFolder = folder.toStdString();
    options.vocabSize = kTestVocabSize;
    options.modelType = modelType.toStdString();
    return options;
  }
  const SentencePieceTokenizer& tokenizer(const QString& modelType) const {
    return *tokenizers_.at(modelType);
  }
  void addModelTypeRows();

  QTemporaryDir dir_;
  QString corpusPath_;
  std::map<QString, std::unique_ptr<SentencePieceTokenizer>> tokenizers_;

 private Q_SLOTS:
  void initTestCase();

  void specialTokensHaveBertIds_data();
  void specialTokensHaveBertIds();
  void modelTypeIsRecorded_data();
  void modelTypeIsRecorded();
  void encodeDecodeRoundTrip_data();
  void encodeDecodeRoundTrip();
  void maskInTextEncodesToMaskId_data();
  void maskInTextEncodesToMaskId();
  void offsetsReproduceOriginalText_data();
  void offsetsReproduceOriginalText();
  void unknownCharactersBecomeUnk_data();
  void unknownCharactersBecomeUnk();
  void decodeSkipsOrShowsSpecialTokens_data();
  void decodeSkipsOrShowsSpecialTokens();
  void idsOutsideVocabularyAreErrors();
  void concurrentTokenizeMatchesSerial();
  void saveWritesModelAndConfig_data();
  void saveWritesModelAndConfig();

  void trainerArgumentsReserveBertSpecials();
  void progressFractionsIncrease_data();
  void progressFractionsIncrease();
  void logLinesGiveProgress_data();
  void logLinesGiveProgress();
  void cancelLeavesNoModel_data();
  void cancelLeavesNoModel();
  void badTrainingInputIsAClearError_data();
  void badTrainingInputIsAClearError();
  void failedTrainingQuotesTheLog();

  void missingOrBrokenModelFileIsNamed_data();
  void missingOrBrokenModelFileIsNamed();
  void missingPluginNamesFileAndPackage_data();
  void missingPluginNamesFileAndPackage();
  void missingTrainerNamesFileAndPackage();
  void defaultCandidatesFollowSearchOrder();
  void coexistsWithLibTorch();
};

void TestSentencePiece::initTestCase() {
  QVERIFY(dir_.isValid());
  // LibTorch first, then the plugin: the order in which the clash used to crash.
  QCOMPARE(torch::ones({2, 2}).sum().item<float>(), 4.0f);
  corpusPath_ = dir_.filePath("corpus.txt");
  writeText(corpusPath_, generateCorpus());
  for (const QString& type : kModelTypes) {
    const QString folder = dir_.filePath("model-" + type);
    const std::string failure = errorMessage([&] { trainSentencePiece(optionsFor(type, folder)); });
    QVERIFY2(failure == "(no error)", failure.c_str());
    QCOMPARE(folderEntries(folder), QStringList{"spiece.model"});
    tokenizers_[type] =
        std::make_unique<SentencePieceTokenizer>((folder + "/spiece.model").toStdString());
  }
}

void TestSentencePiece::addModelTypeRows() {
  QTest::addColumn<QString>("modelType");
  for (const QString& type : kModelTypes) QTest::newRow(qPrintable(type)) << type;
}

void TestSentencePiece::specialTokensHaveBertIds_data() {
  addModelTypeRows();
}

void TestSentencePiece::specialTokensHaveBertIds() {
  QFETCH(QString, modelType);
  const SentencePieceTokenizer& spm = tokenizer(modelType);
  QCOMPARE(spm.kind(), std::string("sentencepiece"));
  QCOMPARE(spm.vocabSize(), kTestVocabSize);
  const std::vector<std::string> names = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (int32_t id = 0; id < int32_t(names.size()); ++id) {
    QCOMPARE(spm.idToToken(id), names[size_t(id)]);
    QCOMPARE(spm.tokenToId(names[size_t(id)]), std::optional<int32_t>(id));
  }
  const SpecialTokenIds special = spm.specialTokenIds();
  QCOMPARE(special.pad, 0);
  QCOMPARE(special.unk, 1);
  QCOMPARE(special.cls, 2);
  QCOMPARE(special.sep, 3);
  QCOMPARE(special.mask, 4);
  QCOMPARE(spm.tokenToId("no such piece"), std::optional<int32_t>());
  QCOMPARE(spm.tokenToId("<s>"), std::optional<int32_t>());  // no BOS/EOS pieces
}

void TestSentencePiece::modelTypeIsRecorded_data() {
  addModelTypeRows();
}

void TestSentencePiece::modelTypeIsRecorded() {
  QFETCH(QString, modelType);
  QCOMPARE(QString::fromStdString(tokenizer(modelType).modelType()), modelType);
}

void TestSentencePiece::encodeDecodeRoundTrip_data() {
  QTest::addColumn<QString>("modelType");
  QTest::addColumn<QString>("text");
  const QStringList texts = {"Zürich café", "the river city station", "Basel über naïve train.",
                             "kari tomu zürésa fécaho", "The train, the river."};
  for (const QString& type : kModelTypes) {
    for (const QString& text : texts) QTest::newRow(qPrintable(type + ": " + text)) << type << text;
  }
}

void TestSentencePiece::encodeDecodeRoundTrip() {
  QFETCH(QString, modelType);
  QFETCH(QString, text);
  const SentencePieceTokenizer& spm = tokenizer(modelType);
  const std::vector<Piece> pieces = spm.tokenize(text.toStdString());
  QVERIFY(!pieces.empty());
  std::vector<int32_t> ids;
  for (const Piece& piece : pieces) {
    QVERIFY2(piece.id != spm.specialTokenIds().unk, piece.text.c_str());
    QCOMPARE(spm.idToToken(piece.id), piece.text);
    ids.push_back(piece.id);
  }
  QCOMPARE(QString::fromStdString(spm.decode(ids)), text);
}

void TestSentencePiece::maskInTextEncodesToMaskId_data() {
  QTest::addColumn<QString>("modelType");
  QTest::addColumn<QString>("text");
  QTest::addColumn<int>("masks");
  for (const QString& type : kModelTypes) {
    QTest::newRow(qPrintable(type + ": middle")) << type << "the [MASK] station" << 1;
    QTest::newRow(qPrintable(type + ": start")) << type << "[MASK] café" << 1;
    QTest::newRow(qPrintable(type + ": glued")) << type << "Zürich[MASK]." << 1;
    QTest::newRow(qPrintable(type + ": two")) << type << "[MASK] river [MASK]" << 2;
    QTest::newRow(qPrintable(type + ": [CLS] and [SEP] too")) << type << "[CLS] city [SEP]" << 0;
  }
}

void TestSentencePiece::maskInTextEncodesToMaskId() {
  QFETCH(QString, modelType);
  QFETCH(QString, text);
  QFETCH(int, masks);
  const SentencePieceTokenizer& spm = tokenizer(modelType);
  const std::string utf8 = text.toStdString();
  const std::vector<Piece> pieces = spm.tokenize(utf8);
  int maskCount = 0;
  std::vector<int32_t> ids;
  for (const Piece& piece : pieces) {
    ids.push_back(piece.id);
    if (piece.id != spm.specialTokenIds().mask) continue;
    ++maskCount;
    QCOMPARE(piece.text, std::string("[MASK]"));
    QCOMPARE(codepointSlice(utf8, piece.start, piece.end), QStringLiteral("[MASK]"));
  }
  QCOMPARE(maskCount, masks);
  // User-defined symbols are whole pieces wherever they stand.
  if (text.contains("[CLS]")) {
    QVERIFY(std::find(ids.begin(), ids.end(), spm.specialTokenIds().cls) != ids.end());
    QVERIFY(std::find(ids.begin(), ids.end(), spm.specialTokenIds().sep) != ids.end());
  }
  QCOMPARE(QString::fromStdString(spm.decode(ids, /*skipSpecialTokens=*/false)), text);
}

void TestSentencePiece::offsetsReproduceOriginalText_data() {
  QTest::addColumn<QString>("modelType");
  QTest::addColumn<QString>("text");
  const QStringList texts = {
      "Zürich café",          "über naïve Zürich",       "  the   river\tcity  ",
      "Basel, Zürich. café!", "the [MASK] station über", "kari\ntomu zürésa"};
  for (const QString& type : kModelTypes) {
    for (const QString& text : texts) {
      QTest::newRow(
          qPrintable(type + ": " + QString(text).replace('\n', "\\n").replace('\t', "\\t")))
          << type << text;
    }
  }
}

void TestSentencePiece::offsetsReproduceOriginalText() {
  QFETCH(QString, modelType);
  QFETCH(QString, text);
  const SentencePieceTokenizer& spm = tokenizer(modelType);
  const std::string utf8 = text.toStdString();
  const std::vector<Piece> pieces = spm.tokenize(utf8);
  QVERIFY(!pieces.empty());
  QString covered;
  int64_t previousEnd = 0;
  for (const Piece& piece : pieces) {
    QVERIFY2(piece.start >= previousEnd && piece.end >= piece.start,
             qPrintable(QStringLiteral("%1 spans %2..%3 after %4")
                            .arg(QString::fromStdString(piece.text))
                            .arg(piece.start)
                            .arg(piece.end)
                            .arg(previousEnd)));
    previousEnd = piece.end;
    const QString source = codepointSlice(utf8, piece.start, piece.end);
    const QString expected = withoutWordBoundary(piece.text);
    if (piece.id == spm.specialTokenIds().unk) {
      QFAIL(qPrintable("[UNK] for '" + source + "': the corpus should cover every character here"));
    } else if (expected.isEmpty()) {
      // A lone "▁" stands for whitespace (or for nothing, at the very start).
      QVERIFY2(source.trimmed().isEmpty(), qPrintable(source));
    } else {
      QCOMPARE(source, expected);
      covered += source;
    }
  }
  // Together the pieces cover every visible character.
  QCOMPARE(covered, QString(text).remove(QRegularExpression("\\s")));
}

void TestSentencePiece::unknownCharactersBecomeUnk_data() {
  QTest::addColumn<QString>("modelType");
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("unknown");
  for (const QString& type : kModelTypes) {
    QTest::newRow(qPrintable(type + ": CJK")) << type << "the 日本 river"
                                              << "日本";
    QTest::newRow(qPrintable(type + ": emoji")) << type << "café 🙂"
                                                << "🙂";
    QTest::newRow(qPrintable(type + ": glued")) << type << "Zürichßcity"
                                                << "ß";
  }
}

void TestSentencePiece::unknownCharactersBecomeUnk() {
  QFETCH(QString, modelType);
  QFETCH(QString, text);
  QFETCH(QString, unknown);
  const SentencePieceTokenizer& spm = tokenizer(modelType);
  const std::string utf8 = text.toStdString();
  QString unknownSources;
  for (const Piece& piece : spm.tokenize(utf8)) {
    if (piece.id != spm.specialTokenIds().unk) continue;
    QCOMPARE(piece.text, std::string("[UNK]"));
    unknownSources += codepointSlice(utf8, piece.start, piece.end);
  }
  QCOMPARE(unknownSources, unknown);
}

void TestSentencePiece::decodeSkipsOrShowsSpecialTokens_data() {
  QTest::addColumn<QString>("modelType");
  QTest::addColumn<bool>("skip");
  QTest::addColumn<QString>("expected");
  for (const QString& type : kModelTypes) {
    QTest::newRow(qPrintable(type + ": skipped")) << type << true << "the river [MASK] city";
    QTest::newRow(qPrintable(type + ": shown"))
        << type << false << "[CLS] the river [MASK] city [SEP] [PAD] [PAD]";
  }
}

void TestSentencePiece::decodeSkipsOrShowsSpecialTokens() {
  QFETCH(QString, modelType);
  QFETCH(bool, skip);
  QFETCH(QString, expected);
  const SentencePieceTokenizer& spm = tokenizer(modelType);
  const SpecialTokenIds special = spm.specialTokenIds();
  std::vector<int32_t> ids = {special.cls};
  for (const Piece& piece : spm.tokenize("the river [MASK] city")) ids.push_back(piece.id);
  for (int32_t id : {special.sep, special.pad, special.pad}) ids.push_back(id);
  QCOMPARE(QString::fromStdString(spm.decode(ids, skip)), expected);
}

void TestSentencePiece::idsOutsideVocabularyAreErrors() {
  const SentencePieceTokenizer& spm = tokenizer("unigram");
  for (int32_t id : {-1, kTestVocabSize, 1 << 30}) {
    QVERIFY(has(errorMessage([&] { spm.idToToken(id); }), "outside the vocabulary"));
    QVERIFY(has(errorMessage([&] { spm.decode({5, id}); }), std::to_string(id)));
  }
}

void TestSentencePiece::concurrentTokenizeMatchesSerial() {
  const SentencePieceTokenizer& spm = tokenizer("unigram");
  const std::vector<std::string> texts = {"Zürich café über naïve", "the river city station",
                                          "Basel [MASK] train."};
  std::vector<std::vector<int32_t>> serial;
  for (const std::string& text : texts) {
    std::vector<int32_t> ids;
    for (const Piece& piece : spm.tokenize(text)) ids.push_back(piece.id);
    serial.push_back(ids);
  }
  constexpr int kThreads = 4, kRounds = 200;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const size_t which = size_t(round + t) % texts.size();
        std::vector<int32_t> ids;
        for (const Piece& piece : spm.tokenize(texts[which])) ids.push_back(piece.id);
        if (ids != serial[which]) ++mismatches[size_t(t)];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  QCOMPARE(std::accumulate(mismatches.begin(), mismatches.end(), 0), 0);
}

void TestSentencePiece::saveWritesModelAndConfig_data() {
  addModelTypeRows();
}

void TestSentencePiece::saveWritesModelAndConfig() {
  QFETCH(QString, modelType);
  const SentencePieceTokenizer& spm = tokenizer(modelType);
  const QString folder = dir_.filePath("saved-" + modelType);
  spm.save(folder.toStdString());
  QCOMPARE(folderEntries(folder), (QStringList{"spiece.model", "tokenizer_config.json"}));
  QFile original(QString::fromStdString(spm.modelPath())), copy(folder + "/spiece.model");
  QVERIFY(original.open(QIODevice::ReadOnly) && copy.open(QIODevice::ReadOnly));
  QVERIFY(original.readAll() == copy.readAll());

  const auto config =
      nlohmann::json::parse(readText(folder + "/tokenizer_config.json").toStdString());
  QCOMPARE(config.at("tokenizer_class").get<std::string>(), std::string("AlbertTokenizer"));
  QCOMPARE(QString::fromStdString(config.at("model_type").get<std::string>()), modelType);
  QCOMPARE(config.at("mask_token").get<std::string>(), std::string("[MASK]"));
  QCOMPARE(config.at("pad_token").get<std::string>(), std::string("[PAD]"));
  QCOMPARE(config.at("unk_token").get<std::string>(), std::string("[UNK]"));

  const SentencePieceTokenizer reloaded((folder + "/spiece.model").toStdString());
  const std::string text = "Zürich [MASK] café";
  const std::vector<Piece> before = spm.tokenize(text), after = reloaded.tokenize(text);
  QCOMPARE(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    QCOMPARE(after[i].id, before[i].id);
    QCOMPARE(after[i].start, before[i].start);
    QCOMPARE(after[i].end, before[i].end);
  }
}

void TestSentencePiece::trainerArgumentsReserveBertSpecials() {
  SentencePieceTrainOptions options;
  options.inputFiles = {"/data/a b.txt", "/data/c.txt"};
  options.vocabSize = 1234;
  const std::vector<std::string> arguments = sentencePieceTrainerArguments(options, "/out/.prefix");
  const QStringList list = [&] {
    QStringList l;
    for (const std::string& argument : arguments) l << QString::fromStdString(argument);
    return l;
  }();
  for (const char* expected :
       {"--input=/data/a b.txt,/data/c.txt", "--model_prefix=/out/.prefix", "--vocab_size=1234",
        "--model_type=unigram", "--character_coverage=0.9995", "--input_sentence_size=1000000",
        "--shuffle_input_sentence=true", "--pad_id=0", "--pad_piece=[PAD]", "--unk_id=1",
        "--unk_piece=[UNK]", "--bos_id=-1", "--eos_id=-1",
        "--user_defined_symbols=[CLS],[SEP],[MASK]", "--hard_vocab_limit=true"}) {
    QVERIFY2(list.contains(expected),
             qPrintable(QStringLiteral("missing %1 in %2").arg(expected, list.join(' '))));
  }
  options.allowSmallerVocabulary = true;
  options.modelType = "bpe";
  options.maxSentences = 0;
  const std::vector<std::string> soft = sentencePieceTrainerArguments(options, "/out/.prefix");
  for (const std::string expected :
       {"--hard_vocab_limit=false", "--model_type=bpe", "--input_sentence_size=0"}) {
    QVERIFY2(std::find(soft.begin(), soft.end(), expected) != soft.end(), expected.c_str());
  }
}

void TestSentencePiece::progressFractionsIncrease_data() {
  addModelTypeRows();
}

void TestSentencePiece::progressFractionsIncrease() {
  QFETCH(QString, modelType);
  const QString folder = dir_.filePath("progress-" + modelType);
  std::vector<Progress> events;
  trainSentencePiece(optionsFor(modelType, folder),
                     [&](const Progress& event) { events.push_back(event); });
  QVERIFY(events.size() >= 4);
  QSet<double> distinct;
  double previous = 0;
  for (const Progress& event : events) {
    QVERIFY2(event.fraction >= previous && event.fraction <= 1.0,
             qPrintable(QStringLiteral("%1 after %2 (%3)")
                            .arg(event.fraction)
                            .arg(previous)
                            .arg(event.message.c_str())));
    QVERIFY(!event.message.empty());
    previous = event.fraction;
    distinct.insert(event.fraction);
  }
  QVERIFY2(distinct.size() >= 4, qPrintable(QString::number(distinct.size())));
  QCOMPARE(events.back().fraction, 1.0);
  QVERIFY(QFileInfo::exists(folder + "/spiece.model"));
}

void TestSentencePiece::logLinesGiveProgress_data() {
  QTest::addColumn<QStringList>("lines");
  QTest::addColumn<double>("minimum");
  QTest::addColumn<double>("maximum");
  const QString prefix = "trainer_interface.cc(406) LOG(INFO) ";
  QTest::newRow("loading") << QStringList{prefix + "Loading corpus: a.txt"} << 0.0 << 0.05;
  QTest::newRow("half loaded") << QStringList{prefix + "Loaded 500000 lines"} << 0.04 << 0.07;
  QTest::newRow("sampled") << QStringList{prefix +
                                          "Sampled 200000 sentences from 250000 sentences."}
                           << 0.1 << 0.1;
  QTest::newRow("unigram start")
      << QStringList{prefix + "Initialized 9000 seed sentencepieces",
                     prefix +
                         "EM sub_iter=0 size=9000 obj=9.1 num_tokens=7953 num_tokens/piece=1.1"}
      << 0.29 << 0.31;
  QTest::newRow("unigram halfway (log scale)")
      << QStringList{prefix + "Initialized 9000 seed sentencepieces",
                     prefix +
                         "EM sub_iter=1 size=3000 obj=7.5 num_tokens=7953 num_tokens/piece=2.6"}
      << 0.6 << 0.65;
  QTest::newRow("unigram at size")
      << QStringList{prefix + "Initialized 9000 seed sentencepieces",
                     prefix +
                         "EM sub_iter=1 size=1000 obj=7.5 num_tokens=7953 num_tokens/piece=2.6"}
      << 0.95 << 0.95;
  QTest::newRow("bpe halfway")
      << QStringList{prefix + "Added: freq=61 size=500 all=771 active=746 piece=▁lo"} << 0.6
      << 0.65;
  QTest::newRow("never backwards")
      << QStringList{prefix + "Added: freq=61 size=800 all=771 active=746 piece=▁lo",
                     prefix + "Loading corpus: b.txt"}
      << 0.8 << 0.85;
  QTest::newRow("saving") << QStringList{prefix + "Saving model: m.model"} << 0.96 << 0.96;
}

void TestSentencePiece::logLinesGiveProgress() {
  QFETCH(QStringList, lines);
  QFETCH(double, minimum);
  QFETCH(double, maximum);
  constexpr int kVocab = 1000;
  constexpr int64_t kExpectedLines = 1'000'000;
  SentencePieceLogProgress parser(kVocab, kExpectedLines);
  std::optional<Progress> last;
  for (const QString& line : lines) last = parser.consume(line.toStdString());
  QVERIFY(last.has_value());
  QVERIFY2(last->fraction >= minimum - 1e-9 && last->fraction <= maximum + 1e-9,
           qPrintable(QStringLiteral("%1 (%2)").arg(last->fraction).arg(last->message.c_str())));
  QVERIFY(!parser.consume("normalizer_spec {").has_value());
}

void TestSentencePiece::cancelLeavesNoModel_data() {
  QTest::addColumn<QString>("modelType");
  QTest::addColumn<double>("cancelAt");  // first progress fraction at or past which to cancel
  QTest::addColumn<bool>("previousModel");
  for (const QString& type : kModelTypes) {
    QTest::newRow(qPrintable(type + ": before starting")) << type << -1.0 << false;
    QTest::newRow(qPrintable(type + ": first report")) << type << 0.0 << false;
    QTest::newRow(qPrintable(type + ": finding pieces")) << type << 0.3 << false;
    QTest::newRow(qPrintable(type + ": saving, over a previous model")) << type << 0.96 << true;
  }
}

void TestSentencePiece::cancelLeavesNoModel() {
  QFETCH(QString, modelType);
  QFETCH(double, cancelAt);
  QFETCH(bool, previousModel);
  QTemporaryDir folder;
  QVERIFY(folder.isValid());
  const QByteArray previous = "an earlier spiece.model";
  if (previousModel) writeText(folder.filePath("spiece.model"), previous.toStdString());
  CancelFlag cancel;
  if (cancelAt < 0) cancel.request();
  int reportsAfterCancel = 0;
  const std::string message = errorMessage([&] {
    trainSentencePiece(
        optionsFor(modelType, folder.path()),
        [&](const Progress& event) {
          if (cancel.isRequested()) ++reportsAfterCancel;
          if (cancelAt >= 0 && event.fraction >= cancelAt) cancel.request();
        },
        &cancel);
  });
  QCOMPARE(QString::fromStdString(message), QStringLiteral("(cancelled)"));
  QCOMPARE(reportsAfterCancel, 0);
  if (previousModel) {
    QCOMPARE(folderEntries(folder.path()), QStringList{"spiece.model"});
    QCOMPARE(readText(folder.filePath("spiece.model")).toUtf8(), previous);
  } else {
    QCOMPARE(folderEntries(folder.path()), QStringList());
  }
}

void TestSentencePiece::badTrainingInputIsAClearError_data() {
  QTest::addColumn<QString>("problem");
  QTest::addColumn<QStringList>("messageParts");
  QTest::newRow("no inputs") << "no inputs" << QStringList{"no training text"};
  QTest::newRow("missing file") << "missing file" << QStringList{"missing.txt", "does not exist"};
  QTest::newRow("empty file") << "empty file" << QStringList{"empty.txt", "empty"};
  QTest::newRow("whitespace only") << "whitespace only" << QStringList{"blank.txt", "empty"};
  QTest::newRow("a folder") << "a folder" << QStringList{"not a regular file"};
  QTest::newRow("comma in path") << "comma in path" << QStringList{"a,b.txt", "comma"};
  QTest::newRow("vocab 9") << "vocab 9" << QStringList{"vocabulary size 9", "at least 10"};
  QTest::newRow("vocab 0") << "vocab 0" << QStringList{"vocabulary size 0"};
  QTest::newRow("model type word")
      << "model type word" << QStringList{"'word'", "\"unigram\" or \"bpe\""};
  QTest::newRow("coverage 0") << "coverage 0" << QStringList{"character coverage 0"};
  QTest::newRow("coverage 1.5") << "coverage 1.5" << QStringList{"character coverage 1.5"};
  QTest::newRow("negative sample") << "negative sample" << QStringList{"negative"};
}

void TestSentencePiece::badTrainingInputIsAClearError() {
  QFETCH(QString, problem);
  QFETCH(QStringList, messageParts);
  QTemporaryDir folder;
  QVERIFY(folder.isValid());
  const QString output = folder.filePath("out");
  SentencePieceTrainOptions options = optionsFor("unigram", output);
  if (problem == "no inputs") options.inputFiles.clear();
  if (problem == "missing file")
    options.inputFiles = {folder.filePath("missing.txt").toStdString()};
  if (problem == "empty file") {
    writeText(folder.filePath("empty.txt"), "");
    options.inputFiles = {folder.filePath("empty.txt").toStdString()};
  }
  if (problem == "whitespace only") {
    writeText(folder.filePath("blank.txt"), " \n\n\t \n");
    writeText(folder.filePath("empty.txt"), "");
    options.inputFiles = {folder.filePath("blank.txt").toStdString(),
                          folder.filePath("empty.txt").toStdString()};
  }
  if (problem == "a folder") options.inputFiles = {folder.path().toStdString()};
  if (problem == "comma in path") {
    writeText(folder.filePath("a,b.txt"), "some text\n");
    options.inputFiles = {folder.filePath("a,b.txt").toStdString()};
  }
  if (problem == "vocab 9") options.vocabSize = 9;
  if (problem == "vocab 0") options.vocabSize = 0;
  if (problem == "model type word") options.modelType = "word";
  if (problem == "coverage 0") options.characterCoverage = 0;
  if (problem == "coverage 1.5") options.characterCoverage = 1.5;
  if (problem == "negative sample") options.maxSentences = -1;
  const std::string message = errorMessage([&] { trainSentencePiece(options); });
  for (const QString& part : messageParts) {
    QVERIFY2(has(message, part.toStdString()), message.c_str());
  }
  QVERIFY2(!QFileInfo::exists(output), "the output folder was made for bad input");
}

void TestSentencePiece::failedTrainingQuotesTheLog() {
  QTemporaryDir folder;
  QVERIFY(folder.isValid());
  // Far more pieces than a corpus of ~600 words can give.
  SentencePieceTrainOptions options = optionsFor("unigram", folder.path());
  options.vocabSize = 50'000;
  const std::string message = errorMessage([&] { trainSentencePiece(options); });
  QVERIFY2(has(message, "SentencePiece training into"), message.c_str());
  QVERIFY2(has(message, "Vocabulary size too high"), message.c_str());  // SentencePiece's own words
  QVERIFY2(has(message, "Remedy"), message.c_str());
  QCOMPARE(folderEntries(folder.path()), QStringList());

  // Allowed to stop short, the same training gives what the text has.
  options.allowSmallerVocabulary = true;
  const std::string failure = errorMessage([&] { trainSentencePiece(options); });
  QVERIFY2(failure == "(no error)", failure.c_str());
  const SentencePieceTokenizer smaller(folder.filePath("spiece.model").toStdString());
  QVERIFY(smaller.vocabSize() > kTestVocabSize && smaller.vocabSize() < options.vocabSize);
  QCOMPARE(smaller.specialTokenIds().mask, 4);
}

void TestSentencePiece::missingOrBrokenModelFileIsNamed_data() {
  QTest::addColumn<QString>("fileName");
  QTest::addColumn<QByteArray>("contents");  // empty: the file does not exist
  QTest::addColumn<QString>("messagePart");
  QTest::newRow("missing") << "nothing-here.model" << QByteArray() << "does not exist";
  QTest::newRow("not a model") << "vocab.txt" << QByteArray("[PAD]\n[UNK]\n")
                               << "is not a SentencePiece model";
  QTest::newRow("truncated") << "cut.model" << QByteArray("\x0a\x20\x0a\x05", 4)
                             << "is not a SentencePiece model";
}

void TestSentencePiece::missingOrBrokenModelFileIsNamed() {
  QFETCH(QString, fileName);
  QFETCH(QByteArray, contents);
  QFETCH(QString, messagePart);
  QTemporaryDir folder;
  QVERIFY(folder.isValid());
  const QString path = folder.filePath(fileName);
  if (!contents.isEmpty()) writeText(path, contents.toStdString());
  const std::string message = errorMessage([&] { SentencePieceTokenizer spm(path.toStdString()); });
  QVERIFY2(has(message, path.toStdString()), message.c_str());
  QVERIFY2(has(message, messagePart.toStdString()), message.c_str());
}

void TestSentencePiece::missingPluginNamesFileAndPackage_data() {
  QTest::addColumn<QString>("fileName");
  QTest::addColumn<QByteArray>("contents");  // empty: the file does not exist
  QTest::addColumn<QString>("reason");
  QTest::newRow("missing") << "libbertwb_spm.so" << QByteArray() << "not found";
  QTest::newRow("not a library") << "libbertwb_spm.so" << QByteArray("not an ELF file\n")
                                 << "cannot be loaded: ";
}

void TestSentencePiece::missingPluginNamesFileAndPackage() {
  QFETCH(QString, fileName);
  QFETCH(QByteArray, contents);
  QFETCH(QString, reason);
  QTemporaryDir folder;
  QVERIFY(folder.isValid());
  const QString path = folder.filePath(fileName);
  if (!contents.isEmpty()) writeText(path, contents.toStdString());
  const ScopedEnvironment environment(kSpmPluginEnvironment, path.toUtf8());
  // The override is the only candidate: a wrong one must not fall through to another copy.
  const std::vector<std::string> candidates = spmPluginCandidates();
  QCOMPARE(candidates, std::vector<std::string>{path.toStdString()});
  const std::string message = errorMessage([&] { loadSpmLibraryFrom(candidates); });
  for (const std::string& part :
       {path.toStdString(), reason.toStdString(), std::string("libsentencepiece0"),
        std::string(kSpmPluginEnvironment)}) {
    QVERIFY2(has(message, part), message.c_str());
  }
  // Every path looked at is listed, each with its reason.
  const std::string other = folder.filePath("elsewhere/libbertwb_spm.so").toStdString();
  const std::string both = errorMessage([&] { loadSpmLibraryFrom({other, path.toStdString()}); });
  QVERIFY2(has(both, other + " (not found)") && has(both, path.toStdString() + " ("), both.c_str());
}

void TestSentencePiece::missingTrainerNamesFileAndPackage() {
  QTemporaryDir folder;
  QVERIFY(folder.isValid());
  const std::string path = folder.filePath("bertwb-spm-train").toStdString();
  const ScopedEnvironment environment(kSpmTrainerEnvironment, QByteArray::fromStdString(path));
  const std::string message =
      errorMessage([&] { trainSentencePiece(optionsFor("unigram", folder.filePath("out"))); });
  for (const std::string& part : {path + " (not found)", std::string("libsentencepiece0"),
                                  std::string(kSpmTrainerEnvironment)}) {
    QVERIFY2(has(message, part), message.c_str());
  }
  QVERIFY(!QFileInfo::exists(folder.filePath("out/spiece.model")));
}

void TestSentencePiece::defaultCandidatesFollowSearchOrder() {
  const QByteArray savedPlugin = qgetenv(kSpmPluginEnvironment);
  const bool hadPlugin = qEnvironmentVariableIsSet(kSpmPluginEnvironment);
  qunsetenv(kSpmPluginEnvironment);
  const std::vector<std::string> candidates = spmPluginCandidates();
  if (hadPlugin) qputenv(kSpmPluginEnvironment, savedPlugin);
  // Installed beside bin/, then beside the program (the CLI's engine lives in that private
  // folder), then the build tree's.
  QCOMPARE(candidates.size(), size_t(3));
  const QString executableDir =
      QFileInfo(QFileInfo(QCoreApplication::applicationFilePath()).canonicalFilePath()).path();
  QCOMPARE(QString::fromStdString(candidates[0]),
           QDir::cleanPath(executableDir + "/../lib/bert-workbench/libbertwb_spm.so"));
  QCOMPARE(QString::fromStdString(candidates[1]), executableDir + "/libbertwb_spm.so");
  QVERIFY2(QString::fromStdString(candidates[2]).endsWith("/lib/libbertwb_spm.so"),
           candidates[2].c_str());
  // The build tree's plugin is the one this test loaded (unless overridden).
  if (!hadPlugin) QCOMPARE(spmLibrary().path, candidates[2]);
}

void TestSentencePiece::coexistsWithLibTorch() {
  // The plugin is loaded (initTestCase) and LibTorch works beside it, both ways round.
  const SentencePieceTokenizer& spm = tokenizer("unigram");
  const std::vector<Piece> before = spm.tokenize("Zürich café");
  torch::Tensor ids = torch::tensor(std::vector<int64_t>{before.front().id, before.back().id});
  QCOMPARE(torch::ones({2, 3}).matmul(torch::ones({3, 2})).sum().item<float>(), 12.0f);
  QCOMPARE(ids.size(0), int64_t(2));
  QCOMPARE(spm.tokenize("Zürich café").size(), before.size());
  // libsentencepiece lives in its own link namespace: none of its symbols, nor the plugin's,
  // are visible from this one.
  QVERIFY(::dlsym(RTLD_DEFAULT, "bertwb_spm_encode") == nullptr);
  QVERIFY(::dlsym(RTLD_DEFAULT, "_ZN13sentencepiece22SentencePieceProcessorC1Ev") == nullptr);
  QVERIFY(!spmLibrary().path.empty());
}

QTEST_GUILESS_MAIN(TestSentencePiece)
#include "test_sentencepiece.moc"
