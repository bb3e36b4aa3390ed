// Issue 19, items 3 and 7: where a file is expected only a regular file is opened, without
// ever blocking (a FIFO waited forever for a writer; /dev/zero read until memory ran out);
// files read whole stop at the cap of their kind; and code (the SentencePiece plugin and its
// trainer) is loaded only from a path no other user could have put there.
#include <sys/stat.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <string>

#include "model/bert_config.h"
#include "tasks/task_file.h"
#include "test_support.h"
#include "text/spm_library.h"
#include "text/vocab.h"
#include "util/error.h"
#include "util/mapped_file.h"
#include "util/regular_file.h"
#include "util/trusted_path.h"

using namespace bertwb;
using bertwb::test::errorOf;

namespace {

std::string makeFifo(const QTemporaryDir& dir, const char* name) {
  const std::string path = dir.filePath(name).toStdString();
  if (::mkfifo(path.c_str(), 0600) != 0) qFatal("mkfifo failed");
  return path;
}

bool contains(const QString& text, const char* part) {
  return text.contains(QLatin1String(part));
}

}  // namespace

class TestFileRules : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // Each reader would block in open() on the FIFO before this rule: reaching the checks at
  // all is the test.
  void aFifoIsRefusedWithoutWaitingForAWriter() {
    QTemporaryDir dir;
    const std::string fifo = makeFifo(dir, "config.json");
    for (const QString& error :
         {errorOf([&] { readRegularFile(fifo, kConfigFile); }),
          errorOf([&] { openRegularFile(fifo, "task file"); }),
          errorOf([&] { MappedFile mapped(fifo); }), errorOf([&] { loadConfigFile(fifo); }),
          errorOf([&] { tasks::openTaskFile(fifo); }), errorOf([&] { tasks::readTaskFile(fifo); }),
          errorOf([&] { Vocab::fromFile(fifo); })}) {
      QVERIFY2(error.contains(QString::fromStdString(fifo)), qPrintable(error));
      QVERIFY2(contains(error, "FIFO") || contains(error, "not a regular file"), qPrintable(error));
    }
    QVERIFY(contains(errorOf([&] { loadConfigFile(fifo); }), "give the model config's path"));
  }

  void devicesAndFoldersAreNotFiles() {
    QTemporaryDir dir;
    const QString zero = errorOf([] { readRegularFile("/dev/zero", kConfigFile); });
    QVERIFY2(contains(zero, "'/dev/zero' is a character device, not a file"), qPrintable(zero));
    QVERIFY(contains(errorOf([] { tasks::openTaskFile("/dev/zero"); }), "character device"));
    const std::string folder = dir.path().toStdString();
    QVERIFY(contains(errorOf([&] { readRegularFile(folder, kAnyFile); }), "is a folder"));
    QVERIFY(contains(errorOf([&] { loadConfigFile(folder); }), "is a folder"));
    const QString missing = errorOf([&] { requireRegularFile(folder + "/none.json", "recipe"); });
    QVERIFY2(contains(missing, "cannot open recipe") && contains(missing, "No such file"),
             qPrintable(missing));
  }

  void aFileLargerThanItsKindIsRefusedBeforeItIsRead() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("config.json").toStdString();
    std::ofstream(path) << std::string(2000, ' ') << "{}";
    const FileKind small{"model config", 1024};
    const QString error = errorOf([&] { readRegularFile(path, small); });
    QVERIFY2(contains(error,
                      "is 2.0 KiB, larger than any model config should be (at most "
                      "1.0 KiB)"),
             qPrintable(error));
    QCOMPARE(readRegularFile(path, kConfigFile).size(), size_t(2002));
    // A sparse 20 MB config is never read into memory.
    const std::string sparse = dir.filePath("huge.json").toStdString();
    std::ofstream(sparse).close();
    QCOMPARE(::truncate(sparse.c_str(), 20 << 20), 0);
    QVERIFY(contains(errorOf([&] { loadConfigFile(sparse); }), "larger than any model config"));
  }

  void onlyPathsNoOtherUserControlsAreTrusted() {
    QTemporaryDir dir;  // 0700, ours, under root's sticky /tmp
    const std::string plugin = dir.filePath("libbertwb_spm.so").toStdString();
    std::ofstream(plugin) << "not an ELF file";
    ::chmod(plugin.c_str(), 0644);
    QCOMPARE(QString::fromStdString(untrustedReason(plugin)), QString());

    ::chmod(plugin.c_str(), 0664);
    QCOMPARE(QString::fromStdString(untrustedReason(plugin)),
             QString::fromStdString(plugin + " is writable by its group"));
    ::chmod(plugin.c_str(), 0644);
    // A folder above it that anyone may write: anyone could have put the file there.
    ::chmod(dir.path().toLocal8Bit().constData(), 0777);
    QCOMPARE(QString::fromStdString(untrustedReason(plugin)),
             dir.path() + " is writable by every user");
    // The loader passes it over with that reason and never opens it.
    const QString refused = errorOf([&] { loadSpmLibraryFrom({plugin}); });
    QVERIFY2(contains(refused, "(not loaded: ") && contains(refused, "writable by every user") &&
                 !contains(refused, "cannot be loaded"),
             qPrintable(refused));
    ::chmod(dir.path().toLocal8Bit().constData(), 0700);
    // The same for the trainer, which would be run.
    const std::string trainer = dir.filePath("bertwb-spm-train").toStdString();
    std::ofstream(trainer) << "#!/bin/sh\n";
    ::chmod(trainer.c_str(), 0757);
    QVERIFY(contains(errorOf([&] { findSpmTrainerFrom({trainer}); }), "(not run: "));
    ::chmod(trainer.c_str(), 0755);
    QCOMPARE(findSpmTrainerFrom({trainer}), trainer);
    // A file someone else owns (only root can make one here to test with).
    if (::geteuid() == 0) {
      QCOMPARE(::chown(plugin.c_str(), 4242, 4242), 0);
      QCOMPARE(QString::fromStdString(untrustedReason(plugin)),
               QString::fromStdString(plugin + " is owned by user 4242, neither you nor root"));
    }
    QVERIFY(contains(QString::fromStdString(untrustedReason(plugin + ".absent")), "No such file"));
  }
};

QTEST_GUILESS_MAIN(TestFileRules)
#include "test_file_rules.moc"
