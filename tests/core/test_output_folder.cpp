// The output-folder policy and the run-folder lock: what a folder holds is read from its
// manifests (never from a file name alone); a command writes only into a folder that is new,
// empty, or its own kind of output the user asked to continue or replace, and refuses
// everything else with a message naming the folder, what it holds and the flag; a second lock
// on a folder is refused naming the holder, and the lock dies with its holder.
#include <sys/resource.h>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "io/output_folder.h"
#include "runtime/process_signals.h"
#include "test_support.h"
#include "util/atomic_file.h"
#include "util/folder_lock.h"

using namespace bertwb;
using bertwb::test::errorOf;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

}  // namespace

class TestOutputFolder : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  int folders_ = 0;
  fs::path fresh() {
    return fs::path(dir_.path().toStdString()) / ("f" + std::to_string(++folders_));
  }

  // A folder of each kind, as the commands leave them.
  fs::path pretrainingRun() {
    const fs::path f = fresh();
    writeText(f / "metrics.jsonl", R"({"step": 10, "loss": 7.1, "mlm_loss": 6.4})"
                                   "\n");
    writeText(f / "checkpoint-000010" / "trainer_state.json",
              R"({"step": 10, "run": {"objective": "pretraining"}})");
    return f;
  }
  fs::path finetuningRun() {
    const fs::path f = fresh();
    writeText(f / "metrics.jsonl", R"({"step": 5, "loss": 0.6})"
                                   "\n"
                                   R"({"step": 5, "eval": true, "accuracy": 0.9})"
                                   "\n");
    writeText(f / "best" / "config.json", R"({"hidden_size": 32, "num_hidden_layers": 2})");
    return f;
  }
  fs::path model() {
    const fs::path f = fresh();
    writeText(
        f / "config.json",
        R"({"architectures": ["BertForPreTraining"], "hidden_size": 32, "num_hidden_layers": 2})");
    writeText(f / "model.safetensors", "x");
    writeText(f / "vocab.txt", "[PAD]\n");
    return f;
  }
  fs::path someonesFiles() {
    const fs::path f = fresh();
    writeText(f / "thesis.tex", "keep me");
    return f;
  }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  // Issue 19, item 6: a write past the file-size limit used to kill the process with
  // SIGXFSZ, without a word. Now it is an error naming the file, and the old file stays.
  void aWritePastTheFileSizeLimitIsAnErrorAndKeepsTheOldFile() {
    reportOversizedWritesAsErrors();
    const std::string path = dir_.filePath("limited.txt").toStdString();
    writeFileAtomically(path, std::string("the old contents\n"));
    rlimit old{};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &old), 0);
    rlimit low = old;
    low.rlim_cur = 4096;
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &low), 0);
    const QString error = errorOf([&] { writeFileAtomically(path, std::string(100000, 'x')); });
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &old), 0);
    QVERIFY2(error.contains(QString::fromStdString(path)) &&
                 error.contains(QStringLiteral("file-size limit")),
             qPrintable(error));
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    QCOMPARE(line, std::string("the old contents"));
    // No temporary file is left beside it.
    QCOMPARE(QDir(dir_.path())
                 .entryList(QStringList{QStringLiteral(".limited.txt.tmp-*")},
                            QDir::Files | QDir::Hidden)
                 .size(),
             0);
  }

  void inspectionReadsManifests() {
    QCOMPARE(inspectFolder(fresh().string()).holds, FolderHolds::Nothing);
    const fs::path empty = fresh();
    fs::create_directories(empty);
    writeText(empty / kFolderLockFile, "");  // a lock file alone is still empty
    QCOMPARE(inspectFolder(empty.string()).holds, FolderHolds::Empty);
    QCOMPARE(inspectFolder(pretrainingRun().string()).holds, FolderHolds::PretrainingRun);
    QCOMPARE(inspectFolder(finetuningRun().string()).holds, FolderHolds::FinetuningRun);
    const FolderInspection m = inspectFolder(model().string());
    QCOMPARE(m.holds, FolderHolds::Model);
    QVERIFY2(QString::fromStdString(m.description).contains("BertForPreTraining"),
             m.description.c_str());
    const fs::path tokenizer = fresh();
    writeText(tokenizer / "vocab.txt", "[PAD]\n");
    QCOMPARE(inspectFolder(tokenizer.string()).holds, FolderHolds::Tokenizer);
    const fs::path workspace = fresh();
    writeText(workspace / "workspace.json",
              R"({"format": "bert-workbench-workspace", "version": 1})");
    QCOMPARE(inspectFolder(workspace.string()).holds, FolderHolds::Workspace);
    const fs::path demo = fresh();
    writeText(demo / "demo-world.json", R"({"format": "bert-workbench-demo-world", "version": 1})");
    QCOMPARE(inspectFolder(demo.string()).holds, FolderHolds::DemoWorld);
    // Names alone prove nothing: a corpus.json that is not a corpus manifest, a workspace.json
    // of another format.
    const fs::path fakeCorpus = fresh();
    writeText(fakeCorpus / "corpus.json", R"({"mine": true})");
    QCOMPARE(inspectFolder(fakeCorpus.string()).holds, FolderHolds::Other);
    const fs::path fakeWorkspace = fresh();
    writeText(fakeWorkspace / "workspace.json", R"({"format": "vscode"})");
    QCOMPARE(inspectFolder(fakeWorkspace.string()).holds, FolderHolds::Other);
    const FolderInspection other = inspectFolder(someonesFiles().string());
    QCOMPARE(other.holds, FolderHolds::Other);
    QVERIFY(QString::fromStdString(other.description).contains("thesis.tex"));
  }

  void claimsFollowTheRules() {
    // New or empty: always.
    claimOutputFolder(fresh().string(), OutputKind::FinetuningRun, {});
    // Someone's files: never, whatever the flags, and the message says where and what.
    const fs::path theirs = someonesFiles();
    for (const OutputKind kind :
         {OutputKind::PretrainingRun, OutputKind::FinetuningRun, OutputKind::Model,
          OutputKind::Tokenizer, OutputKind::PreparedCorpus, OutputKind::DemoWorld,
          OutputKind::FeatureVectors}) {
      const QString refused = errorOf([&] {
        claimOutputFolder(theirs.string(), kind, {true, true});
      });
      QVERIFY2(refused.contains(QString::fromStdString(theirs.string())) &&
                   refused.contains("thesis.tex"),
               qPrintable(refused));
    }
    // A pre-training run is continued with --resume, never replaced.
    const fs::path run = pretrainingRun();
    QVERIFY(errorOf([&] {
              claimOutputFolder(run.string(), OutputKind::PretrainingRun, {});
            }).contains("--resume"));
    QVERIFY(errorOf([&] {
              claimOutputFolder(run.string(), OutputKind::PretrainingRun, {false, true});
            }).contains("--resume"));
    claimOutputFolder(run.string(), OutputKind::PretrainingRun, {true, false});
    // A fine-tuning run, or a model, is replaced by fine-tuning only with --force.
    const fs::path tuned = finetuningRun();
    QVERIFY(errorOf([&] {
              claimOutputFolder(tuned.string(), OutputKind::FinetuningRun, {});
            }).contains("--force"));
    claimOutputFolder(tuned.string(), OutputKind::FinetuningRun, {false, true});
    const fs::path pretrained = model();
    QVERIFY(errorOf([&] {
              claimOutputFolder(pretrained.string(), OutputKind::FinetuningRun, {});
            }).contains("--force"));
    claimOutputFolder(pretrained.string(), OutputKind::FinetuningRun, {false, true});
    // A vocabulary never goes into a model's folder, not even with --force.
    QVERIFY(!errorOf([&] {
               claimOutputFolder(pretrained.string(), OutputKind::Tokenizer, {false, true});
             }).isEmpty());
    // Pre-training never writes into a fine-tuned model's folder.
    QVERIFY(!errorOf([&] {
               claimOutputFolder(tuned.string(), OutputKind::PretrainingRun, {true, true});
             }).isEmpty());
    // Files: replaced only with --force; a folder where a file should be is refused.
    const fs::path file = fresh();
    writeText(file, "keep");
    QVERIFY(errorOf([&] { claimOutputFile(file.string(), false); }).contains("--force"));
    claimOutputFile(file.string(), true);
    QVERIFY(errorOf([&] { claimOutputFile(run.string(), true); }).contains("folder"));
  }

  void aSecondLockIsRefusedNamingTheHolder() {
    const fs::path folder = fresh();
    {
      const auto first = FolderLock::acquire(folder.string(), "pre-training test");
      const QString refused =
          errorOf([&] { FolderLock::acquire(folder.string(), "a second run"); });
      QVERIFY2(refused.contains("in use by process " +
                                QString::number(QCoreApplication::applicationPid())) &&
                   refused.contains("pre-training test"),
               qPrintable(refused));
    }
    // Released with its holder: the next run takes it.
    const auto again = FolderLock::acquire(folder.string(), "the next run");
    QVERIFY(again != nullptr);
    // The lock file does not make the folder anyone's.
    QCOMPARE(inspectFolder(folder.string()).holds, FolderHolds::Empty);
  }

  // A run refused after taking its lock (a missing input, say) must not leave an empty folder;
  // one that wrote anything keeps it, and a folder that was there before is never removed.
  void aFolderTheLockCreatedGoesAwayWhenUnused() {
    const fs::path unused = fresh() / "new-run";
    FolderLock::acquire(unused.string(), "refused run");
    QVERIFY(!fs::exists(unused));

    const fs::path used = fresh() / "written-run";
    {
      const auto lock = FolderLock::acquire(used.string(), "run that wrote");
      std::ofstream(used / "metrics.jsonl") << "{}\n";
    }
    QVERIFY(fs::exists(used / "metrics.jsonl"));

    const fs::path existing = fresh();
    fs::create_directories(existing);
    FolderLock::acquire(existing.string(), "run in an empty folder");
    QVERIFY(fs::is_directory(existing));
  }
};

QTEST_GUILESS_MAIN(TestOutputFolder)
#include "test_output_folder.moc"
