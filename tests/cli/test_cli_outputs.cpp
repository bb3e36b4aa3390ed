// The CLI as a user runs it, about what it writes: every command that writes refuses a folder
// (or file) holding someone else's files and leaves it as it was; a model is never replaced
// without --force and a vocabulary never goes into a model's folder; a second run on a busy
// folder is refused naming the first; SIGHUP stops a run like Ctrl-C, with a checkpoint, and
// an interrupted run exits non-zero so `pretrain && finetune` stops there.
#include <signal.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

constexpr int kCommandTimeoutMs = 120000;
constexpr int kInterruptedExitCode = 130;  // run_interruption.h

struct Result {
  int exitCode = -1;
  QString output;  // stdout and stderr together
};

Result runCli(const QStringList& arguments) {
  QProcess process;
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start(QStringLiteral(BERTWB_CLI), arguments);
  if (!process.waitForFinished(kCommandTimeoutMs)) process.kill();
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAll())};
}

void writeFile(const QString& path, const QByteArray& bytes) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile file(path);
  QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
  file.write(bytes);
}

QByteArray readFile(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Every entry under `folder` with its bytes: to see that nothing changed.
QMap<QString, QByteArray> snapshot(const QString& folder) {
  QMap<QString, QByteArray> files;
  QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString path = it.next();
    files[QDir(folder).relativeFilePath(path)] = readFile(path);
  }
  return files;
}

}  // namespace

class TestCliOutputs : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString demo_, tokenizer_, model_;

  QString path(const QString& name) const { return dir_.filePath(name); }

  // A folder with someone's file in it.
  QString theirs(const QString& name) {
    const QString folder = path(name);
    writeFile(folder + QStringLiteral("/thesis.tex"), "keep me");
    return folder;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    demo_ = path(QStringLiteral("demo"));
    tokenizer_ = path(QStringLiteral("tok"));
    model_ = path(QStringLiteral("model"));
    Result r = runCli({QStringLiteral("demo-data"), QStringLiteral("--out"), demo_});
    QVERIFY2(r.exitCode == 0, qPrintable(r.output));
    r = runCli({QStringLiteral("train-tokenizer"), QStringLiteral("--input"),
                demo_ + QStringLiteral("/corpus/pretrain.txt"), QStringLiteral("--vocab-size"),
                QStringLiteral("2000"), QStringLiteral("--out"), tokenizer_});
    QVERIFY2(r.exitCode == 0, qPrintable(r.output));
    r = runCli({QStringLiteral("init"), QStringLiteral("--preset"), QStringLiteral("tiny"),
                QStringLiteral("--tokenizer"), tokenizer_, QStringLiteral("--out"), model_});
    QVERIFY2(r.exitCode == 0, qPrintable(r.output));
  }

  void everyWritingCommandRefusesSomeonesFolder_data() {
    QTest::addColumn<QStringList>("arguments");  // %OUT stands for the folder
    const QString corpus = demo_ + QStringLiteral("/corpus/pretrain.txt");
    const QString tasks = demo_ + QStringLiteral("/tasks/sentiment/");
    QTest::newRow("demo-data") << QStringList{"demo-data", "--force", "--out", "%OUT"};
    QTest::newRow("train-tokenizer") << QStringList{
        "train-tokenizer", "--input", corpus, "--vocab-size", "500", "--force", "--out", "%OUT"};
    QTest::newRow("prepare-corpus")
        << QStringList{"prepare-corpus", "--input", corpus,  "--checkpoint",
                       tokenizer_,       "--force", "--out", "%OUT"};
    QTest::newRow("init") << QStringList{"init", "--preset", "tiny", "--force", "--out", "%OUT"};
    QTest::newRow("pretrain") << QStringList{"pretrain", "--demo", "--steps", "1",
                                             "--resume", "--out",  "%OUT"};
    QTest::newRow("finetune") << QStringList{"finetune",
                                             "--task",
                                             "classify",
                                             "--train",
                                             tasks + "train.tsv",
                                             "--dev",
                                             tasks + "dev.tsv",
                                             "--checkpoint",
                                             model_,
                                             "--force",
                                             "--out",
                                             "%OUT"};
    QTest::newRow("extract-features")
        << QStringList{"extract-features", "--checkpoint", model_, "--input", corpus,
                       "--force",          "--output",     "%OUT"};
  }

  void everyWritingCommandRefusesSomeonesFolder() {
    QFETCH(QStringList, arguments);
    const QString folder = theirs(QStringLiteral("theirs-") + QTest::currentDataTag());
    arguments.replaceInStrings(QStringLiteral("%OUT"), folder);
    const auto before = snapshot(folder);
    const Result r = runCli(arguments);
    QVERIFY2(r.exitCode != 0, qPrintable(r.output));
    QVERIFY2(r.output.contains(folder) && r.output.contains(QStringLiteral("thesis.tex")),
             qPrintable(r.output));
    QCOMPARE(snapshot(folder), before);  // even with --force or --resume, nothing touched
  }

  // Issue 19, item 8: impossible numbers are refused at once, naming the flag, and nothing is
  // written (CLI11's PositiveNumber alone lets NaN through).
  void impossibleNumbersAreRefusedByName_data() {
    QTest::addColumn<QStringList>("arguments");  // %OUT stands for a new folder
    QTest::addColumn<QString>("flag");
    const QString tasks = demo_ + QStringLiteral("/tasks/sentiment/");
    const QStringList pretrain{"pretrain", "--demo", "--out", "%OUT"};
    const QStringList finetune{
        "finetune", "--task",          "classify",     "--train", tasks + "train.tsv",
        "--dev",    tasks + "dev.tsv", "--checkpoint", model_,    "--out",
        "%OUT"};
    QTest::newRow("steps 0") << pretrain + QStringList{"--steps", "0"} << "--steps";
    QTest::newRow("steps -5") << pretrain + QStringList{"--steps", "-5"} << "--steps";
    QTest::newRow("lr nan") << pretrain + QStringList{"--lr", "nan"} << "--lr";
    QTest::newRow("lr -1") << pretrain + QStringList{"--lr", "-1"} << "--lr";
    QTest::newRow("clip-norm -1") << pretrain + QStringList{"--clip-norm", "-1"} << "--clip-norm";
    QTest::newRow("save-every -5")
        << pretrain + QStringList{"--save-every", "-5"} << "--save-every";
    QTest::newRow("warmup-steps -1")
        << pretrain + QStringList{"--warmup-steps", "-1"} << "--warmup-steps";
    QTest::newRow("threads 100000") << pretrain + QStringList{"--threads", "100000"} << "--threads";
    QTest::newRow("finetune lr inf") << finetune + QStringList{"--lr", "inf"} << "--lr";
    QTest::newRow("finetune n-best 0") << finetune + QStringList{"--n-best", "0"} << "--n-best";
  }

  void impossibleNumbersAreRefusedByName() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, flag);
    const QString out = path(QStringLiteral("refused-") + QTest::currentDataTag());
    arguments.replaceInStrings(QStringLiteral("%OUT"), out);
    const Result r = runCli(arguments);
    QVERIFY2(r.exitCode != 0, qPrintable(r.output));
    QVERIFY2(r.output.contains(flag), qPrintable(r.output));
    QVERIFY2(!QFileInfo::exists(out), qPrintable(out));
  }

  // Issue 19, item 6: output into a pipe whose reader has gone (`| head -n 1`) ends the
  // command quietly: no error message, no hang.
  void aClosedOutputPipeEndsQuietly_data() {
    QTest::addColumn<QString>("command");
    QTest::newRow("tokenize (no LibTorch)")
        << QStringLiteral("tokenize --vocab '%1/vocab.txt'").arg(tokenizer_);
    QTest::newRow("predict (the LibTorch engine)")
        << QStringLiteral("predict --checkpoint '%1' --task fill-mask").arg(model_);
  }
  void aClosedOutputPipeEndsQuietly() {
    QFETCH(QString, command);
    const QString errors = path(QStringLiteral("pipe-errors.txt"));
    QProcess shell;
    shell.start(
        QStringLiteral("/bin/bash"),
        {QStringLiteral("-c"), QStringLiteral("yes '{\"text\": \"the people of the [MASK] .\"}' | "
                                              "head -n 3000 | '%1' %2 2>'%3' | head -n 1")
                                   .arg(QStringLiteral(BERTWB_CLI), command, errors)});
    QVERIFY(shell.waitForFinished(kCommandTimeoutMs));
    QVERIFY2(!shell.readAllStandardOutput().trimmed().isEmpty(), "no first line");
    QCOMPARE(
        QString::fromUtf8(readFile(errors)).remove(QRegularExpression("^predicting on [^\n]*\n")),
        QString());
  }

  void fileOutputsAreReplacedOnlyWithForce() {
    const QString existing = path(QStringLiteral("existing.jsonl"));
    writeFile(existing, "mine\n");
    const QString corpus = demo_ + QStringLiteral("/corpus/pretrain.txt");
    const Result r =
        runCli({QStringLiteral("create-pretraining-data"), QStringLiteral("--input"), corpus,
                QStringLiteral("--checkpoint"), tokenizer_, QStringLiteral("--output"), existing});
    QVERIFY2(r.exitCode != 0 && r.output.contains(QStringLiteral("--force")), qPrintable(r.output));
    QCOMPARE(readFile(existing), QByteArray("mine\n"));
  }

  void aModelIsNeverReplacedByAccident() {
    const auto before = snapshot(model_);
    const QString tasks = demo_ + QStringLiteral("/tasks/sentiment/");
    // finetune --out the very checkpoint it starts from
    Result r =
        runCli({QStringLiteral("finetune"), QStringLiteral("--task"), QStringLiteral("classify"),
                QStringLiteral("--train"), tasks + QStringLiteral("train.tsv"),
                QStringLiteral("--dev"), tasks + QStringLiteral("dev.tsv"),
                QStringLiteral("--checkpoint"), model_, QStringLiteral("--out"), model_});
    QVERIFY2(r.exitCode != 0 && r.output.contains(QStringLiteral("--force")), qPrintable(r.output));
    // train-tokenizer into a model's folder: refused even with --force (the model would read wrong
    // ids)
    r = runCli({QStringLiteral("train-tokenizer"), QStringLiteral("--input"),
                demo_ + QStringLiteral("/corpus/pretrain.txt"), QStringLiteral("--vocab-size"),
                QStringLiteral("500"), QStringLiteral("--force"), QStringLiteral("--out"), model_});
    QVERIFY2(r.exitCode != 0, qPrintable(r.output));
    // pretrain --out a model folder
    r = runCli({QStringLiteral("pretrain"), QStringLiteral("--demo"), QStringLiteral("--steps"),
                QStringLiteral("1"), QStringLiteral("--out"), model_});
    QVERIFY2(r.exitCode != 0, qPrintable(r.output));
    QCOMPARE(snapshot(model_), before);
    // prepare-corpus into a folder whose corpus.json is not a corpus's
    const QString fake = path(QStringLiteral("fake-corpus"));
    writeFile(fake + QStringLiteral("/corpus.json"), "{\"mine\": true}");
    r = runCli({QStringLiteral("prepare-corpus"), QStringLiteral("--input"),
                demo_ + QStringLiteral("/corpus/pretrain.txt"), QStringLiteral("--checkpoint"),
                tokenizer_, QStringLiteral("--force"), QStringLiteral("--out"), fake});
    QVERIFY2(r.exitCode != 0, qPrintable(r.output));
    QCOMPARE(readFile(fake + QStringLiteral("/corpus.json")), QByteArray("{\"mine\": true}"));
  }

  // A run stopped by SIGHUP (a closed terminal) saves a checkpoint and exits 130; meanwhile a
  // second run on the same folder is refused naming the first; --resume then continues.
  void hangupStopsARunAndASecondRunIsRefused() {
    const QString run = path(QStringLiteral("run"));
    QProcess first;
    first.setProcessChannelMode(QProcess::MergedChannels);
    first.start(QStringLiteral(BERTWB_CLI),
                {QStringLiteral("pretrain"), QStringLiteral("--demo"), QStringLiteral("--steps"),
                 QStringLiteral("100000"), QStringLiteral("--log-every"), QStringLiteral("1"),
                 QStringLiteral("--out"), run});
    QVERIFY(first.waitForStarted());
    // Wait until it trains (its metrics.jsonl has a line).
    QTRY_VERIFY_WITH_TIMEOUT(!readFile(run + QStringLiteral("/metrics.jsonl")).isEmpty(),
                             kCommandTimeoutMs);
    const Result second =
        runCli({QStringLiteral("pretrain"), QStringLiteral("--demo"), QStringLiteral("--steps"),
                QStringLiteral("10"), QStringLiteral("--resume"), QStringLiteral("--out"), run});
    QVERIFY2(second.exitCode != 0 && second.output.contains(QStringLiteral("in use by process ") +
                                                            QString::number(first.processId())),
             qPrintable(second.output));
    ::kill(static_cast<pid_t>(first.processId()), SIGHUP);
    QVERIFY(first.waitForFinished(kCommandTimeoutMs));
    const QString output = QString::fromUtf8(first.readAll());
    QCOMPARE(first.exitCode(), kInterruptedExitCode);
    QVERIFY2(output.contains(QStringLiteral("stopped at step")), qPrintable(output));
    QVERIFY(!QDir(run).entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs).isEmpty());
    // The lock died with its process: the run continues from its checkpoint.
    const QStringList checkpoints =
        QDir(run).entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs, QDir::Name);
    const qint64 stoppedAt =
        checkpoints.last().mid(QStringLiteral("checkpoint-").size()).toLongLong();
    const Result resumed = runCli({QStringLiteral("pretrain"), QStringLiteral("--demo"),
                                   QStringLiteral("--steps"), QString::number(stoppedAt + 2),
                                   QStringLiteral("--resume"), QStringLiteral("--out"), run});
    QVERIFY2(resumed.exitCode == 0 && resumed.output.contains(QStringLiteral("resuming from")),
             qPrintable(resumed.output));
  }
};

QTEST_GUILESS_MAIN(TestCliOutputs)
#include "test_cli_outputs.moc"
