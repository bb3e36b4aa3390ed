// The PredictorService on tiny checkpoints: loading (and a failed load's message naming the
// folder), a request before any model ("no model loaded"), latest-wins on a channel (five
// quick requests → only the last one's callback), results delivered on the GUI thread with
// the time the work took, and the context object guarding the callbacks.
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <atomic>
#include <cmath>

#include "panel_workspaces.h"
#include "playground_checkpoints.h"
#include "shell/predictor_service.h"

using namespace bertwb;
using namespace bertwb::ui;

namespace {

constexpr int kWaitMs = 20000;
const std::vector<std::string> kLabels = {"negative", "neutral", "positive"};

// Loads `folder` and waits for the outcome; "" on success, else the failure message.
QString loadAndWait(PredictorService& service, const QString& folder) {
  QSignalSpy loaded(&service, &PredictorService::loaded);
  QSignalSpy failed(&service, &PredictorService::loadFailed);
  service.load(folder, QStringLiteral("cpu"));
  if (!service.waitUntilIdle(kWaitMs)) return QStringLiteral("timed out");
  if (!failed.isEmpty()) return failed.first().at(1).toString();
  return loaded.isEmpty() ? QStringLiteral("no signal") : QString();
}

}  // namespace

class TestPredictorService : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString classifierFolder_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    classifierFolder_ = dir_.filePath(QStringLiteral("classifier"));
    test::savePlaygroundTaskModel(classifierFolder_, TaskKind::SequenceClassification, kLabels);
  }

  void requestBeforeLoadingFailsClearly() {
    PredictorService service;
    QString error;
    bool resultCalled = false;
    service.submit(
        QStringLiteral("classify"),
        [](const Predictor& p) -> std::any { return p.classify("the film"); }, this,
        [&](const std::any&, double) { resultCalled = true; },
        [&](const QString& message) { error = message; });
    QVERIFY(service.isBusy());
    QVERIFY(service.waitUntilIdle(kWaitMs));
    QVERIFY(!resultCalled);
    QVERIFY2(error.contains(QStringLiteral("no model loaded")), qPrintable(error));
    QVERIFY(!service.isLoaded());
  }

  void loadFailureNamesTheFolder() {
    PredictorService service;
    const QString missing = dir_.filePath(QStringLiteral("no-such-model"));
    const QString message = loadAndWait(service, missing);
    QVERIFY2(message.contains(missing), qPrintable(message));
    QVERIFY(!service.isLoaded());
    QVERIFY(!service.isLoading());
  }

  void loadsAndClassifiesOnTheGuiThread() {
    PredictorService service;
    QSignalSpy started(&service, &PredictorService::loadStarted);
    QCOMPARE(loadAndWait(service, classifierFolder_), QString());
    QCOMPARE(started.size(), 1);
    QVERIFY(service.isLoaded());
    QCOMPARE(service.folder(), classifierFolder_);
    QCOMPARE(service.architecture(), QStringLiteral("BertForSequenceClassification"));
    QVERIFY(service.capabilities().classify);
    QVERIFY(!service.capabilities().fillMask);
    QCOMPARE(service.labels(), QStringList({"negative", "neutral", "positive"}));

    std::atomic<bool> workOffGuiThread{false};
    QThread* const guiThread = QThread::currentThread();
    bool deliveredOnGuiThread = false;
    ClassificationResult result;
    double milliseconds = -1;
    service.submit(
        QStringLiteral("classify"),
        [&](const Predictor& p) -> std::any {
          workOffGuiThread = QThread::currentThread() != guiThread;
          return p.classify("the film was great");
        },
        this,
        [&](const std::any& value, double ms) {
          deliveredOnGuiThread = QThread::currentThread() == guiThread;
          result = std::any_cast<ClassificationResult>(value);
          milliseconds = ms;
        });
    QVERIFY(service.waitUntilIdle(kWaitMs));
    QVERIFY(workOffGuiThread);
    QVERIFY(deliveredOnGuiThread);
    QVERIFY(milliseconds > 0);
    QCOMPARE(result.labels.size(), kLabels.size());
    double sum = 0;
    for (const LabelProbability& label : result.labels) sum += label.probability;
    QVERIFY(std::abs(sum - 1.0) < 1e-5);
    // The same numbers as the Predictor asked directly.
    const ClassificationResult direct =
        Predictor::load(classifierFolder_.toStdString(), "cpu", test::kInferencePrecision)
            .classify("the film was great");
    for (size_t i = 0; i < kLabels.size(); ++i)
      QVERIFY(std::abs(direct.labels[i].probability - result.labels[i].probability) < 1e-6);
  }

  void onlyTheLatestRequestOnAChannelIsAnswered() {
    PredictorService service;
    QCOMPARE(loadAndWait(service, classifierFolder_), QString());
    QVector<int> answered;
    QVector<int> otherChannel;
    for (int i = 0; i < 5; ++i)
      service.submit(
          QStringLiteral("classify"),
          [i](const Predictor& p) -> std::any {
            p.classify("the film was great and the music was bad");
            return i;
          },
          this, [&](const std::any& value, double) { answered << std::any_cast<int>(value); });
    // A request on another channel is not displaced by them.
    service.submit(
        QStringLiteral("other"), [](const Predictor&) -> std::any { return 7; }, this,
        [&](const std::any& value, double) { otherChannel << std::any_cast<int>(value); });
    QVERIFY(service.waitUntilIdle(kWaitMs));
    QCOMPARE(answered, QVector<int>({4}));
    QCOMPARE(otherChannel, QVector<int>({7}));
    QVERIFY(!service.isBusy());
  }

  void aDestroyedContextSilencesTheCallbacks() {
    PredictorService service;
    QCOMPARE(loadAndWait(service, classifierFolder_), QString());
    auto* context = new QObject;
    bool called = false;
    service.submit(
        QStringLiteral("classify"),
        [](const Predictor& p) -> std::any { return p.classify("the film"); }, context,
        [&](const std::any&, double) { called = true; }, [&](const QString&) { called = true; });
    delete context;
    QVERIFY(service.waitUntilIdle(kWaitMs));
    QVERIFY(!called);
  }

  void errorsOfTheWorkArriveAsMessages() {
    PredictorService service;
    QCOMPARE(loadAndWait(service, classifierFolder_), QString());
    QString error;
    // A classifier cannot fill masks: the Predictor's Error reaches onError.
    service.submit(
        QStringLiteral("fill"),
        [](const Predictor& p) -> std::any { return p.fillMask("the [MASK]"); }, this,
        [](const std::any&, double) {}, [&](const QString& message) { error = message; });
    QVERIFY(service.waitUntilIdle(kWaitMs));
    QVERIFY2(error.contains(QStringLiteral("fillMask")), qPrintable(error));
  }

  void aFailedLoadKeepsThePreviousModel() {
    PredictorService service;
    QCOMPARE(loadAndWait(service, classifierFolder_), QString());
    QVERIFY(!loadAndWait(service, dir_.filePath(QStringLiteral("missing"))).isEmpty());
    QVERIFY(service.isLoaded());
    QCOMPARE(service.folder(), classifierFolder_);
    bool answered = false;
    service.submit(
        QStringLiteral("classify"),
        [](const Predictor& p) -> std::any { return p.classify("the film"); }, this,
        [&](const std::any&, double) { answered = true; });
    QVERIFY(service.waitUntilIdle(kWaitMs));
    QVERIFY(answered);
  }
};

QTEST_MAIN(TestPredictorService)
#include "test_predictor_service.moc"
