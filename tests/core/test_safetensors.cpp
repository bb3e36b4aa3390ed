// safetensors reader and writer: bit-exact round trips, the header's layout, and hostile or
// truncated files written byte by byte, each of which must give a bertwb::Error that names
// the problem (never a crash, never an allocation larger than the file).
#include <torch/torch.h>
#include <QtTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <string>

#include "io/safetensors.h"
#include "util/error.h"

Q_DECLARE_METATYPE(std::optional<torch::ScalarType>)
Q_DECLARE_METATYPE(torch::ScalarType)

namespace {

using bertwb::NamedTensors;

constexpr int kHeaderLengthBytes = 8;  // the format's little-endian u64 before the JSON
constexpr int kAlignment = 8;          // the reference writer pads the header to 8 bytes

// Same dtype, same shape and the same bytes: stricter than torch::equal, which calls
// -0.0 == 0.0 and NaN != NaN.
bool sameBytes(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes()) return false;
  const torch::Tensor ca = a.contiguous();
  const torch::Tensor cb = b.contiguous();
  const size_t bytes = static_cast<size_t>(ca.numel()) * ca.element_size();
  return bytes == 0 || std::memcmp(ca.data_ptr(), cb.data_ptr(), bytes) == 0;
}

QByteArray littleEndian64(uint64_t value) {
  QByteArray bytes(kHeaderLengthBytes, '\0');
  for (int i = 0; i < kHeaderLengthBytes; ++i)
    bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return bytes;
}

// A file as the format lays it out: length, JSON header, data buffer.
QByteArray safetensorsBytes(const QByteArray& header, const QByteArray& data) {
  return littleEndian64(static_cast<uint64_t>(header.size())) + header + data;
}

void writeBytes(const QString& path, const QByteArray& bytes) {
  QFile file(path);
  QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(file.errorString()));
  QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray readBytes(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return file.readAll();
}

// A float tensor whose bytes a lossy or reordered write would change: NaN, ±inf, -0.0,
// a subnormal and ordinary values in a non-trivial layout.
torch::Tensor awkwardFloats() {
  auto values = torch::randn({3, 5}, torch::TensorOptions().dtype(torch::kFloat32));
  auto flat = values.view({-1});  // (15)
  flat[0] = std::numeric_limits<float>::quiet_NaN();
  flat[1] = std::numeric_limits<float>::infinity();
  flat[2] = -std::numeric_limits<float>::infinity();
  flat[3] = -0.0f;
  flat[4] = std::numeric_limits<float>::denorm_min();
  return values;
}

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(7); }

  void roundTripIsBitExact_data();
  void roundTripIsBitExact();
  void metadataRoundTrip();
  void emptyMetadataWritesNoMetadataEntry();
  void headerIsAligned_data();
  void headerIsAligned();
  void entriesDescribeTheBuffer();
  void writerRejectsBadInput();

  void hostileFileIsRejected_data();
  void hostileFileIsRejected();
  void oversizedHeaderIsRejectedWithoutReadingIt();
  void missingFileIsAnError();
  void unknownNameIsAnError();
  void fileTruncatedAfterOpeningIsAnError();
};

void TestSafetensors::roundTripIsBitExact_data() {
  QTest::addColumn<std::optional<torch::ScalarType>>("storeAs");
  QTest::addColumn<torch::ScalarType>("storedFloatType");
  QTest::newRow("F32 kept") << std::optional<torch::ScalarType>() << torch::kFloat32;
  QTest::newRow("F16 storeAs") << std::optional<torch::ScalarType>(torch::kFloat16)
                               << torch::kFloat16;
  QTest::newRow("BF16 storeAs") << std::optional<torch::ScalarType>(torch::kBFloat16)
                                << torch::kBFloat16;
}

void TestSafetensors::roundTripIsBitExact() {
  QFETCH(std::optional<torch::ScalarType>, storeAs);
  QFETCH(torch::ScalarType, storedFloatType);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("weights.safetensors").toStdString();

  const NamedTensors tensors = {
      {"matrix", awkwardFloats()},
      {"transposed", torch::arange(12, torch::kFloat32).view({3, 4}).t()},  // not contiguous
      {"scalar", torch::tensor(3.25f)},                                     // shape []
      {"empty", torch::zeros({0, 4})},                                      // zero bytes
      {"ids", torch::arange(-3, 6, torch::kInt64)},                         // storeAs leaves ints
      {"half", torch::randn({2, 3}).to(torch::kFloat16)},
  };
  bertwb::writeSafetensors(path, tensors, {{"format", "pt"}}, storeAs);
  const NamedTensors read = bertwb::readSafetensors(path);

  QCOMPARE(read.size(), tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& [name, original] = tensors[i];
    QCOMPARE(read[i].first, name);  // file order is write order
    torch::Tensor expected = original;
    if (original.is_floating_point() && storeAs) expected = original.to(storedFloatType);
    QVERIFY2(sameBytes(read[i].second, expected), name.c_str());
  }
  QCOMPARE(read[2].second.dim(), int64_t{0});
  QCOMPARE(read[3].second.numel(), int64_t{0});
  QCOMPARE(read[3].second.sizes().vec(), (std::vector<int64_t>{0, 4}));
}

void TestSafetensors::metadataRoundTrip() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("m.safetensors").toStdString();
  const std::map<std::string, std::string> metadata = {{"format", "pt"},
                                                       {"step", "1200"},
                                                       {"note", "quotes \" and unicode \xC3\xA9"},
                                                       {"empty", ""}};
  bertwb::writeSafetensors(path, {{"w", torch::ones({2})}}, metadata);
  const bertwb::SafetensorsReader reader(path);
  QVERIFY(reader.metadata() == metadata);
  // Metadata is not a tensor.
  QCOMPARE(reader.entries().size(), size_t{1});
  QVERIFY(!reader.contains("__metadata__"));
}

void TestSafetensors::emptyMetadataWritesNoMetadataEntry() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath("m.safetensors");
  bertwb::writeSafetensors(path.toStdString(), {{"w", torch::ones({2})}}, /*metadata=*/{});
  QVERIFY(!readBytes(path).contains("__metadata__"));
  QVERIFY(bertwb::SafetensorsReader(path.toStdString()).metadata().empty());
}

void TestSafetensors::headerIsAligned_data() {
  // Names of every length modulo 8, so that each amount of padding is needed once.
  QTest::addColumn<QString>("name");
  for (int length = 1; length <= kAlignment; ++length) {
    QTest::addRow("name of %d chars", length) << QString(length, QLatin1Char('n'));
  }
}

void TestSafetensors::headerIsAligned() {
  QFETCH(QString, name);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath("a.safetensors");
  const torch::Tensor tensor = torch::arange(5, torch::kFloat32);
  bertwb::writeSafetensors(path.toStdString(), {{name.toStdString(), tensor}});

  const QByteArray bytes = readBytes(path);
  QVERIFY(bytes.size() >= kHeaderLengthBytes);
  uint64_t headerLength = 0;
  for (int i = kHeaderLengthBytes - 1; i >= 0; --i) {
    headerLength = (headerLength << 8) | static_cast<unsigned char>(bytes[i]);
  }
  QCOMPARE(headerLength % kAlignment, uint64_t{0});
  const qsizetype dataStart = kHeaderLengthBytes + static_cast<qsizetype>(headerLength);
  QCOMPARE(bytes.size() - dataStart, qsizetype(tensor.numel() * tensor.element_size()));
  // The padding is whitespace after the JSON, so the header still parses.
  const QByteArray header = bytes.mid(kHeaderLengthBytes, static_cast<qsizetype>(headerLength));
  QVERIFY(header.startsWith('{'));
  QVERIFY(header.trimmed().endsWith('}'));
  QVERIFY(std::memcmp(bytes.constData() + dataStart, tensor.data_ptr(), tensor.numel() * 4) == 0);
}

void TestSafetensors::entriesDescribeTheBuffer() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("e.safetensors").toStdString();
  bertwb::writeSafetensors(path,
                           {{"b", torch::zeros({2, 3})}, {"a", torch::zeros({4}, torch::kInt64)}});
  const bertwb::SafetensorsReader reader(path);
  QCOMPARE(reader.entries().size(), size_t{2});
  const auto& first = reader.entries()[0];
  const auto& second = reader.entries()[1];
  QCOMPARE(first.name, std::string("b"));
  QCOMPARE(first.dtype, std::string("F32"));
  QCOMPARE(first.shape, (std::vector<int64_t>{2, 3}));
  QCOMPARE(first.begin, uint64_t{0});
  QCOMPARE(first.end, uint64_t{24});
  QCOMPARE(second.name, std::string("a"));
  QCOMPARE(second.dtype, std::string("I64"));
  QCOMPARE(second.begin, uint64_t{24});
  QCOMPARE(second.end, uint64_t{56});
  QVERIFY(reader.contains("a"));
  QVERIFY(!reader.contains("c"));
}

void TestSafetensors::writerRejectsBadInput() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("w.safetensors").toStdString();
  try {
    bertwb::writeSafetensors(path, {{"twice", torch::ones({1})}, {"twice", torch::ones({1})}});
    QFAIL("a duplicate name was written");
  } catch (const bertwb::Error& e) {
    QVERIFY2(std::string(e.what()).find("\"twice\" given twice") != std::string::npos, e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
  QVERIFY_THROWS_EXCEPTION(
      bertwb::Error,
      bertwb::writeSafetensors(path, {{"z", torch::ones({2}, torch::kComplexFloat)}}));
  // Nothing half-written is left behind by either failure.
  QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
}

void TestSafetensors::hostileFileIsRejected_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QStringList>("expectedWords");  // all must appear in the error message

  const QByteArray sixteenBytes(16, '\x01');
  auto file = [](const char* header, const QByteArray& data) {
    return safetensorsBytes(header, data);
  };

  QTest::newRow("empty file") << QByteArray() << QStringList{"only 0 bytes", "too short"};
  QTest::newRow("7 bytes") << QByteArray(7, '\0') << QStringList{"only 7 bytes", "too short"};
  QTest::newRow("header length past the end") << littleEndian64(1000) + QByteArray("{}")
                                              << QStringList{"header length 1000", "past the end"};
  QTest::newRow("header length 2^63")
      << littleEndian64(uint64_t{1} << 63) + QByteArray("{}") << QStringList{"past the end"};
  QTest::newRow("header not JSON")
      << file("{\"w\": [", sixteenBytes) << QStringList{"not valid JSON"};
  QTest::newRow("header is an array") << file("[1, 2]", {}) << QStringList{"not a JSON object"};
  // Issue 19, item 1: 100,000 nested arrays in the metadata overflowed the stack (SIGSEGV in
  // info, forward, predict, finetune, pretrain and the GUI).
  const std::string deep =
      "{\"__metadata__\": {\"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}}";
  QTest::newRow("header nested 100,000 deep")
      << file(deep.c_str(), {}) << QStringList{"nests deeper than 64 levels"};
  QTest::newRow("metadata not an object")
      << file(R"({"__metadata__": 5})", {}) << QStringList{"__metadata__", "not an object"};
  QTest::newRow("entry not an object")
      << file(R"({"w": 5})", {}) << QStringList{"\"w\"", "not an object"};
  QTest::newRow("dtype missing") << file(R"({"w": {"shape": [4], "data_offsets": [0, 16]}})",
                                         sixteenBytes)
                                 << QStringList{"\"w\"", "missing \"dtype\""};
  QTest::newRow("unknown dtype")
      << file(R"({"w": {"dtype": "F8_E4M3", "shape": [16], "data_offsets": [0, 16]}})",
              sixteenBytes)
      << QStringList{"\"w\"", "unsupported dtype", "F8_E4M3"};
  QTest::newRow("shape missing") << file(R"({"w": {"dtype": "F32", "data_offsets": [0, 16]}})",
                                         sixteenBytes)
                                 << QStringList{"\"w\"", "missing \"shape\""};
  // A download cut off inside the second tensor.
  QTest::newRow("data truncated")
      << file(R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},)"
              R"( "b": {"dtype": "F32", "shape": [4], "data_offsets": [16, 32]}})",
              QByteArray(24, '\0'))
      << QStringList{"\"b\"", "[16,32]", "past the end", "24 bytes", "truncated"};
  QTest::newRow("tensor larger than the data")
      << file(R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})",
              QByteArray(8, '\0'))
      << QStringList{"\"w\"", "more bytes than the file holds", "8 bytes"};
  QTest::newRow("offsets end before begin")
      << file(R"({"w": {"dtype": "F32", "shape": [0], "data_offsets": [16, 0]}})", sixteenBytes)
      << QStringList{"\"w\"", "end before they begin"};
  QTest::newRow("negative offset")
      << file(R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [-16, 0]}})", sixteenBytes)
      << QStringList{"\"w\"", "data_offsets", "non-negative"};
  QTest::newRow("one offset")
      << file(R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [16]}})", sixteenBytes)
      << QStringList{"\"w\"", "data_offsets"};
  QTest::newRow("overlapping ranges")
      << file(R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},)"
              R"( "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}})",
              QByteArray(24, '\0'))
      << QStringList{"\"a\"", "\"b\"", "overlaps"};
  QTest::newRow("dtype x shape is not the byte range")
      << file(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}})", sixteenBytes)
      << QStringList{"\"w\"", "F32", "12 bytes", "hold 16"};
  QTest::newRow("F16 counted as F32")
      << file(R"({"w": {"dtype": "F16", "shape": [4], "data_offsets": [0, 16]}})", sixteenBytes)
      << QStringList{"\"w\"", "F16", "8 bytes", "hold 16"};
  // 2^96 elements: a product computed in 64 bits would wrap to 0 and match an empty range.
  QTest::newRow("shape whose product overflows")
      << file(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 4294967296],)"
              R"( "data_offsets": [0, 0]}})",
              {})
      << QStringList{"\"w\"", "4294967296", "more bytes than the file holds"};
  // 16 × (2^60 + 1) = 2^64 + 16: wraps to exactly the 16 bytes the range holds.
  QTest::newRow("shape product wraps to the range size")
      << file(
             R"({"w": {"dtype": "U8", "shape": [16, 1152921504606846977], "data_offsets": [0, 16]}})",
             sixteenBytes)
      << QStringList{"\"w\"", "more bytes than the file holds"};
  QTest::newRow("dimension past int64")
      << file(R"({"w": {"dtype": "F32", "shape": [9223372036854775808], "data_offsets": [0, 16]}})",
              sixteenBytes)
      << QStringList{"\"w\"", "absurdly large"};
  QTest::newRow("negative dimension")
      << file(R"({"w": {"dtype": "F32", "shape": [-4], "data_offsets": [0, 16]}})", sixteenBytes)
      << QStringList{"\"w\"", "[-4]", "negative"};
  QTest::newRow("fractional dimension")
      << file(R"({"w": {"dtype": "F32", "shape": [4.0], "data_offsets": [0, 16]}})", sixteenBytes)
      << QStringList{"\"w\"", "non-integer"};
  QTest::newRow("string dimension")
      << file(R"({"w": {"dtype": "F32", "shape": ["4"], "data_offsets": [0, 16]}})", sixteenBytes)
      << QStringList{"\"w\"", "non-integer"};
}

void TestSafetensors::hostileFileIsRejected() {
  QFETCH(QByteArray, bytes);
  QFETCH(QStringList, expectedWords);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath("hostile.safetensors");
  writeBytes(path, bytes);
  try {
    bertwb::readSafetensors(path.toStdString());
    QFAIL("a hostile file was accepted");
  } catch (const bertwb::Error& e) {
    const QString message = QString::fromUtf8(e.what());
    QVERIFY2(message.contains(path), qPrintable(message));  // names the file
    for (const QString& word : expectedWords) {
      QVERIFY2(message.contains(word),
               qPrintable(QStringLiteral("'%1' not in: %2").arg(word, message)));
    }
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
}

void TestSafetensors::oversizedHeaderIsRejectedWithoutReadingIt() {
  // A header length past the format's 100 MB cap in a file that really is that long: a
  // sparse file, so the test costs no disk.
  constexpr uint64_t kOverCapHeaderBytes = 100ull * 1024 * 1024 + 8;
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath("big.safetensors");
  writeBytes(path, littleEndian64(kOverCapHeaderBytes));
  QVERIFY(QFile::resize(path, static_cast<qint64>(kHeaderLengthBytes + kOverCapHeaderBytes)));
  try {
    bertwb::SafetensorsReader reader(path.toStdString());
    QFAIL("a 100 MB header was accepted");
  } catch (const bertwb::Error& e) {
    QVERIFY2(std::string(e.what()).find("100 MB limit") != std::string::npos, e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
}

void TestSafetensors::missingFileIsAnError() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("absent.safetensors").toStdString();
  try {
    bertwb::SafetensorsReader reader(path);
    QFAIL("a missing file was opened");
  } catch (const bertwb::Error& e) {
    const std::string message = e.what();
    QVERIFY2(message.find("cannot open") != std::string::npos, e.what());
    QVERIFY2(message.find(path) != std::string::npos, e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
}

void TestSafetensors::unknownNameIsAnError() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const std::string path = dir.filePath("n.safetensors").toStdString();
  bertwb::writeSafetensors(path, {{"present", torch::ones({2})}});
  const bertwb::SafetensorsReader reader(path);
  QVERIFY(!reader.contains("absent"));
  try {
    reader.read("absent");
    QFAIL("a tensor that is not in the file was read");
  } catch (const bertwb::Error& e) {
    QVERIFY2(std::string(e.what()).find("no tensor named \"absent\"") != std::string::npos,
             e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
  QVERIFY(torch::equal(reader.read("present"), torch::ones({2})));
}

void TestSafetensors::fileTruncatedAfterOpeningIsAnError() {
  // The header was valid when read; the bytes went away before the tensor was.
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath("t.safetensors");
  bertwb::writeSafetensors(path.toStdString(), {{"w", torch::ones({64})}});
  const bertwb::SafetensorsReader reader(path.toStdString());
  QVERIFY(QFile::resize(path, QFileInfo(path).size() - 16));
  try {
    reader.read("w");
    QFAIL("a truncated tensor was read");
  } catch (const bertwb::Error& e) {
    const std::string message = e.what();
    QVERIFY2(message.find("\"w\"") != std::string::npos, e.what());
    QVERIFY2(message.find("cannot read its bytes") != std::string::npos, e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable(QStringLiteral("not a bertwb::Error: %1").arg(e.what())));
  }
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
