// The Pre-training panel drives real (tiny) runs on the demo workspace: progress, charts,
// probes, checkpoints and metrics.jsonl; pause holds the step; stop saves a checkpoint that
// resume continues; the Masking & NSP knobs are the run's data settings; a broken corpus fails
// cleanly and leaves the panel usable.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "masking/masking_knobs.h"
#include "masking/masking_panel.h"
#include "pretrain/pretrain_panel.h"
#include "pretrain/probe_view.h"
#include "pretrain/training_charts.h"
#include "screenshots.h"
#include "shell/workspace.h"

using bertwb::ui::MaskingPanel;
using bertwb::ui::PretrainPanel;
using bertwb::ui::PretrainSettings;
using bertwb::ui::TrainingCharts;
using bertwb::ui::Workspace;

namespace {

// A run long enough to show every event, short enough for a CI on two cores.
constexpr qint64 kShortRunSteps = 30;
constexpr qint64 kProbeEvery = 10;
constexpr qint64 kLongRunSteps = 5000;  // never reached: the pause/stop test stops it
constexpr int kRunTimeoutMs = 60000;
constexpr int kPausedObservationMs = 300;  // how long a paused run is watched for a step
constexpr int kStopTimeoutMs = 30000;

PretrainSettings smallRun(const QString& name, qint64 steps) {
  PretrainSettings s;
  s.runName = name;
  s.steps = steps;
  s.batchSize = 8;
  s.maxSeqLength = 32;
  s.learningRate = 2e-3;
  s.warmupSteps = 3;
  s.logEvery = 1;
  s.probeEvery = kProbeEvery;
  s.saveEvery = 0;
  s.probeTexts = {QStringLiteral("[MASK] is a town.")};
  s.probeNspA = QStringLiteral("It rains.");
  s.probeNspB = QStringLiteral("The streets are wet.");
  return s;
}

QStringList readLines(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

qint64 stepOfLine(const QString& line) {
  return static_cast<qint64>(
      QJsonDocument::fromJson(line.toUtf8()).object().value(QStringLiteral("step")).toDouble(-1));
}

using bertwb::test::saveScreenshot;
using bertwb::test::screenshotFolder;

}  // namespace

class TestPretrainPanel : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(demoFolder_.isValid());
    demo_ = Workspace::createDemo(demoFolder_.path());
    QVERIFY(demo_);
  }

  void demoDefaultsAndSettingsPersist() {
    {
      PretrainPanel panel(demo_.get());
      const PretrainSettings s = panel.settings();
      QCOMPARE(s.maxSeqLength, 64);  // the demo's pre-set sequence length
      QCOMPARE(s.batchSize, 32);     // demoRunOptions
      QCOMPARE(s.learningRate, 2e-3);
      QVERIFY2(!s.probeTexts.isEmpty() && s.probeTexts.first().contains(QStringLiteral("[MASK]")),
               qPrintable(s.probeTexts.join('|')));
      QVERIFY(!s.probeNspA.isEmpty());
      PretrainSettings changed = s;
      changed.steps = 77;
      changed.nsp = false;
      panel.setSettings(changed);
      QCOMPARE(demo_->section(QStringLiteral("pretrain")).value(QStringLiteral("steps")).toInt(),
               77);
    }
    PretrainPanel reopened(demo_.get());
    QCOMPARE(reopened.settings().steps, qint64(77));
    QCOMPARE(reopened.settings().nsp, false);
  }

  void runReportsProgressChartsProbesAndCheckpoints() {
    PretrainPanel panel(demo_.get());
    panel.setErrorDialogsEnabled(false);
    panel.resize(1400, 860);
    panel.show();
    panel.setSettings(smallRun(QStringLiteral("short-run"), kShortRunSteps));
    QSignalSpy progress(&panel, &PretrainPanel::progressed);
    QSignalSpy probes(&panel, &PretrainPanel::probesUpdated);
    QSignalSpy checkpoints(&panel, &PretrainPanel::checkpointListed);
    QSignalSpy ended(&panel, &PretrainPanel::runEnded);
    QSignalSpy states(&panel, &PretrainPanel::runStateChanged);
    bool grabbedMidRun = false;
    connect(&panel, &PretrainPanel::progressed, this, [&](qint64 step) {
      if (step == kShortRunSteps / 2 && !grabbedMidRun) {
        grabbedMidRun = true;
        panel.charts()->fitToData();
        saveScreenshot(panel, QStringLiteral("pretrain_panel_mid_run.png"));
      }
    });
    QElapsedTimer clock;
    clock.start();
    QVERIFY(panel.start());
    QVERIFY(panel.isRunning());
    QVERIFY(ended.wait(kRunTimeoutMs));
    QCOMPARE(ended.first().first().toString(), QStringLiteral("finished"));
    QVERIFY(panel.waitUntilStopped(kStopTimeoutMs));
    QVERIFY(!panel.isRunning());

    QCOMPARE(progress.size(), int(kShortRunSteps));  // logEvery 1: one report per step
    QCOMPARE(progress.last().first().toLongLong(), kShortRunSteps);
    TrainingCharts* charts = panel.charts();
    QCOMPARE(charts->pointCount(TrainingCharts::Series::TotalLoss), int(kShortRunSteps));
    QCOMPARE(charts->pointCount(TrainingCharts::Series::NspAccuracy), int(kShortRunSteps));
    QCOMPARE(charts->pointCount(TrainingCharts::Series::LearningRate), int(kShortRunSteps));
    // Throttled: no more than one replot per ~33 ms (+ the first and the last).
    const int replotBudget = static_cast<int>(clock.elapsed() / 33) + 2;
    QVERIFY2(
        charts->replotCount() <= replotBudget,
        qPrintable(
            QStringLiteral("%1 replots in %2 ms").arg(charts->replotCount()).arg(clock.elapsed())));
    // Probes before training and every 10 steps: 0, 10, 20, 30.
    QCOMPARE(probes.size(), int(kShortRunSteps / kProbeEvery + 1));
    QCOMPARE(panel.probes()->resultStep(), kShortRunSteps);
    QVERIFY2(panel.probes()->resultText().contains(QStringLiteral("P(B follows A)")),
             qPrintable(panel.probes()->resultText()));
    // Over time: a row per probe step (0, 10, 20, 30), the [MASK]'s guess and P(IsNext).
    QTableWidget* history = panel.probes()->historyTable();
    QCOMPARE(history->rowCount(), int(kShortRunSteps / kProbeEvery + 1));
    QCOMPARE(history->columnCount(), 3);
    QCOMPARE(history->item(0, 0)->text(), QStringLiteral("0"));
    QCOMPARE(history->item(history->rowCount() - 1, 0)->text(), QString::number(kShortRunSteps));
    QVERIFY(history->item(1, 1)->text().endsWith(QLatin1Char('%')));
    QVERIFY(history->item(1, 2)->text().endsWith(QLatin1Char('%')));
    QVERIFY(checkpoints.size() >= 1);
    QVERIFY2(panel.checkpointNames().contains(QStringLiteral("checkpoint-000030")),
             qPrintable(panel.checkpointNames().join(',')));
    const QStringList metrics =
        readLines(QDir(panel.currentRunFolder()).filePath(QStringLiteral("metrics.jsonl")));
    QCOMPARE(metrics.size(), int(kShortRunSteps));
    QCOMPARE(stepOfLine(metrics.last()), kShortRunSteps);
    QVERIFY(states.size() > 2);
    QVERIFY(!grabbedMidRun ||
            QFile::exists(
                QDir(screenshotFolder()).filePath(QStringLiteral("pretrain_panel_mid_run.png"))));

    // Exports, and this run overlaid as an earlier one.
    QTemporaryDir out;
    QVERIFY(charts->exportCsv(out.filePath(QStringLiteral("m.csv"))));
    QCOMPARE(readLines(out.filePath(QStringLiteral("m.csv"))).size(), int(kShortRunSteps) + 1);
    QVERIFY(charts->exportPng(out.filePath(QStringLiteral("c.png"))));
    QVERIFY(QFileInfo(out.filePath(QStringLiteral("c.png"))).size() > 0);
    QVERIFY(charts->addOverlay(panel.currentRunFolder()));
    QCOMPARE(charts->overlays().size(), 1);
    charts->removeOverlay(panel.currentRunFolder());
    QVERIFY(charts->overlays().isEmpty());
    charts->setLogScale(true);
    QVERIFY(charts->isLogScale());
    charts->replotNow();
    // Readable ticks over the loss's one decade: 1-2-5 steps, no exponents.
    const QStringList ticks = charts->lossTickLabels();
    QVERIFY2(ticks.size() >= 2 && !ticks.join(' ').contains(QLatin1Char('e')),
             qPrintable(ticks.join(' ')));
    charts->setLogScale(false);
    saveScreenshot(panel, QStringLiteral("pretrain_panel_after_run.png"));

    // After a restart the stage shows this run as it ended, not an empty chart.
    PretrainPanel reopened(demo_.get());
    QCOMPARE(reopened.currentRunFolder(), panel.currentRunFolder());
    QCOMPARE(reopened.charts()->pointCount(TrainingCharts::Series::TotalLoss), int(kShortRunSteps));
    QCOMPARE(reopened.currentStep(), kShortRunSteps);
    QVERIFY(!reopened.canResumeStoppedRun());  // finished: nothing to resume
    QVERIFY2(reopened.checkpointNames().contains(QStringLiteral("checkpoint-000030")),
             qPrintable(reopened.checkpointNames().join(',')));
  }

  void pauseHoldsThenStopSavesAndResumeContinues() {
    PretrainPanel panel(demo_.get());
    panel.setErrorDialogsEnabled(false);
    panel.setSettings(smallRun(QStringLiteral("paused-run"), kLongRunSteps));
    QSignalSpy progress(&panel, &PretrainPanel::progressed);
    QSignalSpy ended(&panel, &PretrainPanel::runEnded);
    QVERIFY(panel.start());
    QTRY_VERIFY_WITH_TIMEOUT(panel.currentStep() >= 3, kRunTimeoutMs);

    panel.pause();
    QTRY_VERIFY_WITH_TIMEOUT(panel.isPauseHolding(), kRunTimeoutMs);  // the step in flight landed
    QCoreApplication::processEvents();  // its report, posted before the loop came to rest
    const qint64 pausedAt = panel.currentStep();
    const qsizetype reportsAtPause = progress.size();
    // Nothing advances while paused: the loop would report a step within this window
    // (steps of this run take a few tens of milliseconds).
    QTest::qWait(kPausedObservationMs);
    QCOMPARE(panel.currentStep(), pausedAt);
    QCOMPARE(progress.size(), reportsAtPause);
    QVERIFY(panel.isPauseHolding());
    QVERIFY(panel.resume());
    QTRY_VERIFY_WITH_TIMEOUT(panel.currentStep() >= pausedAt + 3, kRunTimeoutMs);

    panel.requestStop();
    const qint64 stopRequestedAt = panel.currentStep();
    QVERIFY(panel.waitUntilStopped(kStopTimeoutMs));
    QCOMPARE(ended.last().first().toString(), QStringLiteral("stopped"));
    const qint64 stoppedAt = panel.currentStep();
    // The step in flight when Stop was pressed finishes; no further one starts. Reports
    // queued before the stop took effect may trail by one more.
    QVERIFY2(stoppedAt <= stopRequestedAt + 2,
             qPrintable(QStringLiteral("%1 → %2").arg(stopRequestedAt).arg(stoppedAt)));
    const QString checkpoint =
        QStringLiteral("checkpoint-%1").arg(stoppedAt, 6, 10, QLatin1Char('0'));
    QVERIFY2(panel.checkpointNames().contains(checkpoint),
             qPrintable(panel.checkpointNames().join(',')));
    const QDir saved(QDir(panel.currentRunFolder()).filePath(checkpoint));
    for (const char* file : {"config.json", "model.safetensors", "trainer_state.json", "vocab.txt"})
      QVERIFY2(saved.exists(QString::fromLatin1(file)), file);
    QFile state(saved.filePath(QStringLiteral("trainer_state.json")));
    QVERIFY(state.open(QIODevice::ReadOnly));
    QCOMPARE(qint64(QJsonDocument::fromJson(state.readAll())
                        .object()
                        .value(QStringLiteral("step"))
                        .toDouble()),
             stoppedAt);

    // Resume continues from that checkpoint: the next report is the next step. It continues
    // the run's own model, also when the Model stage has chosen another one meanwhile.
    QVERIFY(panel.canResumeStoppedRun());
    const bertwb::BertConfig workspaceModel = demo_->modelConfig();
    const QString workspacePreset = demo_->modelPreset();
    bertwb::BertConfig other = workspaceModel;
    other.num_hidden_layers += 1;
    demo_->setModelConfig(other, QStringLiteral("custom"));
    progress.clear();
    QVERIFY(panel.resume());
    QVERIFY2(progress.wait(kRunTimeoutMs), qPrintable(panel.errorText()));
    demo_->setModelConfig(workspaceModel, workspacePreset);
    QCOMPARE(progress.first().first().toLongLong(), stoppedAt + 1);
    QCOMPARE(panel.charts()->pointCount(TrainingCharts::Series::TotalLoss),
             int(stoppedAt + progress.size()));
    panel.requestStop();
    QVERIFY(panel.waitUntilStopped(kStopTimeoutMs));
    // One consistent history: every step once, in order.
    const QStringList metrics =
        readLines(QDir(panel.currentRunFolder()).filePath(QStringLiteral("metrics.jsonl")));
    for (int i = 0; i < metrics.size(); ++i) QCOMPARE(stepOfLine(metrics[i]), qint64(i + 1));
  }

  // The Masking & NSP tab's knobs are the run's data settings: the run records what it used,
  // and a resume asked to continue with other ones says which and from which step.
  void maskingTabSettingsAreTheRunsSettings() {
    MaskingPanel masking(demo_.get());
    PretrainPanel panel(demo_.get());
    panel.setErrorDialogsEnabled(false);
    connect(&panel, &PretrainPanel::runningChanged, demo_.get(), [this](bool running) {
      demo_->setModelLockedBy(running ? QStringLiteral("Pre-training") : QString());
    });
    PretrainSettings run = smallRun(QStringLiteral("masked-run"), kLongRunSteps);
    run.probeEvery = 0;
    panel.setSettings(run);
    QCOMPARE(masking.knobs()->options().maxSeqLength, 32);  // the form's length, shown there

    bertwb::PretrainingDataOptions knobs = masking.knobs()->options();
    knobs.maskedLmProb = 0.4;
    knobs.maskTokenShare = 0.5;
    knobs.randomTokenShare = 0.2;
    knobs.maxPredictionsPerSeq = 12;
    knobs.shortSeqProb = 0.3;
    knobs.wholeWordMask = true;
    masking.knobs()->setOptions(knobs);
    QCOMPARE(panel.settings().maskedLmProb, 0.4);  // the Training tab follows at once
    QCOMPARE(panel.settings().maxPredictionsPerSeq, 12);
    QVERIFY(panel.dataSummaryText().contains(QStringLiteral("40% of tokens")));

    QSignalSpy ended(&panel, &PretrainPanel::runEnded);
    QVERIFY(panel.start());
    QTRY_VERIFY_WITH_TIMEOUT(panel.currentStep() >= 2, kRunTimeoutMs);
    QVERIFY(!masking.knobs()->isEnabled());  // locked while the run uses them
    panel.requestStop();
    QVERIFY(panel.waitUntilStopped(kStopTimeoutMs));
    QVERIFY(masking.knobs()->isEnabled());
    const QStringList checkpoints =
        QDir(panel.currentRunFolder()).entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs);
    QVERIFY(!checkpoints.isEmpty());
    QFile state(QDir(panel.currentRunFolder())
                    .filePath(checkpoints.last() + QStringLiteral("/trainer_state.json")));
    QVERIFY(state.open(QIODevice::ReadOnly));
    const QJsonObject recorded = QJsonDocument::fromJson(state.readAll())
                                     .object()
                                     .value(QStringLiteral("run"))
                                     .toObject()
                                     .value(QStringLiteral("data"))
                                     .toObject();
    QCOMPARE(recorded.value(QStringLiteral("masked_lm_prob")).toDouble(), 0.4);
    QCOMPARE(recorded.value(QStringLiteral("mask_token_share")).toDouble(), 0.5);
    QCOMPARE(recorded.value(QStringLiteral("random_token_share")).toDouble(), 0.2);
    QCOMPARE(recorded.value(QStringLiteral("max_predictions_per_seq")).toInt(), 12);
    QCOMPARE(recorded.value(QStringLiteral("short_seq_prob")).toDouble(), 0.3);
    QCOMPARE(recorded.value(QStringLiteral("whole_word_mask")).toBool(), true);

    // After a restart the stopped run is offered again; with the knobs changed meanwhile it
    // cannot continue, and says why.
    knobs.maskedLmProb = 0.15;
    masking.knobs()->setOptions(knobs);
    PretrainPanel reopened(demo_.get());
    reopened.setErrorDialogsEnabled(false);
    QVERIFY(reopened.canResumeStoppedRun());
    QSignalSpy failed(&reopened, &PretrainPanel::failed);
    QVERIFY(reopened.resume());
    QVERIFY(failed.wait(kRunTimeoutMs));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("data.masked_lm_prob 0.4")) &&
                 message.contains(QStringLiteral("asks for 0.15")) &&
                 message.contains(QStringLiteral("(step ")),
             qPrintable(message));
    QVERIFY(reopened.waitUntilStopped(kStopTimeoutMs));
  }

  void brokenCorpusFailsCleanly_data() {
    QTest::addColumn<QByteArray>("corpus");
    QTest::addColumn<QString>("expected");
    // Undecodable lines are skipped (and counted): what is left is one document, too few for NSP.
    QTest::newRow("not UTF-8") << QByteArray("\xff\xfe\xfa\n\xc3\x28 broken\n")
                               << "at least two documents";
    QTest::newRow("empty file") << QByteArray() << "bad.txt') has no sentences";
  }
  void brokenCorpusFailsCleanly() {
    QFETCH(QByteArray, corpus);
    QFETCH(QString, expected);
    QTemporaryDir folder;
    std::unique_ptr<Workspace> workspace =
        Workspace::create(folder.filePath(QStringLiteral("ws")), QStringLiteral("broken"));
    for (const QString& name : QDir(demo_->tokenizerFolder()).entryList(QDir::Files))
      QVERIFY(QFile::copy(QDir(demo_->tokenizerFolder()).filePath(name),
                          QDir(workspace->tokenizerFolder()).filePath(name)));
    const QString corpusFile = QDir(workspace->corpusFolder()).filePath(QStringLiteral("bad.txt"));
    QFile file(corpusFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(corpus);
    file.close();

    PretrainPanel panel(workspace.get());
    panel.setErrorDialogsEnabled(false);
    panel.setSettings(smallRun(QStringLiteral("broken-run"), kShortRunSteps));
    QSignalSpy failed(&panel, &PretrainPanel::failed);
    QVERIFY(panel.start());
    QVERIFY(failed.wait(kRunTimeoutMs));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY(panel.errorText().contains(expected));
    QVERIFY(panel.waitUntilStopped(kStopTimeoutMs));
    QVERIFY(!panel.isRunning());
    QVERIFY(!panel.canResumeStoppedRun());

    // Usable again: with a good corpus the next start trains.
    QVERIFY(QFile::remove(corpusFile));
    QVERIFY(QFile::copy(demo_->corpusFiles().first(), corpusFile));
    PretrainSettings again = smallRun(QStringLiteral("fixed-run"), 3);
    again.probeEvery = 0;
    panel.setSettings(again);
    QSignalSpy ended(&panel, &PretrainPanel::runEnded);
    QVERIFY(panel.start());
    QVERIFY(ended.wait(kRunTimeoutMs));
    QCOMPARE(ended.first().first().toString(), QStringLiteral("finished"));
    QVERIFY(panel.errorText().isEmpty());
    QVERIFY(panel.waitUntilStopped(kStopTimeoutMs));
  }

 private:
  QTemporaryDir demoFolder_;
  std::unique_ptr<Workspace> demo_;
};

QTEST_MAIN(TestPretrainPanel)
#include "test_pretrain_panel.moc"
