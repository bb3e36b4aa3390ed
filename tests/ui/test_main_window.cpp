// The window: stages in order, the demo workspace on first start, real panels in the
// stages, recent workspaces, errors reported without losing the open workspace, a preset
// change saved and shown, closing during a run asks and then stops and saves; the playground's
// input followed by the attention stage through the one shared model; every stage fits a
// projector; presentation mode enlarges text and chart lines and is remembered per workspace;
// every stage rendered to PNG.
#include <sys/stat.h>

#include <QAbstractScrollArea>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "attention/attention_panel.h"
#include "attention/embedding_panel.h"
#include "data/data_panel.h"
#include "finetune/finetune_panel.h"
#include "masking/masking_panel.h"
#include "model/model_stage_page.h"
#include "model/model_summary_widget.h"
#include "model/presets.h"
#include "panel_workspaces.h"
#include "playground/playground_fill_mask_view.h"
#include "playground/playground_panel.h"
#include "pretrain/pretrain_panel.h"
#include "pretrain/pretrain_settings.h"
#include "screenshots.h"
#include "shell/guide_bar.h"
#include "shell/guide_steps.h"
#include "shell/help_window.h"
#include "shell/main_window.h"
#include "shell/model_picker.h"
#include "shell/predictor_service.h"
#include "shell/presentation_mode.h"
#include "shell/settle.h"
#include "shell/stage_table.h"
#include "shell/workspace.h"
#include "tiny_bert_checkpoint.h"
#include "train/demo_setup.h"
#include "util/error.h"
#include "widgets/elided_label.h"
#include "widgets/qcustomplot_include.h"

using bertwb::test::hasContent;
using bertwb::test::screenshotFolder;
using bertwb::ui::GuideBar;
using bertwb::ui::HelpWindow;
using bertwb::ui::MainWindow;
using bertwb::ui::ModelSummaryWidget;
using bertwb::ui::StageId;
using bertwb::ui::waitUntilSettled;
using bertwb::ui::Workspace;

namespace {

// Writing the demo world and training its vocabulary takes a few seconds on 2 cores.
constexpr int kDemoTimeoutMs = 120000;
constexpr int kSettleTimeoutMs = 60000;  // a stage's first model load on 2 cores

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // settings and the demo folder away from the user's
    // Settings of this process alone: the suite's screenshot entry may run at the same time,
    // and the window records the last workspace and a crash marker there.
    QCoreApplication::setOrganizationName(
        QStringLiteral("BERT Workbench Tests %1").arg(QCoreApplication::applicationPid()));
    QSettings().clear();
    demoFolder_ = dir_.filePath(QStringLiteral("demo"));
  }

  void cleanupTestCase() {
    const QString settingsFile = QSettings().fileName();
    QSettings().clear();
    QFile::remove(settingsFile);
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
        .removeRecursively();
  }

  void listsAllStagesInOrder() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    auto* list = window.findChild<QListWidget*>();
    QVERIFY(list);
    QStringList titles;
    for (int i = 0; i < list->count(); ++i) titles << list->item(i)->text().mid(3);
    QCOMPARE(titles, (QStringList{"Data", "Model", "Pre-train", "Fine-tune", "Playground",
                                  "Attention", "Experiments"}));
    QVERIFY(!window.workspace());
    // Before a workspace opens, the pages say so (nothing claims a stage is unfinished).
    for (const QLabel* label : window.findChildren<QLabel*>())
      QVERIFY2(!label->text().contains(QStringLiteral("not built")), qPrintable(label->text()));
  }

  void summaryShowsExactCounts_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("bertModel");
    QTest::addColumn<QString>("withHeads");
    QTest::newRow("base") << "base"
                          << "109,482,240"
                          << "110,106,428";
    QTest::newRow("large") << "large"
                           << "335,141,888"
                           << "336,226,108";
  }
  void summaryShowsExactCounts() {
    QFETCH(QString, preset);
    QFETCH(QString, bertModel);
    QFETCH(QString, withHeads);
    ModelSummaryWidget summary;
    summary.setPreset(preset);
    const QStringList rows = summary.parameterRows();
    QVERIFY(rows.size() >= 2);
    QVERIFY2(rows[rows.size() - 2].contains(bertModel), qPrintable(rows.join('\n')));
    QVERIFY2(rows.last().contains(withHeads), qPrintable(rows.join('\n')));
  }

  // One table drives the sidebar, the View menu's Ctrl+N shortcuts, the pages and --stage.
  void theStageTableDrivesSidebarMenuAndPages() {
    using namespace bertwb::ui;
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    auto* sidebar = window.findChild<QListWidget*>();
    QCOMPARE(sidebar->count(), stageCount());
    QCOMPARE(window.findChild<QStackedWidget*>()->count(), stageCount());
    QStringList seen;
    for (int i = 0; i < stageCount(); ++i) {
      const StageSpec& spec = stageTable()[i];
      QCOMPARE(sidebar->item(i)->text(), stageLabel(spec));
      QVERIFY(sidebar->item(i)->text().startsWith(QString::number(i + 1)));
      QCOMPARE(stageNamed(QString::fromLatin1(spec.name)), std::optional<StageId>(spec.id));
      QCOMPARE(stageNamed(QString::fromLatin1(spec.name).toUpper()),
               std::optional<StageId>(spec.id));
      QVERIFY(!seen.contains(QString::fromLatin1(spec.name)));
      seen << QString::fromLatin1(spec.name);
      window.showStage(spec.id);
      QCOMPARE(window.currentStage(), spec.id);
    }
    QCOMPARE(stageNames(), seen);
    QVERIFY(!stageNamed(QStringLiteral("nope")));
    QStringList shortcuts;
    for (QAction* action : window.findChildren<QAction*>())
      if (const QString keys = action->shortcut().toString();
          keys.size() == 6 && keys.startsWith(QStringLiteral("Ctrl+")) && keys.back().isDigit() &&
          keys.back() != QLatin1Char('0'))  // Ctrl+0: View ▸ Normal Size
        shortcuts << action->text() + QLatin1Char('=') + action->shortcut().toString();
    shortcuts.sort();
    QCOMPARE(shortcuts.size(), stageCount());
    QVERIFY2(shortcuts.contains(QStringLiteral("Pre-train=Ctrl+3")),
             qPrintable(shortcuts.join(' ')));
  }

  void firstStartOpensTheDemoWorkspaceWithEveryPanel() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    window.openDemoWorkspace(demoFolder_);
    QTRY_VERIFY_WITH_TIMEOUT(window.workspace() != nullptr, kDemoTimeoutMs);
    QCOMPARE(window.workspace()->name(), QStringLiteral("Demo world"));
    QVERIFY(window.workspace()->isDemo());
    QVERIFY(window.workspace()->hasTokenizer());
    // The model's vocabulary is the trained tokenizer's (fewer than the 2,800 asked for).
    QCOMPARE(window.workspace()->modelConfig().vocab_size,
             static_cast<int64_t>(window.workspace()->tokenizer()->vocabSize()));
    QVERIFY(window.workspace()->modelConfig().vocab_size <= bertwb::kDemoVocabularySize);
    QVERIFY(window.windowTitle().contains(QStringLiteral("Demo world")));

    QVERIFY(qobject_cast<bertwb::ui::DataPanel*>(window.stagePage(StageId::Data)));
    QVERIFY(qobject_cast<bertwb::ui::ModelStagePage*>(window.stagePage(StageId::Model)));
    auto* pretrainTabs = qobject_cast<QTabWidget*>(window.stagePage(StageId::PreTrain));
    QVERIFY(pretrainTabs);
    QVERIFY(qobject_cast<bertwb::ui::MaskingPanel*>(pretrainTabs->widget(0)));
    QVERIFY(qobject_cast<bertwb::ui::PretrainPanel*>(pretrainTabs->widget(1)));
    QCOMPARE(window.pretrainPanel(), pretrainTabs->widget(1));
    QVERIFY(qobject_cast<bertwb::ui::FinetunePanel*>(window.stagePage(StageId::FineTune)));
    QCOMPARE(window.finetunePanel(), window.stagePage(StageId::FineTune));
    QCOMPARE(window.playgroundPanel(), window.stagePage(StageId::Playground));
    auto* insideTabs = qobject_cast<QTabWidget*>(window.stagePage(StageId::Attention));
    QVERIFY(insideTabs);
    QCOMPARE(insideTabs->widget(0), window.attentionPanel());
    QCOMPARE(insideTabs->widget(1), window.embeddingPanel());

    // The next start reopens it, once it has run a while (a workspace that crashes the program
    // while opening is never recorded as the one to reopen).
    QTRY_COMPARE_WITH_TIMEOUT(QSettings().value(QStringLiteral("workspace/last")).toString(),
                              window.workspace()->folder(), 4 * MainWindow::kOpenConfirmationMs);
    MainWindow second(QStringLiteral("CPU (2 threads)"));
    second.openStartupWorkspace();
    QVERIFY(second.workspace());
    QCOMPARE(second.workspace()->folder(), window.workspace()->folder());
  }

  void badFolderIsReportedAndTheWorkspaceStays() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QStringList errors;
    window.setErrorReporter([&errors](const QString& message) { errors << message; });
    QVERIFY(window.openWorkspace(demoFolder_));
    QVERIFY(!window.openWorkspace(dir_.path()));  // a folder, but not a workspace
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].contains(QStringLiteral("not a BERT Workbench workspace")),
             qPrintable(errors[0]));
    QCOMPARE(window.workspace()->folder(), QDir(demoFolder_).absolutePath());
  }

  // Finding: a workspace that crashed the program at start was reopened at every start.
  void aCrashWhileOpeningStartsOnAChooser() {
    QSettings().setValue(QStringLiteral("workspace/opening"), QDir(demoFolder_).absolutePath());
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    window.openStartupWorkspace();
    QVERIFY(window.workspace() == nullptr);  // nothing was opened again
    QVERIFY2(window.bannerText().contains(QDir(demoFolder_).absolutePath()) &&
                 window.bannerText().contains(QStringLiteral("Open it anyway")),
             qPrintable(window.bannerText()));
    QVERIFY(QSettings().value(QStringLiteral("workspace/opening")).toString().isEmpty());
    // The next start goes back to normal.
    MainWindow next(QStringLiteral("CPU (2 threads)"));
    next.openStartupWorkspace();
    QTRY_VERIFY_WITH_TIMEOUT(next.workspace() != nullptr, kDemoTimeoutMs);
  }

  // Finding: the GUI wrote the demo world into any folder given with --workspace.
  void theDemoIsNeverWrittenIntoSomeonesFolder() {
    const QString theirs = dir_.filePath(QStringLiteral("theirs"));
    QVERIFY(QDir().mkpath(theirs));
    QFile notes(theirs + QStringLiteral("/notes.md"));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("keep me");
    notes.close();
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QStringList errors;
    window.setErrorReporter([&errors](const QString& message) { errors << message; });
    window.openDemoWorkspace(theirs);
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), kDemoTimeoutMs);
    QVERIFY2(errors[0].contains(QStringLiteral("new or empty")), qPrintable(errors[0]));
    QCOMPARE(QDir(theirs).entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
             QStringList{QStringLiteral("notes.md")});
  }

  // Finding: a workspace.json that could not be saved ended the program (and a run with it).
  void aWorkspaceThatCannotBeSavedShowsABanner() {
    const QString copy = dir_.filePath(QStringLiteral("doomed"));
    Workspace::create(copy, QStringLiteral("Doomed"));
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QVERIFY(window.openWorkspace(copy));
    QVERIFY(
        QDir().rename(copy, dir_.filePath(QStringLiteral("doomed-moved"))));  // the medium is gone
    window.workspace()->setSection(QStringLiteral("pretrain"),
                                   QJsonObject{{QStringLiteral("steps"), 3}});
    QVERIFY2(window.bannerText().contains(QStringLiteral("can no longer be saved")),
             qPrintable(window.bannerText()));
    QVERIFY(window.workspace()->isReadOnly());
  }

  // Issue 19, items 2, 3 and 7: a workspace.json is untrusted input. One that names a FIFO
  // and /dev/zero as task files and models, and remembers a playground model whose config
  // nests 100,000 deep, used to freeze the window (a blocking open on the GUI thread), read
  // until memory ran out, or crash at every start. Every stage must now come up, the hostile
  // files refused with their names, and the deep model fail to load on the worker.
  void aWorkspaceNamingHostileFilesOpensWithoutBlocking() {
    const QString folder = dir_.filePath(QStringLiteral("hostile"));
    Workspace::create(folder, QStringLiteral("Hostile"));
    const QDir root(folder);
    for (const char* model : {"models/deep", "models/fifo", "models/zero"})
      QVERIFY(root.mkpath(QLatin1String(model)));
    bertwb::test::writeBytes(
        root.filePath(QStringLiteral("models/deep/config.json")),
        "{\"hidden_size\": 128, \"x\": " + QByteArray(100000, '[') + QByteArray(100000, ']') + "}");
    bertwb::test::writeBytes(root.filePath(QStringLiteral("models/deep/model.safetensors")),
                             QByteArray(64, '\0'));
    for (const char* fifo :
         {"models/fifo/config.json", "models/fifo/model.safetensors", "tasks/train.tsv"}) {
      QVERIFY(root.mkpath(QFileInfo(root.filePath(QLatin1String(fifo))).path()));
      QCOMPARE(::mkfifo(root.filePath(QLatin1String(fifo)).toLocal8Bit().constData(), 0600), 0);
    }
    for (const char* zero : {"models/zero/config.json", "models/zero/model.safetensors"})
      QVERIFY(QFile::link(QStringLiteral("/dev/zero"), root.filePath(QLatin1String(zero))));
    {
      auto workspace = Workspace::open(folder);
      // Relative paths, as a hand-edited or moved workspace has them.
      workspace->setSection(QStringLiteral("playground"),
                            QJsonObject{{QStringLiteral("model"), QStringLiteral("models/deep")}});
      workspace->setSection(
          QStringLiteral("models"),
          QJsonObject{{QStringLiteral("imported"),
                       QJsonArray{QStringLiteral("models/fifo"), QStringLiteral("models/zero")}}});
      workspace->setSection(
          QStringLiteral("finetune"),
          QJsonObject{{QStringLiteral("trainFile"), QStringLiteral("tasks/train.tsv")},
                      {QStringLiteral("devFile"), QStringLiteral("/dev/zero")}});
    }
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QStringList errors;
    window.setErrorReporter([&errors](const QString& message) { errors << message; });
    QSignalSpy failed(window.predictorService(), &bertwb::ui::PredictorService::loadFailed);
    QVERIFY(window.openWorkspace(folder));
    window.resize(1280, 720);
    window.show();
    for (int i = 0; i < bertwb::ui::stageCount(); ++i) {
      window.showStage(static_cast<bertwb::ui::StageId>(i));
      QCoreApplication::processEvents();
    }
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), kSettleTimeoutMs);
    QCOMPARE(failed.first().at(0).toString(), root.filePath(QStringLiteral("models/deep")));
    const QString why = failed.first().at(1).toString();
    QVERIFY2(why.contains(QStringLiteral("nested deeper than 64 levels")), qPrintable(why));
    // The fine-tuning stage says what the named training file is.
    window.showStage(bertwb::ui::StageId::FineTune);
    QTRY_VERIFY_WITH_TIMEOUT(anyLabelContains(*window.finetunePanel(), QStringLiteral("FIFO")),
                             kSettleTimeoutMs);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    waitUntilSettled(window, kSettleTimeoutMs);
  }

  void recentWorkspacesAreRemembered() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    const QString other = dir_.filePath(QStringLiteral("other"));
    Workspace::create(other, QStringLiteral("Other"));
    QVERIFY(window.openWorkspace(other));
    QVERIFY(window.openWorkspace(demoFolder_));
    const QStringList recent = QSettings().value(QStringLiteral("workspace/recent")).toStringList();
    QVERIFY(recent.size() >= 2);
    QCOMPARE(recent[0], QDir(demoFolder_).absolutePath());
    QCOMPARE(recent[1], QDir(other).absolutePath());
  }

  void presetPickedInTheModelStageIsSavedAndShown() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QVERIFY(window.openWorkspace(demoFolder_));
    auto* presets = window.modelSummary()->findChild<QComboBox*>();
    QVERIFY(presets);
    presets->setCurrentIndex(presets->findData(QStringLiteral("mini")));
    QCOMPARE(window.workspace()->modelPreset(), QStringLiteral("mini"));
    QCOMPARE(window.workspace()->modelConfig().num_hidden_layers, 4);
    // The model's vocabulary is the trained tokenizer's (fewer than the 2,800 asked for).
    QCOMPARE(window.workspace()->modelConfig().vocab_size,
             static_cast<int64_t>(window.workspace()->tokenizer()->vocabSize()));
    QVERIFY(window.workspace()->modelConfig().vocab_size <=
            bertwb::kDemoVocabularySize);  // the tokenizer still fits
    QCOMPARE(Workspace::open(demoFolder_)->modelPreset(), QStringLiteral("mini"));
    const QStringList status = statusTexts(window);
    QVERIFY2(status.join(' ').contains(QStringLiteral("L=4 H=256 A=4")),
             qPrintable(status.join(" | ")));
    presets->setCurrentIndex(
        presets->findData(QStringLiteral("tiny")));  // back for the other tests
  }

  void closingDuringARunAsksThenStopsAndSaves() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QVERIFY(window.openWorkspace(demoFolder_));
    bertwb::ui::PretrainPanel* panel = window.pretrainPanel();
    panel->setErrorDialogsEnabled(false);
    bertwb::ui::PretrainSettings run = panel->settings();
    run.steps = 100000;  // far more than the test waits for
    run.batchSize = 4;
    run.maxSeqLength = 32;
    run.saveEvery = 0;
    run.probeEvery = 0;
    run.runName = QStringLiteral("closed-run");
    panel->setSettings(run);
    QSignalSpy progressed(panel, &bertwb::ui::PretrainPanel::progressed);
    QVERIFY(panel->start());
    QVERIFY(progressed.wait(60000));
    QVERIFY(window.runState().contains(QStringLiteral("step")));
    // The run trains the workspace model: the Model stage cannot change it meanwhile.
    Workspace* workspace = window.workspace();
    QVERIFY(workspace->isModelLocked());
    QVERIFY(workspace->modelLockReason().contains(QStringLiteral("Pre-training")));
    auto* presetBox = window.findChild<bertwb::ui::ModelSummaryWidget*>()->findChild<QComboBox*>();
    QVERIFY(presetBox && !presetBox->isEnabled());
    const QString refused = [&] {
      try {
        workspace->setModelConfig(bertwb::presetConfig("mini", 100), QStringLiteral("mini"));
      } catch (const bertwb::Error& e) {
        return QString::fromUtf8(e.what());
      }
      return QString();
    }();
    QVERIFY2(refused.contains(QStringLiteral("stop it")), qPrintable(refused));

    int asked = 0;
    window.setCloseConfirmation([&asked] { return ++asked > 1; });  // "no" the first time
    window.show();
    QVERIFY(!window.close());
    QCOMPARE(asked, 1);
    QVERIFY(panel->isRunning());

    QVERIFY(window.close());
    QCOMPARE(asked, 2);
    QVERIFY(!panel->isRunning());
    QVERIFY(!window.workspace()->isModelLocked());  // the run is over: the model is free again
    QVERIFY(presetBox->isEnabled());
    const QDir runFolder(
        QDir(window.workspace()->runsFolder()).filePath(QStringLiteral("closed-run")));
    const QStringList checkpoints =
        runFolder.entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs);
    QVERIFY2(!checkpoints.isEmpty(), qPrintable(runFolder.entryList().join(", ")));
    QVERIFY(QFileInfo::exists(
        runFolder.filePath(checkpoints.last() + QStringLiteral("/model.safetensors"))));
  }

  void theAttentionStageFollowsThePlaygroundInput() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QVERIFY(window.openWorkspace(demoFolder_));
    // A pre-trained model in the workspace's runs/, as a pre-training run leaves it.
    const QString model =
        QDir(window.workspace()->runsFolder()).filePath(QStringLiteral("tiny-run"));
    bertwb::test::saveTinyBertCheckpoint(model, {"the", "town", "is", "quiet"});
    bertwb::ui::PlaygroundPanel* playground = window.playgroundPanel();
    playground->modelPicker()->refresh();
    QSignalSpy loaded(window.predictorService(), &bertwb::ui::PredictorService::loaded);
    playground->loadModel(model);
    QVERIFY(loaded.count() > 0 || loaded.wait(30000));
    QVERIFY(playground->isModeAvailable(bertwb::ui::PlaygroundPanel::Mode::FillMask));
    playground->setMode(bertwb::ui::PlaygroundPanel::Mode::FillMask);

    QSignalSpy shown(window.attentionPanel(), &bertwb::ui::AttentionPanel::mapsShown);
    playground->fillMaskView()->setTexts(QStringLiteral("the town is [MASK]"), QString());
    QVERIFY(shown.count() > 0 || shown.wait(30000));
    // The maps of the playground's prefilled text may arrive first; then those of the new one.
    QTRY_COMPARE_WITH_TIMEOUT(window.attentionPanel()->maps().length, 6,
                              30000);  // [CLS] the town is [MASK] [SEP]
    QCOMPARE(window.attentionPanel()->maps().pieces[4], std::string("[MASK]"));

    // The Attention stage has its own picker, showing the same model by its run's name.
    bertwb::ui::ModelPicker* picker = window.attentionPanel()->modelPicker();
    QVERIFY(picker);
    QCOMPARE(picker->currentFolder(), model);
    QCOMPARE(window.attentionPanel()->modelName(), QStringLiteral("tiny-run · final"));
    QVERIFY(picker->comboBox()->currentText().startsWith(QStringLiteral("tiny-run · final")));
    // A folder that is no model is refused there, saying why; the model stays.
    QSignalSpy refused(picker, &bertwb::ui::ModelPicker::refused);
    QVERIFY(!picker->chooseFolder(window.workspace()->corpusFolder()));
    QCOMPARE(refused.size(), 1);
    QVERIFY2(refused.first().first().toString().contains(QStringLiteral("holds no model")),
             qPrintable(refused.first().first().toString()));
    QCOMPARE(picker->currentFolder(), model);
    QCOMPARE(window.predictorService()->folder(), model);
    QVERIFY(window.attentionPanel()->message().contains(QStringLiteral("holds no model")));
    // A checkpoint chosen there is what the Playground shows too.
    const QString checkpoint = QDir(model).filePath(QStringLiteral("checkpoint-000010"));
    bertwb::test::saveTinyBertCheckpoint(checkpoint, {"the", "town", "is", "quiet"});
    picker->refresh();
    loaded.clear();
    QVERIFY(picker->chooseFolder(checkpoint));
    QVERIFY(loaded.wait(30000));
    QCOMPARE(playground->modelPicker()->currentFolder(), checkpoint);
    QCOMPARE(window.attentionPanel()->modelName(), QStringLiteral("tiny-run · step 10"));
  }

  // Projectors and many laptops are 1280×720: every stage (and every tab inside one) fits
  // there without sideways scrolling, also with a run's long status line, and nothing is laid
  // out past the window's edge. At 1024×768 the window still fits; stages may scroll there.
  void everyStageFitsAProjector() {
    ensureDemoWorkspace();
    if (QTest::currentTestFailed()) return;
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QVERIFY(window.openWorkspace(demoFolder_));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString longState =
        QStringLiteral("stopped at step 120; resume with the checkpoint ") +
        QStringLiteral("/home/teacher/Documents/courses/nlp-2027/workspaces/demo/").repeated(4) +
        QStringLiteral("runs/pretrain-2027-01-15-093012/checkpoint-000120");
    Q_EMIT window.pretrainPanel()->runStateChanged(longState);
    QCOMPARE(window.runState(), longState);  // all of it kept, however little is shown
    for (const QSize screen : {QSize(1280, 720), QSize(1024, 768)}) {
      for (int i = 0; i < bertwb::ui::stageCount(); ++i) {
        const auto& spec = bertwb::ui::stageTable()[i];
        window.showStage(spec.id);
        QWidget* page = window.stagePage(spec.id);
        auto* area = qobject_cast<QScrollArea*>(page->parentWidget()->parentWidget());
        QVERIFY2(area, spec.name);
        auto* tabs = qobject_cast<QTabWidget*>(page);
        for (int tab = 0; tab < (tabs ? tabs->count() : 1); ++tab) {
          if (tabs) tabs->setCurrentIndex(tab);
          const QString where =
              QStringLiteral("%1×%2 %3%4")
                  .arg(screen.width())
                  .arg(screen.height())
                  .arg(QString::fromLatin1(spec.name))
                  .arg(tabs ? QStringLiteral(" / ") + tabs->tabText(tab) : QString());
          window.resize(screen);
          QCoreApplication::processEvents();
          const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
          QVERIFY2(minimum.width() <= screen.width() && minimum.height() <= screen.height(),
                   qPrintable(QStringLiteral("%1: the window needs at least %2×%3")
                                  .arg(where)
                                  .arg(minimum.width())
                                  .arg(minimum.height())));
          QCOMPARE(window.size(), screen);
          const QString outside = firstClippedWidget(window);
          QVERIFY2(outside.isEmpty(), qPrintable(where + QStringLiteral(": ") + outside));
          if (screen.width() < 1280) continue;  // smaller screens may scroll
          QVERIFY2(!area->horizontalScrollBar()->isVisible(),
                   qPrintable(QStringLiteral("%1 scrolls sideways: the page needs %2 px, has %3")
                                  .arg(where)
                                  .arg(page->minimumSizeHint().width())
                                  .arg(area->viewport()->width())));
          const QString clipped = firstClippedWidget(*page);
          QVERIFY2(clipped.isEmpty(), qPrintable(where + QStringLiteral(": ") + clipped));
        }
      }
    }
  }

  void firstStartShowsTheWayAndTheTourResumes() {
    ensureDemoWorkspace();
    if (QTest::currentTestFailed()) return;
    QSettings().remove(QStringLiteral("guide"));
    QSettings().remove(QStringLiteral("window/stage"));
    const int steps = static_cast<int>(bertwb::ui::guideSteps().size());
    {
      MainWindow window(QStringLiteral("CPU (2 threads)"));
      QVERIFY(window.openWorkspace(demoFolder_));
      GuideBar* bar = window.guideBar();
      QCOMPARE(window.currentStage(), StageId::Data);
      QCOMPARE(bar->mode(), GuideBar::Mode::StartHere);
      QVERIFY(!bar->isHidden());
      QVERIFY2(bar->text().contains(QStringLiteral("step 1 of %1").arg(steps)),
               qPrintable(bar->text()));
      bar->next();  // "Next: Model size ▶"
      QCOMPARE(window.currentStage(), StageId::Model);
      bar->goToStep(3);  // Pre-training, the Training tab
      auto* tabs = qobject_cast<QTabWidget*>(window.stagePage(StageId::PreTrain));
      QCOMPARE(window.currentStage(), StageId::PreTrain);
      QCOMPARE(tabs->currentWidget(), window.pretrainPanel());
      tabs->setCurrentIndex(0);  // the user picks the Masking & NSP tab: the bar follows
      QCOMPARE(bar->step(), 2);
      window.showStage(StageId::Playground);  // or the sidebar
      QVERIFY(bar->text().contains(QStringLiteral("Playground")));
      bar->leave();
      QVERIFY(bar->isHidden());
    }
    {
      MainWindow window(QStringLiteral("CPU (2 threads)"));
      QVERIFY(window.openWorkspace(demoFolder_));
      QCOMPARE(window.guideBar()->mode(), GuideBar::Mode::Hidden);  // hidden once, stays so
      findAction(window, QStringLiteral("Tour"))->trigger();
      GuideBar* bar = window.guideBar();
      QCOMPARE(bar->mode(), GuideBar::Mode::Tour);
      QCOMPARE(bar->step(), 0);
      QVERIFY2(bar->text().contains(QStringLiteral("WordPiece")), qPrintable(bar->text()));
      bar->next();
      bar->next();
      QCOMPARE(window.currentStage(), StageId::PreTrain);
      QVERIFY(bar->text().contains(QStringLiteral("15%")));
      bar->leave();
    }
    {
      // Left at step 3, resumed there after a restart.
      MainWindow window(QStringLiteral("CPU (2 threads)"));
      QVERIFY(window.openWorkspace(demoFolder_));
      findAction(window, QStringLiteral("Tour"))->trigger();
      QCOMPARE(window.guideBar()->step(), 2);
      QCOMPARE(window.currentStage(), StageId::PreTrain);
      window.guideBar()->leave();
    }
  }

  void helpIsBundledAndOpensOnF1() {
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QAction* guide = findAction(window, QStringLiteral("User Guide"));
    QVERIFY(guide);
    QCOMPARE(guide->shortcut(), QKeySequence(QKeySequence::HelpContents));
    HelpWindow* help = window.showHelp(HelpWindow::Page::Glossary);
    QCOMPARE(help->currentPage(), HelpWindow::Page::Glossary);
    // Offline and complete: every page is compiled in and names what a class asks about.
    QVERIFY(help->pageMarkdown(HelpWindow::Page::Guide).contains(QStringLiteral("Masking")));
    for (const char* term :
         {"MLM", "NSP", "[CLS]", "WordPiece", "Warm-up", "Perplexity", "F1", "Exact match"})
      QVERIFY2(help->pageMarkdown(HelpWindow::Page::Glossary)
                   .contains(QString::fromUtf8(term), Qt::CaseInsensitive),
               term);
    // Every shortcut the menus define is listed.
    const QString shortcuts = help->pageMarkdown(HelpWindow::Page::Shortcuts);
    for (QAction* action : window.findChildren<QAction*>()) {
      if (action->shortcut().isEmpty()) continue;
      const QString keys = action->shortcut().toString(QKeySequence::PortableText);
      QVERIFY2(shortcuts.contains(keys),
               qPrintable(keys + QStringLiteral(" (") + action->text() + QStringLiteral(")")));
    }
    QVERIFY(help->find(QStringLiteral("masked")));
    QVERIFY(!help->find(QStringLiteral("no such words anywhere")));
  }

  void presentationModeEnlargesTextAndLinesAndIsRemembered() {
    ensureDemoWorkspace();
    if (QTest::currentTestFailed()) return;
    const double normalText = QApplication::font().pointSizeF();
    {
      MainWindow window(QStringLiteral("CPU (2 threads)"));
      QVERIFY(window.openWorkspace(demoFolder_));
      window.resize(1280, 720);
      window.showStage(StageId::PreTrain);
      QCustomPlot* chart = window.pretrainPanel()->findChild<QCustomPlot*>();
      QVERIFY(chart);
      const double tickText = chart->xAxis->tickLabelFont().pointSizeF();
      const double line = chart->graph(0)->pen().widthF();

      QAction* mode = findAction(window, QStringLiteral("Presentation Mode"));
      QVERIFY(mode);
      QCOMPARE(mode->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+P")));
      mode->trigger();
      QVERIFY(mode->isChecked());
      QCOMPARE(QApplication::font().pointSizeF(), normalText * 1.5);
      QCOMPARE(chart->xAxis->tickLabelFont().pointSizeF(), tickText * 1.5);
      QCOMPARE(chart->graph(0)->pen().widthF(), line * 1.5);
      findAction(window, QStringLiteral("Larger Text"))->trigger();
      QCOMPARE(chart->xAxis->tickLabelFont().pointSizeF(), tickText * 1.75);  // never compounds
      findAction(window, QStringLiteral("Smaller Text"))->trigger();
      findAction(window, QStringLiteral("Smaller Text"))->trigger();
      QCOMPARE(window.presentationMode()->scale(), 1.25);
      // Still usable on a projector: the window does not grow past it.
      const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
      QVERIFY2(minimum.width() <= 1280 && minimum.height() <= 720,
               qPrintable(QStringLiteral("%1×%2").arg(minimum.width()).arg(minimum.height())));
    }
    {
      // The workspace remembers it: the next class opens at the same size.
      MainWindow window(QStringLiteral("CPU (2 threads)"));
      QVERIFY(window.openWorkspace(demoFolder_));
      QCOMPARE(window.presentationMode()->scale(), 1.25);
      QCOMPARE(QApplication::font().pointSizeF(), normalText * 1.25);
      QVERIFY(findAction(window, QStringLiteral("Presentation Mode"))->isChecked());
      findAction(window, QStringLiteral("Normal Size"))->trigger();
      QCOMPARE(QApplication::font().pointSizeF(), normalText);
    }
  }

  void everyStageRendersToPng() {
    ensureDemoWorkspace();  // this function also runs alone (its own CTest entry)
    if (QTest::currentTestFailed()) return;
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    QVERIFY(window.openWorkspace(demoFolder_));
    window.resize(1280, 720);  // a projector
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const struct {
      StageId stage;
      int tab;  // of stages with tabs
      const char* file;
    } shots[] = {{StageId::Data, 0, "main_window_data.png"},
                 {StageId::Model, 0, "main_window_model.png"},
                 {StageId::PreTrain, 0, "main_window_pretrain.png"},
                 {StageId::PreTrain, 1, "main_window_pretrain_training.png"},
                 {StageId::FineTune, 0, "main_window_finetune.png"},
                 {StageId::Playground, 0, "main_window_playground.png"},
                 {StageId::Attention, 0, "main_window_attention.png"},
                 {StageId::Attention, 1, "main_window_embeddings.png"},
                 {StageId::Experiments, 0, "main_window_experiments.png"}};
    for (const auto& shot : shots) {
      window.showStage(shot.stage);
      if (auto* tabs = qobject_cast<QTabWidget*>(window.stagePage(shot.stage)))
        tabs->setCurrentIndex(shot.tab);
      // The panels load their corpus and ask the model on worker threads: wait for them.
      QVERIFY2(waitUntilSettled(window, kSettleTimeoutMs), shot.file);
      const QImage image = window.grab().toImage();
      QVERIFY2(hasContent(image), shot.file);
      QVERIFY(image.save(screenshotFolder() + QLatin1Char('/') + QLatin1String(shot.file)));
    }
  }

 private:
  // The demo workspace most functions open; firstStartOpens… makes it when the whole suite runs.
  void ensureDemoWorkspace() {
    if (Workspace::isWorkspace(demoFolder_)) return;
    MainWindow window(QStringLiteral("CPU (2 threads)"));
    window.openDemoWorkspace(demoFolder_);
    QTRY_VERIFY_WITH_TIMEOUT(window.workspace() != nullptr, kDemoTimeoutMs);
  }

  static bool anyLabelContains(const QWidget& root, const QString& text) {
    for (const QLabel* label : root.findChildren<QLabel*>())
      if (label->text().contains(text)) return true;
    return false;
  }

  // The menu action whose text, without its & marker, is `text`.
  static QAction* findAction(const QWidget& window, const QString& text) {
    for (QAction* action : window.findChildren<QAction*>())
      if (action->text().remove(QLatin1Char('&')) == text) return action;
    return nullptr;
  }

  // A visible widget laid out (partly) outside `root`, and not inside a scroll area below it:
  // something a user could not reach. Empty when there is none.
  static QString firstClippedWidget(const QWidget& root) {
    const QRect inside = root.rect();
    for (const QWidget* widget : root.findChildren<QWidget*>()) {
      if (!widget->isVisible() || widget->isWindow()) continue;
      bool scrolled = false;  // reaching it is the scroll bars' job
      for (const QWidget* up = widget->parentWidget(); up && up != &root; up = up->parentWidget())
        if (qobject_cast<const QAbstractScrollArea*>(up)) scrolled = true;
      if (scrolled) continue;
      const QRect box(widget->mapTo(&root, QPoint(0, 0)), widget->size());
      if (!inside.contains(box)) {
        return QStringLiteral("%1 '%2' at %3,%4 %5×%6 outside %7×%8")
            .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName())
            .arg(box.x())
            .arg(box.y())
            .arg(box.width())
            .arg(box.height())
            .arg(inside.width())
            .arg(inside.height());
      }
    }
    return {};
  }

  static QStringList statusTexts(const MainWindow& window) {
    QStringList texts;
    for (const QLabel* label : window.statusBar()->findChildren<QLabel*>()) {
      const auto* elided = qobject_cast<const bertwb::ui::ElidedLabel*>(label);
      texts << (elided ? elided->fullText() : label->text());  // all of it, however narrow
    }
    return texts;
  }

  QTemporaryDir dir_;
  QString demoFolder_;
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
