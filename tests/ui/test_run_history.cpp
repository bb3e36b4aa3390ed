// The run history: runs listed from their folders (settings, progress, state, scores), the
// settings two runs differ in, and the dialog's table, settings view and "show" request.
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "runs/run_history.h"
#include "screenshots.h"
#include "shell/run_history_dialog.h"

using bertwb::ui::RunHistoryDialog;
using bertwb::ui::RunRecord;

namespace {

void write(const QString& path, const QByteArray& text) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(text);
}

}  // namespace

class TestRunHistory : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString runs_, finetuned_;

 private Q_SLOTS:
  void initTestCase() {
    runs_ = dir_.filePath(QStringLiteral("runs"));
    finetuned_ = dir_.filePath(QStringLiteral("finetuned"));
    // A pre-training run stopped at step 20, with the engine's record in its checkpoint.
    const QString stopped = runs_ + QStringLiteral("/run-a");
    write(stopped + QStringLiteral("/metrics.jsonl"),
          "{\"step\":10,\"loss\":7.5,\"elapsed_seconds\":3.0,\"mlm_accuracy\":0.05,"
          "\"nsp_accuracy\":0.5}\n"
          "{\"step\":20,\"loss\":6.25,\"elapsed_seconds\":6.5,\"mlm_accuracy\":0.125,"
          "\"nsp_accuracy\":0.75}\n");
    write(stopped + QStringLiteral("/run_settings.json"),
          "{\"kind\":\"pretraining\",\"settings\":{\"learningRate\":0.002,\"steps\":1000,"
          "\"maskedLmProb\":0.15},\"device\":\"cpu\",\"precision\":\"fp32\","
          "\"model\":{\"num_hidden_layers\":2,\"hidden_size\":128}}");
    write(stopped + QStringLiteral("/checkpoint-000020/trainer_state.json"),
          "{\"step\":20,\"run\":{\"batch_size\":32,\"data\":{\"masked_lm_prob\":0.15}}}");
    // A finished fine-tuning run with its scores.
    const QString tuned = finetuned_ + QStringLiteral("/sentiment-1");
    write(tuned + QStringLiteral("/metrics.jsonl"),
          "{\"step\":100,\"loss\":0.1,\"elapsed_seconds\":12.0}\n"
          "{\"step\":100,\"eval\":true,\"main_metric\":\"accuracy\",\"accuracy\":0.95}\n");
    write(tuned + QStringLiteral("/run_settings.json"),
          "{\"kind\":\"finetuning\",\"settings\":{\"task\":\"classify\",\"learningRate\":0.001,"
          "\"epochs\":5},\"device\":\"cpu\",\"precision\":\"bf16\"}");
    write(tuned + QStringLiteral("/eval_results.json"),
          "{\"best\":{\"main_metric\":\"accuracy\",\"accuracy\":0.95},\"best_step\":100}");
    write(tuned + QStringLiteral("/model.safetensors"), "x");
    // Not runs: an empty folder and a stray file.
    QDir().mkpath(finetuned_ + QStringLiteral("/empty"));
    write(runs_ + QStringLiteral("/notes.txt"), "hello");
  }

  void runsAreReadFromTheirFolders() {
    const QVector<RunRecord> runs = bertwb::ui::listRuns(runs_, finetuned_);
    QCOMPARE(runs.size(), 2);
    const RunRecord* pretraining = nullptr;
    const RunRecord* finetuning = nullptr;
    for (const RunRecord& run : runs)
      (run.kind == RunRecord::Kind::Pretraining ? pretraining : finetuning) = &run;
    QVERIFY(pretraining && finetuning);
    QCOMPARE(pretraining->name, QStringLiteral("run-a"));
    QCOMPARE(pretraining->state, QStringLiteral("stopped"));
    QCOMPARE(pretraining->step, qint64(20));
    QCOMPARE(pretraining->seconds, 6.5);
    QCOMPARE(pretraining->lastLoss, 6.25);
    QCOMPARE(pretraining->score, QStringLiteral("MLM 12.5% · NSP 75.0%"));
    QCOMPARE(pretraining->settings.value(QStringLiteral("learningRate")), QStringLiteral("0.002"));
    QCOMPARE(pretraining->settings.value(QStringLiteral("model.hidden_size")),
             QStringLiteral("128"));
    QCOMPARE(pretraining->settings.value(QStringLiteral("engine.data.masked_lm_prob")),
             QStringLiteral("0.15"));
    QCOMPARE(finetuning->state, QStringLiteral("finished"));
    QCOMPARE(finetuning->task, QStringLiteral("classify"));
    QCOMPARE(finetuning->score, QStringLiteral("accuracy 0.9500 (best, step 100)"));

    const auto difference = bertwb::ui::settingsDifference(*pretraining, *finetuning);
    QCOMPARE(difference.value(QStringLiteral("learningRate")),
             qMakePair(QStringLiteral("0.002"), QStringLiteral("0.001")));
    QCOMPARE(difference.value(QStringLiteral("epochs")).first, QStringLiteral("—"));
    QVERIFY(!difference.contains(QStringLiteral("device")));  // both "cpu"
  }

  void theDialogShowsSettingsComparesAndOpensARun() {
    RunHistoryDialog dialog(runs_, finetuned_);
    QCOMPARE(dialog.runTable()->rowCount(), 2);
    const QString stopped = runs_ + QStringLiteral("/run-a");
    const QString tuned = finetuned_ + QStringLiteral("/sentiment-1");
    dialog.selectRuns({stopped});
    QVERIFY(dialog.settingsTitle().contains(QStringLiteral("run-a")));
    QVERIFY(dialog.settingsTable()->rowCount() >= 6);
    QSignalSpy shown(&dialog, &RunHistoryDialog::showRunRequested);
    for (QPushButton* button : dialog.findChildren<QPushButton*>())
      if (button->text() == QStringLiteral("Show in Its Stage")) button->click();
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.first().first().toString(), stopped);

    dialog.selectRuns({stopped, tuned});
    QVERIFY2(dialog.settingsTitle().contains(QStringLiteral("differ in")),
             qPrintable(dialog.settingsTitle()));
    QCOMPARE(dialog.settingsTable()->columnCount(), 3);
    QStringList keys;
    for (int row = 0; row < dialog.settingsTable()->rowCount(); ++row)
      keys << dialog.settingsTable()->item(row, 0)->text();
    QVERIFY(keys.contains(QStringLiteral("learningRate")));
    QVERIFY(!keys.contains(QStringLiteral("device")));  // the same in both: hidden
    dialog.resize(1000, 560);
    bertwb::test::saveScreenshot(dialog, QStringLiteral("run-history.png"));
  }
};

QTEST_MAIN(TestRunHistory)
#include "test_run_history.moc"
