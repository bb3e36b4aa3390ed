// The workspace folder (settings saved as you go, clear errors on bad folders) and the
// background job that keeps long work off the GUI thread.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <atomic>

#include "model/presets.h"
#include "shell/background_job.h"
#include "shell/model_catalog.h"
#include "shell/workspace.h"
#include "util/error.h"

using bertwb::ui::BackgroundJob;
using bertwb::ui::CatalogModel;
using bertwb::ui::Workspace;

namespace {

void writeText(const QString& path, const QByteArray& text) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(text);
}

// A folder that looks like a saved model to the catalog: config.json and a weights file.
void writeFakeModel(const QString& folder, const QByteArray& architecture,
                    const QByteArray& extra = {}) {
  QDir().mkpath(folder);
  writeText(folder + "/config.json",
            "{\"architectures\": [\"" + architecture + "\"]" + extra + "}");
  writeText(folder + "/model.safetensors", "weights");
}

// The message of the bertwb::Error that `action` throws ("" when it throws none).
template <typename Action>
QString errorOf(Action action) {
  try {
    action();
  } catch (const bertwb::Error& e) {
    return QString::fromUtf8(e.what());
  }
  return QString();
}

}  // namespace

class TestWorkspace : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void createSaveAndReopen() {
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("mine"));
    {
      auto workspace = Workspace::create(folder, QStringLiteral("My corpus"));
      QVERIFY(Workspace::isWorkspace(folder));
      QVERIFY(QDir(workspace->corpusFolder()).exists());
      QVERIFY(!workspace->hasTokenizer());
      QCOMPARE(workspace->modelPreset(), QStringLiteral("tiny"));
      QSignalSpy changed(workspace.get(), &Workspace::modelConfigChanged);
      bertwb::BertConfig config = bertwb::presetConfig("mini", 5000);
      config.hidden_dropout_prob = 0.2;
      workspace->setModelConfig(config, QStringLiteral("custom"));
      QCOMPARE(changed.count(), 1);
      workspace->setSection(QStringLiteral("masking"), QJsonObject{{QStringLiteral("seed"), 77}});
    }
    // Nothing is kept in memory only: a fresh open sees every change.
    auto reopened = Workspace::open(folder);
    QCOMPARE(reopened->name(), QStringLiteral("My corpus"));
    QCOMPARE(reopened->modelPreset(), QStringLiteral("custom"));
    QCOMPARE(reopened->modelConfig().vocab_size, 5000);
    QCOMPARE(reopened->modelConfig().num_hidden_layers, 4);
    QCOMPARE(reopened->modelConfig().hidden_dropout_prob, 0.2);
    QCOMPARE(reopened->section(QStringLiteral("masking")).value(QStringLiteral("seed")).toInt(),
             77);
    QVERIFY(reopened->section(QStringLiteral("unknown")).isEmpty());
  }

  // The model stage, the wizard and pre-training show one vocabulary size: the tokenizer's.
  void theModelsVocabularyFollowsTheTokenizer() {
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("vocab"));
    {
      auto workspace = Workspace::create(folder, QStringLiteral("Vocabulary"));
      workspace->setModelConfig(bertwb::presetConfig("tiny", 5000), QStringLiteral("tiny"));
      QSignalSpy changed(workspace.get(), &Workspace::modelConfigChanged);
      writeText(workspace->tokenizerFolder() + QStringLiteral("/vocab.txt"),
                "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\ncat\nsat\n");
      workspace->notifyTokenizerChanged();
      QCOMPARE(workspace->modelConfig().vocab_size, 8);
      QCOMPARE(changed.count(), 1);
    }
    QCOMPARE(Workspace::open(folder)->modelConfig().vocab_size, 8);  // saved, not just shown
  }

  void catalogListsEveryModelOfTheWorkspace() {
    QTemporaryDir dir;
    auto workspace = Workspace::create(dir.filePath(QStringLiteral("w")), QStringLiteral("w"));
    const QString run = workspace->runsFolder() + "/demo-1";
    writeFakeModel(run, "BertForPreTraining");
    writeFakeModel(run + "/checkpoint-000400", "BertForPreTraining");
    QDir().mkpath(run + "/checkpoint-000500");  // being written: no weights yet, not listed
    writeFakeModel(workspace->finetunedFolder() + "/ner-1/best", "BertForTokenClassification");
    writeFakeModel(workspace->finetunedFolder() + "/sts-1/best", "BertForSequenceClassification",
                   ", \"num_labels\": 1");
    const QString imported = dir.filePath(QStringLiteral("hf-bert"));
    writeFakeModel(imported, "BertForMaskedLM");
    bertwb::ui::rememberImportedModel(*workspace, imported);
    bertwb::ui::rememberImportedModel(*workspace, imported);  // remembered once

    const std::vector<CatalogModel> models =
        bertwb::ui::listWorkspaceModels(*Workspace::open(workspace->folder()));
    QStringList names;
    for (const CatalogModel& m : models) names << m.name;
    QCOMPARE(models.size(), size_t{5});
    for (const char* name : {"demo-1 · final", "demo-1 · step 400", "ner-1 · best", "sts-1 · best",
                             "hf-bert · imported"})
      QVERIFY2(names.contains(QString::fromUtf8(name)), qPrintable(names.join(", ")));
    // Grouped: pre-trained, then fine-tuned, then imported.
    QCOMPARE(models.front().origin, CatalogModel::Origin::Pretrained);
    QCOMPARE(models.back().origin, CatalogModel::Origin::Imported);
    for (const CatalogModel& m : models) {
      if (m.name.startsWith(QLatin1String("demo-1 · step"))) QCOMPARE(m.step, qint64{400});
      if (m.name.startsWith(QLatin1String("ner-1"))) QCOMPARE(m.task, QStringLiteral("tag"));
      if (m.name.startsWith(QLatin1String("sts-1"))) QCOMPARE(m.task, QStringLiteral("regress"));
      if (m.origin == CatalogModel::Origin::Imported)
        QCOMPARE(m.architecture, QStringLiteral("BertForMaskedLM"));
    }
    QVERIFY(bertwb::ui::isModelFolder(run));
    QVERIFY(!bertwb::ui::isModelFolder(run + "/checkpoint-000500"));
    QCOMPARE(bertwb::ui::modelArchitecture(imported), QStringLiteral("BertForMaskedLM"));
  }

  void invalidModelIsRefusedAndNotSaved() {
    QTemporaryDir dir;
    auto workspace = Workspace::create(dir.filePath(QStringLiteral("w")), QString());
    bertwb::BertConfig config = bertwb::presetConfig("tiny", 2000);
    config.num_attention_heads = 3;  // 128 is not divisible by 3
    const QString message =
        errorOf([&] { workspace->setModelConfig(config, QStringLiteral("custom")); });
    QVERIFY2(message.contains(QStringLiteral("128")) && message.contains(QStringLiteral("3")),
             qPrintable(message));
    QCOMPARE(Workspace::open(workspace->folder())->modelConfig().num_attention_heads, 2);
  }

  void badFoldersGiveOneClearMessage() {
    QTemporaryDir dir;
    QString message = errorOf([&] { Workspace::open(dir.filePath(QStringLiteral("missing"))); });
    QVERIFY2(message.contains(QStringLiteral("does not exist")), qPrintable(message));

    message = errorOf([&] { Workspace::open(dir.path()); });
    QVERIFY2(message.contains(QStringLiteral("not a BERT Workbench workspace")),
             qPrintable(message));

    const QString broken = dir.filePath(QStringLiteral("broken"));
    QDir().mkpath(broken);
    writeText(broken + QStringLiteral("/workspace.json"),
              "{\"format\": \"bert-workbench-workspace\", ");
    message = errorOf([&] { Workspace::open(broken); });
    QVERIFY2(message.contains(QStringLiteral("workspace.json")) &&
                 message.contains(QStringLiteral("not valid JSON")),
             qPrintable(message));

    writeText(broken + QStringLiteral("/workspace.json"), "{\"format\": \"something else\"}");
    message = errorOf([&] { Workspace::open(broken); });
    QVERIFY2(message.contains(QStringLiteral("format")), qPrintable(message));

    // A folder with the user's files is never turned into a workspace (nothing is lost).
    const QString busy = dir.filePath(QStringLiteral("busy"));
    QDir().mkpath(busy);
    writeText(busy + QStringLiteral("/notes.txt"), "mine");
    message = errorOf([&] { Workspace::create(busy, QString()); });
    QVERIFY2(message.contains(QStringLiteral("not empty")), qPrintable(message));
    QVERIFY(!Workspace::isWorkspace(busy));
  }

  // The demo is a saved property, not a display name: a workspace the user calls "Demo world"
  // is not the demo, and demo workspaces saved before the property existed still are.
  void theDemoIsKnownByAPropertyNotItsName() {
    QTemporaryDir dir;
    const QString named = dir.filePath(QStringLiteral("named"));
    Workspace::create(named, QStringLiteral("Demo world"));
    QVERIFY(!Workspace::open(named)->isDemo());

    const QString legacy = dir.filePath(QStringLiteral("legacy"));
    Workspace::create(legacy, QStringLiteral("x"));
    QFile file(legacy + QStringLiteral("/workspace.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    QVERIFY(root.contains(QStringLiteral("demo")));
    root.remove(QStringLiteral("demo"));
    root[QStringLiteral("name")] = QStringLiteral("Demo world");
    writeText(file.fileName(), QJsonDocument(root).toJson());
    auto opened = Workspace::open(legacy);
    QVERIFY(opened->isDemo());
    QVERIFY(opened->loadWarnings().isEmpty());
  }

  // Finding: the demo world was written into any folder named on the command line.
  void theDemoGoesOnlyIntoANewOrEmptyFolder() {
    QTemporaryDir dir;
    const QString theirs = dir.filePath(QStringLiteral("theirs"));
    QVERIFY(QDir().mkpath(theirs + QStringLiteral("/corpus")));
    writeText(theirs + QStringLiteral("/corpus/pretrain.txt"), "my own corpus\n");
    writeText(theirs + QStringLiteral("/notes.md"), "keep me\n");
    QString message;
    try {
      Workspace::createDemo(theirs);
    } catch (const std::exception& e) {
      message = QString::fromUtf8(e.what());
    }
    QVERIFY2(message.contains(theirs) && message.contains(QStringLiteral("new or empty")),
             qPrintable(message));
    QFile corpus(theirs + QStringLiteral("/corpus/pretrain.txt"));
    QVERIFY(corpus.open(QIODevice::ReadOnly));
    QCOMPARE(corpus.readAll(), QByteArray("my own corpus\n"));
    QVERIFY(!QFileInfo::exists(theirs + QStringLiteral("/tasks")));
    QVERIFY(!QFileInfo::exists(theirs + QStringLiteral("/workspace.json")));
  }

  // Finding: a workspace that could not be saved threw out of a Qt slot and ended the program.
  void aWorkspaceThatCannotBeSavedBecomesReadOnly() {
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("w"));
    std::unique_ptr<Workspace> workspace = Workspace::create(folder, QStringLiteral("W"));
    QSignalSpy failed(workspace.get(), &Workspace::saveFailed);
    // The medium is gone (renaming the folder away works even as root, unlike permissions).
    QVERIFY(QDir().rename(folder, dir.filePath(QStringLiteral("moved"))));
    QJsonObject settings;
    settings[QStringLiteral("steps")] = 7;
    workspace->setSection(QStringLiteral("pretrain"), settings);  // must not throw
    QVERIFY(workspace->isReadOnly());
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("workspace.json")),
             qPrintable(failed.at(0).at(0).toString()));
    settings[QStringLiteral("steps")] = 8;
    workspace->setSection(QStringLiteral("pretrain"), settings);
    QCOMPARE(failed.size(), 1);  // said once
    QCOMPARE(workspace->section(QStringLiteral("pretrain")).value(QStringLiteral("steps")).toInt(),
             8);  // kept on screen
  }

  // Finding: values of the wrong type opened as defaults and were written over for good.
  void wrongTypesAreReplacedButTheOriginalIsKept() {
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("w"));
    Workspace::create(folder, QStringLiteral("W"));
    const QByteArray original =
        R"({"format": "bert-workbench-workspace", "version": 1, "name": 42, "model": "tiny please",
            "sections": {"pretrain": {"steps": 10}, "masking": [1, 2]}})";
    writeText(folder + QStringLiteral("/workspace.json"), original);
    std::unique_ptr<Workspace> workspace = Workspace::open(folder);
    const QString warnings = workspace->loadWarnings().join(QStringLiteral(", "));
    QVERIFY2(warnings.contains(QStringLiteral("name")) &&
                 warnings.contains(QStringLiteral("model")) &&
                 warnings.contains(QStringLiteral("sections.masking")),
             qPrintable(warnings));
    QCOMPARE(workspace->section(QStringLiteral("pretrain")).value(QStringLiteral("steps")).toInt(),
             10);
    workspace->setSection(QStringLiteral("pretrain"), QJsonObject{{QStringLiteral("steps"), 11}});
    const QStringList copies =
        QDir(folder).entryList({QStringLiteral("workspace.json.unreadable-*")});
    QCOMPARE(copies.size(), 1);
    QFile copy(QDir(folder).filePath(copies.first()));
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QCOMPARE(copy.readAll(), original);
  }

  void missingTokenizerSaysWhereToMakeOne() {
    QTemporaryDir dir;
    auto workspace = Workspace::create(dir.filePath(QStringLiteral("w")), QString());
    const QString message = errorOf([&] { workspace->tokenizer(); });
    QVERIFY2(message.contains(QStringLiteral("no tokenizer")) &&
                 message.contains(QStringLiteral("wizard")),
             qPrintable(message));
  }

  void backgroundJobReportsProgressOffTheGuiThread() {
    BackgroundJob job;
    QSignalSpy progressed(&job, &BackgroundJob::progressed);
    QSignalSpy succeeded(&job, &BackgroundJob::succeeded);
    std::atomic<bool> ranOffGuiThread{false};
    QThread* guiThread = QThread::currentThread();
    QVERIFY(job.start(QStringLiteral("count"),
                      [&](const bertwb::ProgressCallback& progress, const bertwb::CancelFlag&) {
                        ranOffGuiThread = QThread::currentThread() != guiThread;
                        for (int i = 1; i <= 4; ++i)
                          progress({i / 4.0, "step " + std::to_string(i)});
                      }));
    QVERIFY(
        !job.start(QStringLiteral("second"), [](const auto&, const auto&) {}));  // one at a time
    QVERIFY(job.wait(10000));
    QCOMPARE(succeeded.count(), 1);
    QVERIFY(ranOffGuiThread);
    QCOMPARE(progressed.count(), 4);
    QCOMPARE(progressed.last().at(0).toDouble(), 1.0);
    QCOMPARE(progressed.last().at(1).toString(), QStringLiteral("step 4"));
  }

  void backgroundJobCancelsAndReportsErrors() {
    BackgroundJob job;
    QSignalSpy cancelled(&job, &BackgroundJob::cancelled);
    QSignalSpy failed(&job, &BackgroundJob::failed);
    job.start(QStringLiteral("endless"), [](const auto&, const bertwb::CancelFlag& cancel) {
      while (!cancel.isRequested()) QThread::msleep(1);
      throw bertwb::Cancelled();
    });
    QTest::qWait(20);
    job.cancel();
    QVERIFY(job.wait(10000));
    QCOMPARE(cancelled.count(), 1);

    job.start(QStringLiteral("failing"),
              [](const auto&, const auto&) { throw bertwb::Error("corpus.txt:3: bad"); });
    QVERIFY(job.wait(10000));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("corpus.txt:3: bad"));
    QVERIFY(!job.isRunning());
  }
};

QTEST_MAIN(TestWorkspace)
#include "test_workspace.moc"
