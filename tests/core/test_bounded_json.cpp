// Issue 19, item 1: deeply nested JSON is refused before anything recursive touches it (a
// 200 KB file of '[' overflowed the stack in every JSON consumer), with the same kind of
// message as any other syntax error; brackets inside strings do not count; and a config.json
// with such a field is refused with its path instead of crashing.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <string>

#include "model/bert_config.h"
#include "test_support.h"
#include "util/bounded_json.h"
#include "util/error.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

std::string nested(int depth, const std::string& inner = "1") {
  return std::string(static_cast<size_t>(depth), '[') + inner +
         std::string(static_cast<size_t>(depth), ']');
}

}  // namespace

class TestBoundedJson : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void depthIsCountedOutsideStringsOnly() {
    QVERIFY(!jsonTooDeepAt(nested(64)).has_value());
    QCOMPARE(jsonTooDeepAt(nested(65)).value_or(0), size_t(64));
    QVERIFY(!jsonTooDeepAt("{\"a\": \"" + std::string(1000, '[') + "\"}").has_value());
    // An escaped quote does not end the string; an escaped backslash does not escape it.
    QVERIFY(!jsonTooDeepAt("{\"a\": \"\\\"[[[[\", \"b\": 1}", 2).has_value());
    QVERIFY(jsonTooDeepAt("{\"a\": \"\\\\\", \"b\": [[1]]}", 2).has_value());
    QCOMPARE(parseJson(nested(64)).dump().size(), size_t(129));
  }

  void tooDeepIsAParseError() {
    const std::string deep = nested(100000);
    try {
      parseJson(deep);
      QFAIL("a 100,000-deep array was accepted");
    } catch (const nlohmann::json::parse_error& e) {
      QVERIFY2(std::string(e.what()).find("nested deeper than 64 levels at byte 65") !=
                   std::string::npos,
               e.what());
    }
    QVERIFY(parseJsonOrDiscarded(deep).is_discarded());
    QVERIFY(parseJsonOrDiscarded("{\"a\": ").is_discarded());
    QCOMPARE(parseJsonOrDiscarded("{\"a\": [1, 2]}")["a"].size(), size_t(2));
  }

  // Found by fuzz_config_json: a number beyond a double escaped the readers as nlohmann's
  // out_of_range, shown raw ("[json.exception.out_of_range.406] ..."), not as the file's error.
  void aNumberNoDoubleHoldsIsAParseError() {
    try {
      parseJson("{\"layer_norm_eps\": 1e712}");
      QFAIL("1e712 was accepted");
    } catch (const nlohmann::json::parse_error& e) {
      QVERIFY2(std::string(e.what()).find("number overflow parsing '1e712'") != std::string::npos,
               e.what());
    }
    QTemporaryDir dir;
    const std::string path = dir.filePath("config.json").toStdString();
    std::ofstream(path) << "{\"hidden_size\": 128, \"layer_norm_eps\": 1e712}";
    const QString error = errorOf([&] { loadConfigFile(path); });
    QVERIFY2(error.startsWith(QString::fromStdString(path)) && error.contains("1e712"),
             qPrintable(error));
  }

  // Found by fuzz_instance_jsonl: nlohmann's get<int>() of 1e113 is a float-to-int cast
  // beyond int's range, undefined behaviour; of 2^40 it wraps. jsonInteger refuses both.
  void integersAreReadOnlyWhenTheyFit() {
    using nlohmann::json;
    QCOMPARE(jsonInteger<int>(json(42)), 42);
    QCOMPARE(jsonInteger<int>(json(3.0)), 3);  // Qt's JSON writes every number as a double
    QCOMPARE(jsonInteger<int64_t>(json(-7)), int64_t(-7));
    QCOMPARE(jsonInteger<uint64_t>(json(uint64_t(1) << 63)), uint64_t(1) << 63);
    for (const json& bad : {json(1e113), json(2.5), json(int64_t(1) << 40), json("7"),
                            json(nullptr), json(std::nan(""))}) {
      try {
        jsonInteger<int>(bad);
        QFAIL(qPrintable(QString::fromStdString("accepted as an int: " + bad.dump())));
      } catch (const nlohmann::json::type_error& e) {
        QVERIFY2(std::string(e.what()).find("expected an integer from -2147483648 to 2147483647") !=
                     std::string::npos,
                 e.what());
      }
    }
    QVERIFY_THROWS_EXCEPTION(nlohmann::json::type_error, jsonInteger<uint32_t>(json(-1)));
    QVERIFY_THROWS_EXCEPTION(nlohmann::json::type_error,
                             jsonInteger<int64_t>(json(9.3e18)));  // past 2^63
    QCOMPARE(jsonIntegerOr<int>(json::object(), "steps", 5), 5);
    QCOMPARE(jsonStringOr(json{{"format", 5}}, "format", "none"), std::string("none"));
    QCOMPARE(jsonBoolOr(json{{"eval", "yes"}}, "eval", false), false);
  }

  // Unknown config.json fields are kept for round trips and were dumped recursively.
  void aDeeplyNestedConfigFieldIsRefusedWithItsPath() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("config.json").toStdString();
    std::ofstream(path) << "{\"hidden_size\": 128, \"surprise\": " << nested(100000) << "}";
    const QString error = errorOf([&] { loadConfigFile(path); });
    QVERIFY2(error.contains(QStringLiteral("nested deeper than 64")), qPrintable(error));
    QVERIFY2(error.contains(QString::fromStdString(path)), qPrintable(error));
  }
};

QTEST_APPLESS_MAIN(TestBoundedJson)
#include "test_bounded_json.moc"
