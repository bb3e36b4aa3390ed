// The streaming corpus: id shards on disk give exactly what the in-memory corpus gives (the
// same sentences, statistics and instances), damaged folders fail with clear errors, a
// cancelled write leaves nothing behind; and the instance streams the trainer reads from.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "data/corpus.h"
#include "data/corpus_shards.h"
#include "data/instance_json.h"
#include "data/instance_stream.h"
#include "data/pretraining_sampler.h"
#include "io/output_folder.h"
#include "test_support.h"
#include "text/wordpiece_tokenizer.h"
#include "util/atomic_file.h"
#include "util/error.h"

using namespace bertwb;
using bertwb::test::errorOf;
namespace fs = std::filesystem;

namespace {

constexpr int kStems = 150;

std::vector<std::string> vocabularyTokens() {
  std::vector<std::string> tokens = {"[PAD]",  "[UNK]", "[CLS]", "[SEP]",
                                     "[MASK]", ".",     "##ing", "##ed"};
  for (int i = 0; i < kStems; ++i) tokens.push_back("w" + std::to_string(i));
  return tokens;
}

std::unique_ptr<WordPieceTokenizer> makeTokenizer(bool cased = false,
                                                  const std::string& extraToken = "") {
  std::vector<std::string> tokens = vocabularyTokens();
  if (!extraToken.empty()) tokens.push_back(extraToken);
  WordPieceOptions options;
  options.doLowerCase = !cased;
  return std::make_unique<WordPieceTokenizer>(Vocab::fromTokens(tokens, "test"), options);
}

// `documents` documents of minSentences..maxSentences sentences of 3..18 words "wN", some
// with "##ing"/"##ed". With `paragraphs`, a document's sentences share lines, each sentence
// starting with a capital so that the splitter cuts there.
void writeCorpus(const std::string& path, int documents, int minSentences, int maxSentences,
                 uint64_t seed, bool paragraphs = false) {
  std::mt19937_64 rng(seed);
  std::ofstream out(path);
  for (int d = 0; d < documents; ++d) {
    const int sentences =
        minSentences + static_cast<int>(rng() % (maxSentences - minSentences + 1));
    for (int s = 0; s < sentences; ++s) {
      const int words = 3 + static_cast<int>(rng() % 16);
      for (int w = 0; w < words; ++w) {
        out << (paragraphs && w == 0 ? "W" : "w") << rng() % kStems;
        const auto suffix = rng() % 5;
        if (suffix == 0) out << "ing";
        if (suffix == 1) out << "ed";
        out << (w + 1 < words ? " " : ".");
      }
      out << (paragraphs && s % 4 != 3 && s + 1 < sentences ? " " : "\n");
    }
    out << "\n";
  }
}

bool sameSource(const SegmentSource& a, const SegmentSource& b) {
  return a.document == b.document && a.firstSentence == b.firstSentence &&
         a.lastSentence == b.lastSentence;
}

// Empty when equal, else what differs first.
QString differenceBetween(const PretrainingInstance& a, const PretrainingInstance& b) {
  if (a.tokens != b.tokens) return "tokens";
  if (a.segmentIds != b.segmentIds) return "segment ids";
  if (a.isRandomNext != b.isRandomNext) return "is_random_next";
  if (!sameSource(a.segmentA, b.segmentA) || !sameSource(a.segmentB, b.segmentB))
    return "segment sources";
  if (a.targetLength != b.targetLength || a.truncatedTokens != b.truncatedTokens)
    return "target or truncation";
  if (a.masked.size() != b.masked.size()) return "number of masked positions";
  for (size_t m = 0; m < a.masked.size(); ++m) {
    if (a.masked[m].position != b.masked[m].position ||
        a.masked[m].originalId != b.masked[m].originalId || a.masked[m].kind != b.masked[m].kind)
      return QString("masked position %1").arg(m);
  }
  return {};
}

QString differenceBetween(const std::vector<PretrainingInstance>& a,
                          const std::vector<PretrainingInstance>& b) {
  if (a.size() != b.size()) return QString("%1 vs %2 instances").arg(a.size()).arg(b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const QString difference = differenceBetween(a[i], b[i]);
    if (!difference.isEmpty()) return QString("instance %1: %2").arg(i).arg(difference);
  }
  return {};
}

// An instance as a string, for comparing multisets of instances.
std::string keyOf(const PretrainingInstance& instance, bool withMask) {
  std::vector<int32_t> tokens = instance.tokens;
  if (!withMask)
    for (const auto& m : instance.masked) tokens[size_t(m.position)] = m.originalId;
  std::string key = std::to_string(instance.isRandomNext) + "|" +
                    std::to_string(instance.segmentA.document) + "|";
  for (int32_t id : tokens) key += std::to_string(id) + ",";
  if (withMask)
    for (const auto& m : instance.masked)
      key += "|" + std::to_string(m.position) + maskKindName(m.kind);
  return key;
}

std::vector<PretrainingInstance> take(InstanceSource& source, size_t count) {
  std::vector<PretrainingInstance> out;
  for (size_t i = 0; i < count; ++i) out.push_back(source.next());
  return out;
}

// A corpus folder of two text files (one with an invalid UTF-8 line), tokenized in memory.
struct Fixture {
  QTemporaryDir dir;
  std::unique_ptr<WordPieceTokenizer> tokenizer = makeTokenizer();
  std::string textFolder = dir.filePath("text").toStdString();
  std::string shardFolder = dir.filePath("shards").toStdString();
  CorpusOptions options;
  TokenizedCorpus corpus;

  explicit Fixture(int documents = 150, int minSentences = 20, int maxSentences = 40,
                   bool paragraphs = false) {
    options.paragraphPerLine = paragraphs;
    fs::create_directories(textFolder);
    writeCorpus(textFolder + "/a.txt", documents / 2, minSentences, maxSentences, 1, paragraphs);
    writeCorpus(textFolder + "/b.txt", documents - documents / 2, minSentences, maxSentences, 2,
                paragraphs);
    std::ofstream(textFolder + "/b.txt", std::ios::app) << "w1 \xff w2.\nw3 w4.\n";
    corpus = readCorpus({textFolder}, *tokenizer, options);
  }
  CorpusManifest writeShards(int64_t shardTokens = ShardOptions().shardTokens) {
    ShardOptions shardOptions;
    shardOptions.shardTokens = shardTokens;
    return writeCorpusShards({textFolder}, *tokenizer, options, shardFolder, shardOptions);
  }
};

void overwriteBytes(const std::string& path, std::streamoff offset, const void* data, size_t size) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(offset);
  file.write(static_cast<const char*>(data), std::streamsize(size));
}

void editManifest(const std::string& folder, const std::function<void(nlohmann::json&)>& edit) {
  const std::string path = folder + "/corpus.json";
  nlohmann::json manifest;
  std::ifstream(path) >> manifest;
  edit(manifest);
  std::ofstream(path) << manifest.dump();
}

}  // namespace

class TestCorpusShards : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void shardsHoldTheSameCorpus_data() {
    QTest::addColumn<qint64>("shardTokens");
    QTest::addColumn<bool>("paragraphs");
    QTest::addColumn<bool>("releasePages");
    QTest::newRow("one shard") << qint64(ShardOptions().shardTokens) << false << false;
    QTest::newRow("many small shards") << qint64(700) << false << false;
    QTest::newRow("paragraph per line") << qint64(5000) << true << false;
    // Pages dropped after every document: spans handed out earlier must stay readable.
    QTest::newRow("pages released all the time") << qint64(700) << false << true;
  }
  void shardsHoldTheSameCorpus() {
    QFETCH(qint64, shardTokens);
    QFETCH(bool, paragraphs);
    QFETCH(bool, releasePages);
    Fixture f(150, 20, 40, paragraphs);
    const CorpusManifest written = f.writeShards(shardTokens);
    ShardedCorpus sharded(f.shardFolder);

    // Sentences are shorter than the shards here, so no shard is over its size.
    const int64_t tokens = f.corpus.statistics.tokens;
    QVERIFY(written.shards.size() >= size_t((tokens + shardTokens - 1) / shardTokens));
    for (const auto& shard : written.shards) QVERIFY(shard.tokens <= shardTokens);

    QCOMPARE(sharded.documentCount(), f.corpus.documents.size());
    std::vector<TokenSpan> spans;  // kept to the end: they must stay valid
    std::vector<const std::vector<int32_t>*> expected;
    for (size_t d = 0; d < f.corpus.documents.size(); ++d) {
      const auto& document = f.corpus.documents[d];
      QCOMPARE(sharded.sentenceCount(d), document.sentences.size());
      QCOMPARE(sharded.documentSource(d), document.source);
      for (size_t s = 0; s < document.sentences.size(); ++s) {
        spans.push_back(sharded.sentence(d, s));
        expected.push_back(&document.sentences[s]);
      }
      if (releasePages) sharded.releaseResidentPages();
    }
    for (size_t i = 0; i < spans.size(); ++i)
      QVERIFY(std::vector<int32_t>(spans[i].begin(), spans[i].end()) == *expected[i]);

    const CorpusStatistics& a = f.corpus.statistics;
    const CorpusStatistics& b = sharded.statistics();
    QCOMPARE(b.documents, a.documents);
    QCOMPARE(b.sentences, a.sentences);
    QCOMPARE(b.tokens, a.tokens);
    QCOMPARE(b.unknownTokens, a.unknownTokens);
    QCOMPARE(b.invalidUtf8Lines, int64_t(1));
    QCOMPARE(b.invalidUtf8Lines, a.invalidUtf8Lines);
    QVERIFY(b.sentenceLengthCounts == a.sentenceLengthCounts);
    QVERIFY(sharded.manifest().warnings == f.corpus.warnings);
    QCOMPARE(sharded.manifest().paragraphPerLine, paragraphs);
    QVERIFY(sharded.manifest().tokenizer == tokenizerIdentity(*f.tokenizer));
  }

  void sampledInstancesMatchInMemory() {
    Fixture f;
    f.writeShards(/*shardTokens=*/900);
    ShardedCorpus sharded(f.shardFolder);
    PretrainingDataOptions options;
    options.dupeFactor = 2;
    options.wholeWordMask = true;
    const SamplerVocabulary vocabulary = samplerVocabulary(*f.tokenizer);
    const auto inMemory = PretrainingSampler(f.corpus, vocabulary, options).createInstances();
    const auto fromShards = PretrainingSampler(sharded, vocabulary, options).createInstances();
    QVERIFY(inMemory.size() > 1000);
    const QString difference = differenceBetween(inMemory, fromShards);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
  }

  void streamMatchesInMemory() {
    Fixture f;
    f.writeShards(/*shardTokens=*/900);
    ShardedCorpus sharded(f.shardFolder);
    const SamplerVocabulary vocabulary = samplerVocabulary(*f.tokenizer);
    PretrainingSampler inMemorySampler(f.corpus, vocabulary, {});
    PretrainingSampler shardSampler(sharded, vocabulary, {});
    CorpusInstanceStream inMemory(inMemorySampler, /*seed=*/7),
        fromShards(shardSampler, /*seed=*/7);
    const QString difference = differenceBetween(take(inMemory, 3000), take(fromShards, 3000));
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QCOMPARE(fromShards.position(), uint64_t(3000));
  }

  void streamIsAFunctionOfSeedAndPosition() {
    Fixture f(40, 4, 10);
    PretrainingSampler sampler(f.corpus, samplerVocabulary(*f.tokenizer), {});
    constexpr size_t kBuffer = 64;
    CorpusInstanceStream first(sampler, 1, kBuffer), again(sampler, 1, kBuffer),
        otherSeed(sampler, 2, kBuffer);
    const auto reference = take(first, 2000);
    QVERIFY(first.epoch() >= 2);  // the positions below span several epochs
    QVERIFY(differenceBetween(reference, take(again, 2000)).isEmpty());
    QVERIFY(!differenceBetween(reference, take(otherSeed, 2000)).isEmpty());

    CorpusInstanceStream resumed(sampler, 1, kBuffer);
    for (uint64_t k : {uint64_t(250), uint64_t(1999), uint64_t(100), uint64_t(0), uint64_t(1234)}) {
      resumed.skipTo(k);  // forwards, then backwards
      QCOMPARE(resumed.position(), k);
      const QString difference = differenceBetween(resumed.next(), reference[k]);
      QVERIFY2(difference.isEmpty(), qPrintable(QString("at %1: %2").arg(k).arg(difference)));
    }
  }

  void maskingRepeatsEveryDupeFactorEpochs_data() {
    QTest::addColumn<bool>("dynamicMasking");
    QTest::newRow("static: epoch e+2 = epoch e") << false;
    QTest::newRow("dynamic: same pairs, fresh masks") << true;
  }
  void maskingRepeatsEveryDupeFactorEpochs() {
    QFETCH(bool, dynamicMasking);
    Fixture f(40, 4, 10);
    PretrainingDataOptions options;
    options.dupeFactor = 2;
    options.dynamicMasking = dynamicMasking;
    PretrainingSampler sampler(f.corpus, samplerVocabulary(*f.tokenizer), options);
    // A buffer of one hands instances out in the order they are made, so epochs do not mix.
    CorpusInstanceStream stream(sampler, 3, /*shuffleBufferSize=*/1);
    std::vector<std::vector<std::string>> masked(4), unmasked(4);
    while (true) {
      const PretrainingInstance instance = stream.next();
      if (stream.epoch() >= 4) break;
      masked[size_t(stream.epoch())].push_back(keyOf(instance, true));
      unmasked[size_t(stream.epoch())].push_back(keyOf(instance, false));
    }
    for (auto* sets : {&masked, &unmasked})
      for (auto& keys : *sets) std::sort(keys.begin(), keys.end());
    QVERIFY(!masked[0].empty());
    QVERIFY(unmasked[0] == unmasked[2]);
    QVERIFY(unmasked[1] == unmasked[3]);
    QVERIFY(unmasked[0] != unmasked[1]);  // another copy: other A/B splits
    if (dynamicMasking) {
      QVERIFY(masked[0] != masked[2]);
      QVERIFY(masked[1] != masked[3]);
    } else {
      QVERIFY(masked[0] == masked[2]);
      QVERIFY(masked[1] == masked[3]);
    }
  }

  void jsonlSourceReadsBackWhatWasWritten() {
    Fixture f(30, 3, 8);
    PretrainingDataOptions options;
    options.dupeFactor = 1;
    auto instances =
        PretrainingSampler(f.corpus, samplerVocabulary(*f.tokenizer), options).createInstances();
    instances.resize(50);
    const std::string path = f.dir.filePath("data.jsonl").toStdString();
    {
      std::ofstream out(path);
      for (size_t i = 0; i < instances.size(); ++i) {
        out << instanceToJson(instances[i], *f.tokenizer).dump() << "\n";
        if (i == 20) out << "\n";  // blank lines are skipped
      }
    }
    JsonlInstanceSource source(path, *f.tokenizer);
    QCOMPARE(source.size(), uint64_t(50));
    const QString difference = differenceBetween(take(source, 50), instances);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QCOMPARE(source.epoch(), int64_t(0));
    QVERIFY(differenceBetween(source.next(), instances[0]).isEmpty());  // from the top again
    QCOMPARE(source.epoch(), int64_t(1));
    QCOMPARE(source.position(), uint64_t(51));
    source.skipTo(73);
    QCOMPARE(source.epoch(), int64_t(1));
    QVERIFY(differenceBetween(source.next(), instances[23]).isEmpty());
    source.skipTo(5);
    QCOMPARE(source.epoch(), int64_t(0));
    QVERIFY(differenceBetween(source.next(), instances[5]).isEmpty());
  }

  void jsonlSourceNamesTheBadLine() {
    Fixture f(30, 3, 8);
    auto instances =
        PretrainingSampler(f.corpus, samplerVocabulary(*f.tokenizer), {}).createInstances();
    const std::string path = f.dir.filePath("data.jsonl").toStdString();
    {
      std::ofstream out(path);
      out << instanceToJson(instances[0], *f.tokenizer).dump() << "\n";
      out << instanceToJson(instances[1], *f.tokenizer).dump() << "\n";
      out << "{\"tokens\": [\"[CLS]\", \n";
      out << instanceToJson(instances[2], *f.tokenizer).dump() << "\n";
    }
    JsonlInstanceSource source(path, *f.tokenizer);
    source.next();
    source.next();
    const QString message = errorOf([&] { source.next(); });
    QVERIFY2(message.contains("data.jsonl:3"), qPrintable(message));
    QVERIFY(errorOf([&] {
              JsonlInstanceSource(f.dir.filePath("none.jsonl").toStdString(), *f.tokenizer);
            }).contains("none.jsonl"));
  }

  // With the model's limits every line is checked when the file opens, before any training:
  // a bad line far down (here: line 3 of 4) stops the command at once with its place and field,
  // instead of a run at step 250 or "index out of range" deep in LibTorch.
  void jsonlSourceChecksEveryLineAgainstTheModel() {
    Fixture f(30, 3, 8);
    auto instances =
        PretrainingSampler(f.corpus, samplerVocabulary(*f.tokenizer), {}).createInstances();
    const std::string path = f.dir.filePath("limits.jsonl").toStdString();
    auto write = [&](const std::function<void(nlohmann::json&)>& spoil) {
      std::ofstream out(path, std::ios::trunc);
      for (int i = 0; i < 4; ++i) {
        nlohmann::json line = instanceToJson(instances[static_cast<size_t>(i)], *f.tokenizer);
        if (i == 2) spoil(line);
        out << line.dump() << "\n";
      }
    };
    const InstanceLimits limits{/*maxLength=*/128, /*typeVocabSize=*/2, f.tokenizer->vocabSize(),
                                0};
    write([](nlohmann::json& line) { line["segment_ids"][1] = 7; });
    QString message = errorOf([&] { JsonlInstanceSource(path, *f.tokenizer, limits); });
    QVERIFY2(message.contains("limits.jsonl:3") && message.contains("segment id 7"),
             qPrintable(message));
    write([](nlohmann::json& line) {});
    const InstanceLimits shortModel{/*maxLength=*/4, 2, f.tokenizer->vocabSize(), 0};
    message = errorOf([&] { JsonlInstanceSource(path, *f.tokenizer, shortModel); });
    QVERIFY2(message.contains("limits.jsonl:1") && message.contains("positions"),
             qPrintable(message));
    QVERIFY(errorOf([&] { JsonlInstanceSource(path, *f.tokenizer, limits); }).isEmpty());
  }

  void damagedFolderGivesAClearError_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("expected");
    QTest::newRow("truncated tokens") << "truncate tokens"
                                      << "tokens-00000.bin' is";
    QTest::newRow("missing tokens") << "remove tokens"
                                    << "tokens-00001.bin";
    QTest::newRow("sentence offsets go back") << "sentence offsets"
                                              << "sentences.bin' has sentence 5";
    QTest::newRow("truncated sentence index") << "truncate sentences"
                                              << "sentences.bin' is";
    QTest::newRow("document index past the end") << "document offsets"
                                                 << "documents.bin";
    QTest::newRow("source file out of range") << "sources"
                                              << "sources.bin";
    QTest::newRow("id outside the vocabulary") << "token id"
                                               << "outside the vocabulary of 158";
    QTest::newRow("wrong version") << "version"
                                   << "version 99";
    QTest::newRow("not JSON") << "json"
                              << "not valid JSON";
    QTest::newRow("counts disagree") << "counts"
                                     << "statistics count";
    QTest::newRow("shard outside the folder") << "shard name"
                                              << "expected 'tokens-00000.bin'";
    QTest::newRow("no corpus.json") << "no manifest"
                                    << "has no corpus.json";
    QTest::newRow("missing folder") << "no folder"
                                    << "does not exist";
  }
  void damagedFolderGivesAClearError() {
    QFETCH(QString, damage);
    QFETCH(QString, expected);
    Fixture f(30, 3, 8);
    f.writeShards(/*shardTokens=*/500);
    const std::string folder = f.shardFolder;
    const std::string tokens0 = folder + "/tokens-00000.bin";
    if (damage == "truncate tokens") {
      fs::resize_file(tokens0, fs::file_size(tokens0) - 4);
    } else if (damage == "remove tokens") {
      fs::remove(folder + "/tokens-00001.bin");
    } else if (damage == "sentence offsets") {
      const int64_t zero = 0;
      overwriteBytes(folder + "/sentences.bin", 6 * sizeof(int64_t), &zero, sizeof zero);
    } else if (damage == "truncate sentences") {
      fs::resize_file(folder + "/sentences.bin", fs::file_size(folder + "/sentences.bin") - 8);
    } else if (damage == "document offsets") {
      const int64_t huge = int64_t(1) << 40;
      overwriteBytes(folder + "/documents.bin", 3 * sizeof(int64_t), &huge, sizeof huge);
    } else if (damage == "sources") {
      const int64_t file = 7;
      overwriteBytes(folder + "/sources.bin", 0, &file, sizeof file);
    } else if (damage == "token id") {
      const int32_t id = 100000;
      overwriteBytes(tokens0, 40, &id, sizeof id);
    } else if (damage == "version") {
      editManifest(folder, [](nlohmann::json& m) { m["version"] = 99; });
    } else if (damage == "json") {
      std::ofstream(folder + "/corpus.json") << "{\"format\": ";
    } else if (damage == "counts") {
      editManifest(folder, [](nlohmann::json& m) {
        m["statistics"]["tokens"] = m["statistics"]["tokens"].get<int64_t>() + 1;
      });
    } else if (damage == "shard name") {
      editManifest(folder, [](nlohmann::json& m) { m["shards"][0]["file"] = "../../secret.bin"; });
    } else if (damage == "no manifest") {
      fs::remove(folder + "/corpus.json");
    } else if (damage == "no folder") {
      fs::remove_all(folder);
    }
    const QString message = errorOf([&] { ShardedCorpus corpus(folder); });
    QVERIFY2(message.contains(expected), qPrintable(message));
  }

  void cancelLeavesNothingBehind() {
    QTemporaryDir dir;
    const std::string text = dir.filePath("corpus.txt").toStdString();
    writeCorpus(text, 2000, 3, 6, 5);  // > 4096 lines: the reader checks the flag every 4096
    auto tokenizer = makeTokenizer();
    const std::string target = dir.filePath("shards").toStdString();
    CancelFlag cancel;
    int reports = 0;
    ProgressCallback progress = [&](const Progress&) {
      ++reports;
      cancel.request();
    };
    bool cancelled = false;
    try {
      writeCorpusShards({text}, *tokenizer, {}, target, {}, progress, &cancel);
    } catch (const Cancelled&) {
      cancelled = true;
    }
    QVERIFY(cancelled);
    QVERIFY(reports >= 1);
    QVERIFY(!fs::exists(target));
    QCOMPARE(int(std::distance(fs::directory_iterator(dir.path().toStdString()),
                               fs::directory_iterator())),
             1);

    // A prepared corpus already there survives a cancelled replacement, and is replaced by a
    // completed one.
    const std::string small = dir.filePath("small.txt").toStdString();
    writeCorpus(small, 5, 2, 3, 6);
    writeCorpusShards({small}, *tokenizer, {}, target);
    cancel.requested = false;
    QVERIFY_EXCEPTION_THROWN(
        writeCorpusShards({text}, *tokenizer, {}, target, {}, progress, &cancel), Cancelled);
    QCOMPARE(ShardedCorpus(target).documentCount(), size_t(5));
    writeCorpusShards({text}, *tokenizer, {}, target);
    QCOMPARE(ShardedCorpus(target).documentCount(), size_t(2000));
    QCOMPARE(int(std::distance(fs::directory_iterator(dir.path().toStdString()),
                               fs::directory_iterator())),
             3);
  }

  void neverReplacesAFolderThatIsNotACorpus() {
    Fixture f(10, 2, 4);
    fs::create_directories(f.shardFolder);
    std::ofstream(f.shardFolder + "/notes.txt") << "keep me";
    const QString message = errorOf([&] { f.writeShards(); });
    QVERIFY2(message.contains("not a prepared corpus"), qPrintable(message));
    QVERIFY(fs::exists(f.shardFolder + "/notes.txt"));

    // A file merely named corpus.json does not make a folder a prepared corpus.
    fs::remove(f.shardFolder + "/notes.txt");
    std::ofstream(f.shardFolder + "/corpus.json") << "{\"mine\": true}";
    std::ofstream(f.shardFolder + "/thesis.tex") << "keep me too";
    QVERIFY(errorOf([&] { f.writeShards(); }).contains("not a prepared corpus"));
    QVERIFY(fs::exists(f.shardFolder + "/thesis.tex"));
    QCOMPARE(QString::fromStdString(readWholeFile(f.shardFolder + "/corpus.json")),
             QString("{\"mine\": true}"));

    // A real prepared corpus to which the user added a file is not replaced either.
    fs::remove_all(f.shardFolder);
    f.writeShards();
    QCOMPARE(inspectFolder(f.shardFolder).holds, FolderHolds::PreparedCorpus);
    std::ofstream(f.shardFolder + "/my-notes.txt") << "keep me";
    const QString added = errorOf([&] { f.writeShards(); });
    QVERIFY2(added.contains("my-notes.txt"), qPrintable(added));
    QVERIFY(fs::exists(f.shardFolder + "/my-notes.txt"));
    QVERIFY(fs::exists(f.shardFolder + "/corpus.json"));
    // Without it, the earlier prepared corpus is the writer's to replace.
    fs::remove(f.shardFolder + "/my-notes.txt");
    f.writeShards();
  }

  void mismatchedTokenizerIsDetected_data() {
    QTest::addColumn<bool>("cased");
    QTest::addColumn<QString>("extraToken");
    QTest::addColumn<QString>("expected");
    QTest::newRow("the same tokenizer") << false << ""
                                        << "";
    QTest::newRow("a larger vocabulary") << false << "w999"
                                         << "of 159 tokens";
    QTest::newRow("cased where it was uncased") << true << ""
                                                << "cased";
  }
  void mismatchedTokenizerIsDetected() {
    QFETCH(bool, cased);
    QFETCH(QString, extraToken);
    QFETCH(QString, expected);
    Fixture f(10, 2, 4);
    f.writeShards();
    ShardedCorpus sharded(f.shardFolder);
    const auto other = makeTokenizer(cased, extraToken.toStdString());
    const QString message = errorOf([&] { sharded.checkTokenizer(*other); });
    QVERIFY2(expected.isEmpty() ? message.isEmpty() : message.contains(expected),
             qPrintable(message));
  }
};

QTEST_GUILESS_MAIN(TestCorpusShards)
#include "test_corpus_shards.moc"
