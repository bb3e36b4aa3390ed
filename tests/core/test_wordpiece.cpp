// The original BERT WordPiece rules, case by case, on small hand-made vocabularies (as the
// original tokenization_test.py does), plus offsets, pairs, truncation and bad input.
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "io/checkpoint.h"
#include "model/bert_pretraining.h"
#include "model/presets.h"
#include "test_support.h"
#include "text/tokenizer.h"
#include "text/unicode_text.h"
#include "text/wordpiece_tokenizer.h"
#include "util/error.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

// The 11-token vocabulary of the original tests, plus the specials BERT inputs need and a
// few words for the accent, CJK and punctuation cases.
std::vector<std::string> handMadeTokens() {
  return {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "want",  "##want", "##ed", "wa",
          "un",    "runn",  "##ing", ",",     "hello",  "Héllo", "world",  "!",    "¿",
          "como",  "?",     "博",    "推",    "ah",     "zz",    "“",      "”",    "quoted",
          "a",     "##b",   "##c",   "abcde", "$",      "ab",    "cd",     "¡"};
}

std::unique_ptr<WordPieceTokenizer> makeTokenizer(bool lowerCase = true, int maxChars = 100) {
  WordPieceOptions options;
  options.doLowerCase = lowerCase;
  options.maxInputCharsPerWord = maxChars;
  return std::make_unique<WordPieceTokenizer>(Vocab::fromTokens(handMadeTokens(), "test vocab"),
                                              options);
}

QString joined(const std::vector<Piece>& pieces) {
  QStringList parts;
  for (const auto& p : pieces) parts << QString::fromStdString(p.text);
  return parts.join(' ');
}

std::string joinStrings(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " ") + part;
  return out;
}

// The code points [start, end) of `text`, back as UTF-8.
QString substring(const std::string& text, int64_t start, int64_t end) {
  const auto decoded = decodeUtf8(text).codepoints;
  std::string out;
  for (int64_t i = start; i < end; ++i) appendUtf8(out, decoded[static_cast<size_t>(i)]);
  return QString::fromStdString(out);
}

}  // namespace

class TestWordPiece : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void pieces_data() {
    QTest::addColumn<bool>("lowerCase");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("## continuation") << true << "unwanted running"
                                     << "un ##want ##ed runn ##ing";
    QTest::newRow("unmatched word") << true << "unwantedX running"
                                    << "[UNK] runn ##ing";
    QTest::newRow("empty") << true << ""
                           << "";
    QTest::newRow("accents uncased") << true << "Héllo WORLD"
                                     << "hello world";
    QTest::newRow("accents cased") << false << "Héllo world"
                                   << "Héllo world";
    QTest::newRow("cased, no lower-casing") << false << "HELLO"
                                            << "[UNK]";
    QTest::newRow("CJK split") << true << "ah博推zz"
                               << "ah 博 推 zz";
    QTest::newRow("ASCII punctuation") << true << "hello,world!"
                                       << "hello , world !";
    QTest::newRow("dollar is punctuation") << true << "$hello"
                                           << "$ hello";
    QTest::newRow("Unicode punctuation") << true << "¡hello! ¿como?"
                                         << "¡ hello ! ¿ como ?";
    QTest::newRow("curly quotes") << true << "“quoted”"
                                  << "“ quoted ”";
    QTest::newRow("control chars vanish") << true
                                          << QString::fromUtf8(
                                                 "a\x07"
                                                 "b\xe2\x80\x8b"
                                                 "c")
                                          << "ab ##c";
    QTest::newRow("NUL vanishes") << true << QString("un") + QChar(0) + QString("wanted")
                                  << "un ##want ##ed";
    QTest::newRow("tabs and newlines separate") << true << "hello\tworld\nhello\r\nworld"
                                                << "hello world hello world";
    QTest::newRow("no-break space separates")
        << true << QString::fromUtf8("hello\xc2\xa0world") << "hello world";
    QTest::newRow("special inside text") << true << "un[MASK]want"
                                         << "un [MASK] want";
    QTest::newRow("special kept verbatim") << true << "hello [MASK] [SEP]"
                                           << "hello [MASK] [SEP]";
    QTest::newRow("lower-case special is text") << true << "[mask]"
                                                << "[UNK] [UNK] [UNK]";
    QTest::newRow("limit exactly") << true << "abcde"
                                   << "abcde";
  }
  void pieces() {
    QFETCH(bool, lowerCase);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    auto tokenizer = makeTokenizer(lowerCase);
    QCOMPARE(joined(tokenizer->tokenize(text.toStdString())), expected);
  }

  void wordOverTheLimitIsUnknown() {
    auto tokenizer = makeTokenizer(true, /*maxChars=*/5);
    QCOMPARE(joined(tokenizer->tokenize("abcde")), QString("abcde"));
    // One character over the limit: [UNK], although the pieces below would match.
    QCOMPARE(joined(tokenizer->tokenize("abcbcb")), QString("[UNK]"));
    QCOMPARE(joined(makeTokenizer(true, 100)->tokenize("abcbcb")), QString("ab ##c ##b ##c ##b"));
  }

  void offsetsReproduceTheOriginalText_data() {
    QTest::addColumn<bool>("lowerCase");
    QTest::addColumn<QString>("text");
    QTest::newRow("uncased accents") << true << "  Héllo,  WORLD! ¿como?";
    QTest::newRow("cased") << false << "Héllo world!";
    QTest::newRow("CJK and specials") << true << "ah博推zz [MASK]unwanted";
    QTest::newRow("after controls") << true << QString::fromUtf8("\x07hello\xe2\x80\x8bworld");
  }
  void offsetsReproduceTheOriginalText() {
    QFETCH(bool, lowerCase);
    QFETCH(QString, text);
    auto tokenizer = makeTokenizer(lowerCase);
    const std::string utf8 = text.toStdString();
    for (const Piece& p : tokenizer->tokenize(utf8)) {
      QString source = substring(utf8, p.start, p.end);
      QString piece = QString::fromStdString(p.text);
      if (piece.startsWith("##")) piece = piece.mid(2);
      if (piece == "[UNK]") continue;
      if (lowerCase && piece != "[MASK]") {  // specials are matched verbatim, never lower-cased
        // The source, lower-cased and without accents, is the piece.
        source = source.normalized(QString::NormalizationForm_D).toLower();
        source.remove(QRegularExpression("\\p{Mn}"));
      }
      QCOMPARE(source, piece);
    }
  }

  // Issue 19, item 5: a long text is tokenized in chunks cut at whitespace (a 20 MB line
  // needed 4.5 GB). The pieces and their offsets must be exactly those of the whole text:
  // the sentence repeated gives its pieces repeated, each shifted by the sentence's length.
  void aLongTextGivesThePiecesOfItsParts() {
    auto tokenizer = makeTokenizer();
    const std::string sentence = "Héllo, running world! ah博推zz [MASK] unwanted abcde ";
    const std::vector<Piece> once = tokenizer->tokenize(sentence);
    const auto sentenceChars = static_cast<int64_t>(decodeUtf8(sentence).codepoints.size());
    const size_t copies = 3 * kTokenizeChunkBytes / sentence.size() + 7;
    std::string text;
    for (size_t i = 0; i < copies; ++i) text += sentence;
    const std::vector<Piece> all = tokenizer->tokenize(text);
    QCOMPARE(all.size(), once.size() * copies);
    for (size_t i = 0; i < all.size(); ++i) {
      const Piece& expected = once[i % once.size()];
      const auto shift = static_cast<int64_t>(i / once.size()) * sentenceChars;
      if (all[i].text != expected.text || all[i].id != expected.id ||
          all[i].start != expected.start + shift || all[i].end != expected.end + shift)
        QFAIL(qPrintable(QStringLiteral("piece %1 differs").arg(i)));
    }
  }

  void exactOffsets() {
    auto tokenizer = makeTokenizer();
    const auto pieces = tokenizer->tokenize("Héllo, unwanted");
    QCOMPARE(int(pieces.size()), 5);
    const std::vector<std::pair<int64_t, int64_t>> expected = {
        {0, 5}, {5, 6}, {7, 9}, {9, 13}, {13, 15}};
    for (size_t i = 0; i < pieces.size(); ++i) {
      QCOMPARE(pieces[i].start, expected[i].first);
      QCOMPARE(pieces[i].end, expected[i].second);
    }
  }

  void invalidUtf8IsReplacedThenDropped() {
    auto tokenizer = makeTokenizer();
    const std::string text = std::string("un") + "\xff" + "wanted \xc3";
    const DecodedText decoded = decodeUtf8(text);
    QCOMPARE(decoded.invalidSequences, int64_t(2));
    QCOMPARE(decoded.firstInvalidByte, int64_t(2));
    const auto pieces = tokenizer->tokenize(text);
    QCOMPARE(joined(pieces), QString("un ##want ##ed"));
    QCOMPARE(pieces[1].start, int64_t(3));  // the bad byte counts as one character
  }

  void pairsAndSegments() {
    auto tokenizer = makeTokenizer();
    const Encoding e = tokenizer->encode("unwanted", std::string_view("running"));
    QCOMPARE(QString::fromStdString(tokenizer->decode(e.ids, false)),
             QString("[CLS] unwanted [SEP] running [SEP]"));
    QCOMPARE(e.segmentIds, (std::vector<int32_t>{0, 0, 0, 0, 0, 1, 1, 1}));
    QCOMPARE(e.attentionMask, std::vector<int32_t>(8, 1));
    QCOMPARE(e.specialMask, (std::vector<uint8_t>{1, 0, 0, 0, 1, 0, 0, 1}));
    QCOMPARE(e.starts[5], int64_t(0));  // offsets into text B for B's pieces
    QCOMPARE(e.ends[6], int64_t(7));
    QCOMPARE(QString::fromStdString(tokenizer->decode(e.ids)), QString("unwanted running"));
  }

  void truncation_data() {
    QTest::addColumn<int>("maxLength");
    QTest::addColumn<int>("strategy");
    QTest::addColumn<QString>("expected");
    // A = un ##want ##ed (3 pieces), B = runn ##ing , want (4 pieces)
    QTest::newRow("fits") << 10 << 0 << "[CLS] un ##want ##ed [SEP] runn ##ing , want [SEP]";
    QTest::newRow("longest first: B shrinks")
        << 9 << 0 << "[CLS] un ##want ##ed [SEP] runn ##ing , [SEP]";
    QTest::newRow("longest first: tie, B gives way")
        << 8 << 0 << "[CLS] un ##want ##ed [SEP] runn ##ing [SEP]";
    QTest::newRow("longest first: both") << 7 << 0 << "[CLS] un ##want [SEP] runn ##ing [SEP]";
    QTest::newRow("only second") << 6 << 1 << "[CLS] un ##want ##ed [SEP] [SEP]";
  }
  void truncation() {
    QFETCH(int, maxLength);
    QFETCH(int, strategy);
    QFETCH(QString, expected);
    auto tokenizer = makeTokenizer();
    const Encoding e =
        tokenizer->encode("unwanted", std::string_view("running, want"), maxLength,
                          strategy == 0 ? Truncation::LongestFirst : Truncation::OnlySecond);
    QCOMPARE(QString::fromStdString(joinStrings(e.pieces)), expected);
    QVERIFY(int(e.ids.size()) <= maxLength);
  }

  void onlySecondRefusesToCutTheFirst() {
    auto tokenizer = makeTokenizer();
    const QString message = errorOf([&] {
      tokenizer->encode("unwanted running", std::string_view("want"), 5, Truncation::OnlySecond);
    });
    QVERIFY2(message.contains("only the second segment may be truncated"), qPrintable(message));
  }

  void vocabularyErrors_data() {
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty file") << QByteArray() << "the vocabulary is empty";
    QTest::newRow("duplicate") << QByteArray("[UNK]\nthe\nof\nthe\n")
                               << "line 4: token \"the\" already appears on line 2";
    QTest::newRow("blank line") << QByteArray("[UNK]\n\nthe\n") << "line 2: empty token";
    QTest::newRow("invalid UTF-8")
        << QByteArray("[UNK]\nab\xff\n") << "line 2: token is not valid UTF-8";
  }
  void vocabularyErrors() {
    QFETCH(QByteArray, contents);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath("vocab.txt");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(contents);
    file.close();
    const QString message = errorOf([&] { Vocab::fromFile(path.toStdString()); });
    QVERIFY2(message.contains(path) && message.contains(expected), qPrintable(message));
  }

  void windowsLineEndingsAndIds() {
    QTemporaryDir dir;
    QFile file(dir.filePath("vocab.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[PAD]\r\n[UNK]\r\nthe\r\n");
    file.close();
    const Vocab vocab = Vocab::fromFile(file.fileName().toStdString());
    QCOMPARE(vocab.size(), 3);
    QCOMPARE(vocab.find("the").value(), 2);
  }

  void saveAndLoadRoundTrip() {
    QTemporaryDir dir;
    WordPieceOptions options;
    options.doLowerCase = false;
    options.maxInputCharsPerWord = 200;
    WordPieceTokenizer original(Vocab::fromTokens(handMadeTokens(), "test"), options);
    original.save(dir.path().toStdString());
    QVERIFY(QFile::exists(dir.filePath("tokenizer_config.json")));
    auto loaded = loadTokenizer(dir.path().toStdString());
    QCOMPARE(QString::fromStdString(loaded->kind()), QString("wordpiece"));
    auto* wordpiece = dynamic_cast<WordPieceTokenizer*>(loaded.get());
    QVERIFY(wordpiece);
    QCOMPARE(wordpiece->options().doLowerCase, false);
    QCOMPARE(wordpiece->options().maxInputCharsPerWord, 200);
    QCOMPARE(wordpiece->vocab().tokens(), original.vocab().tokens());
    QCOMPARE(joined(loaded->tokenize("Héllo HELLO")), QString("Héllo [UNK]"));
  }

  void missingTokenizerIsExplained() {
    QTemporaryDir dir;
    const QString message = errorOf([&] { loadTokenizer(dir.path().toStdString()); });
    QVERIFY2(message.contains("vocab.txt") && message.contains("spiece.model"),
             qPrintable(message));
  }

  void checkpointCarriesItsTokenizer() {
    QTemporaryDir dir;
    const std::string folder = dir.filePath("ckpt").toStdString();
    auto tokenizer = makeTokenizer(/*lowerCase=*/false);
    BertConfig config = presetConfig("tiny", tokenizer->vocabSize());
    config.num_hidden_layers = 1;
    BertForPreTraining model(config);
    saveCheckpoint(folder, config, *model, "BertForPreTraining", std::nullopt, tokenizer.get());
    auto loaded = loadTokenizer(folder);
    QCOMPARE(loaded->vocabSize(), tokenizer->vocabSize());
    QCOMPARE(joined(loaded->tokenize("Héllo HELLO")), QString("Héllo [UNK]"));  // cased kept
    // A tokenizer larger than the embedding table is refused before anything is written.
    config.vocab_size = 10;
    const std::string other = dir.filePath("other").toStdString();
    const QString message = errorOf([&] {
      saveCheckpoint(other, config, *BertForPreTraining(config), "BertForPreTraining", std::nullopt,
                     tokenizer.get());
    });
    QVERIFY2(message.contains("vocab_size is 10"), qPrintable(message));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(other)));
  }

  void specialIds() {
    auto tokenizer = makeTokenizer();
    const SpecialTokenIds ids = tokenizer->specialTokenIds();
    QCOMPARE(ids.pad, 0);
    QCOMPARE(ids.unk, 1);
    QCOMPARE(ids.cls, 2);
    QCOMPARE(ids.sep, 3);
    QCOMPARE(ids.mask, 4);
    QVERIFY(!errorOf([&] { tokenizer->idToToken(999); }).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestWordPiece)
#include "test_wordpiece.moc"
