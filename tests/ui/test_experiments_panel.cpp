// The Experiments stage: every built-in recipe is offered with its cells and an estimated
// time; a small recipe added to the workspace runs end to end from Start (the queue's cells
// done, the results table and the claim's verdict filled in, the loss curve and the score bars
// drawn, the report exported with PNG figures into a new folder, never over an earlier
// export); Stop mid-cell leaves that cell to run again and Resume finishes the rest without
// rerunning what was done; the experiment reopens with its results in a new panel (a
// restart); the recipe editor names every bad field and keeps its form and JSON in step.
#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>
#include <memory>

#include "experiments/builtin_experiments.h"
#include "experiments/experiment_charts.h"
#include "experiments/experiment_queue_view.h"
#include "experiments/experiment_recipe_editor.h"
#include "experiments/experiment_results_view.h"
#include "experiments/experiment_session.h"
#include "experiments/experiments_panel.h"
#include "screenshots.h"
#include "shell/main_window.h"
#include "shell/workspace.h"
#include "tiny_experiment_recipe.h"

using bertwb::ui::ExperimentQueueView;
using bertwb::ui::ExperimentRecipeEditor;
using bertwb::ui::ExperimentsPanel;
using bertwb::ui::Workspace;
using nlohmann::json;
using CellState = ExperimentQueueView::CellState;

namespace {

constexpr int kRunTimeoutMs = 300000;

// The suites' tiny recipe, with a title and an about for the About tab.
json tinyRecipe(const std::string& name) {
  json recipe = bertwb::test::tinyExperimentRecipe(name);
  recipe["title"] = "Tiny test experiment";
  recipe["about"] = "A pre-training of 6 steps and two short fine-tunings.";
  return recipe;
}

bertwb::ExperimentRecipe parsed(const json& recipe) {
  return bertwb::parseExperimentRecipe(recipe, "test");
}

}  // namespace

class TestExperimentsPanel : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::unique_ptr<Workspace> workspace_;

  std::unique_ptr<ExperimentsPanel> newPanel() {
    auto panel = std::make_unique<ExperimentsPanel>(workspace_.get());
    panel->setErrorDialogsEnabled(false);
    panel->resize(1040, 600);
    return panel;
  }

  static bool runToEnd(ExperimentsPanel& panel) {
    if (!panel.start()) return false;
    return panel.waitUntilStopped(kRunTimeoutMs);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    workspace_ = Workspace::create(dir_.filePath(QStringLiteral("ws")), QStringLiteral("test"));
    QVERIFY(workspace_);
  }

  void everyBuiltinRecipeIsOfferedWithCellsAndATime() {
    auto panel = newPanel();
    const QStringList names = panel->experimentNames();
    for (const bertwb::ExperimentRecipe& recipe : bertwb::builtinExperiments()) {
      const QString name = QString::fromStdString(recipe.name);
      QVERIFY2(names.contains(name), qPrintable(name));
      QVERIFY(panel->selectExperiment(name));
      QCOMPARE(panel->currentRecipe().name, recipe.name);
      QVERIFY(panel->queue()->rowCount() > 0);
      QCOMPARE(panel->queue()->count(CellState::Waiting), panel->queue()->rowCount());
      // "0 of 27 cells to run, about 11 min on this machine"
      QVERIFY2(panel->estimateText().contains(QStringLiteral("min")),
               qPrintable(panel->estimateText()));
      QVERIFY(panel->about()->toPlainText().contains(QString::fromStdString(recipe.title)));
    }
    // A changed built-in cannot be saved under the built-in's name.
    bertwb::ExperimentRecipe changed = bertwb::builtinExperiments().front();
    changed.seeds += 1;
    QVERIFY(!panel->addRecipe(changed));
    QVERIFY2(panel->errorText().contains(QStringLiteral("built-in")),
             qPrintable(panel->errorText()));
  }

  void aSmallRecipeRunsEndToEndAndExports() {
    auto panel = newPanel();
    QVERIFY(panel->addRecipe(parsed(tinyRecipe("tiny-one"))));
    QCOMPARE(panel->currentExperiment(), QStringLiteral("tiny-one"));
    QCOMPARE(panel->queue()->rowCount(), 3);
    QSignalSpy running(panel.get(), &ExperimentsPanel::runningChanged);
    QVERIFY(runToEnd(*panel));
    QCOMPARE(running.count(), 2);  // true, then false
    QVERIFY2(panel->errorText().isEmpty(), qPrintable(panel->errorText()));
    QCOMPARE(panel->queue()->count(CellState::Done), 3);
    QVERIFY(!panel->queue()->runFolder(0).isEmpty());

    // One row per variant and task, each from one seed, and the claim judged.
    QTableWidget* table = panel->results()->table();
    // Two dev scores, the majority-class baseline, then the pre-training's perplexity.
    QCOMPARE(table->rowCount(), 4);
    for (int row : {0, 1, 3}) QCOMPARE(table->item(row, 3)->text(), QStringLiteral("1"));
    QCOMPARE(table->item(2, 0)->text(), QStringLiteral("majority class"));
    QCOMPARE(table->item(3, 1)->text(), QStringLiteral("pre-training"));
    QVERIFY(table->item(3, 2)->text().contains(QStringLiteral("mlm perplexity")));
    QVERIFY(table->item(0, 2)->text().contains(QStringLiteral("accuracy")));
    QVERIFY2(panel->results()->verdictText().contains(QStringLiteral("pre-trained > random")),
             qPrintable(panel->results()->verdictText()));
    QCOMPARE(panel->lossChart()->curveCount(), 1);  // the one pre-training
    QCOMPARE(panel->scoreChart()->barCount(), 2);
    QVERIFY(panel->estimateText().contains(QStringLiteral("all done")));

    // The report, exported twice: two folders, the first untouched by the second.
    const QString exports = dir_.filePath(QStringLiteral("exports"));
    QVERIFY(QDir().mkpath(exports));
    const QString first = panel->exportReport(exports);
    QCOMPARE(QFileInfo(first).fileName(), QStringLiteral("tiny-one-report"));
    for (const char* file :
         {"report.md", "results.csv", "recipe.json", "scores.svg", "scores.png", "loss-curves.png"})
      QVERIFY2(QFileInfo::exists(QDir(first).filePath(QLatin1String(file))), file);
    const QString second = panel->exportReport(exports);
    QCOMPARE(QFileInfo(second).fileName(), QStringLiteral("tiny-one-report-2"));
    QCOMPARE(QDir(exports).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden).size(), 2);

    // A finished cell opens its run in its stage.
    QSignalSpy open(panel.get(), &ExperimentsPanel::showRunRequested);
    Q_EMIT panel->queue()->cellDoubleClicked(0, 0);
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.at(0).at(0).toString(), panel->queue()->runFolder(0));
    QCOMPARE(open.at(0).at(1).toBool(), true);  // the first cell is the pre-training

    // A restart: a new panel on the workspace reopens the experiment with its results.
    panel.reset();
    auto reopened = newPanel();
    QCOMPARE(reopened->currentExperiment(), QStringLiteral("tiny-one"));
    QCOMPARE(reopened->queue()->count(CellState::Cached), 3);
    QCOMPARE(reopened->results()->table()->rowCount(), 4);
    QCOMPARE(reopened->lossChart()->curveCount(), 1);
  }

  void aFinishedCellOpensInThePretrainAndFinetuneStages() {
    QString pretraining, finetuning;
    {
      auto panel = newPanel();
      QVERIFY(panel->selectExperiment(QStringLiteral("tiny-one")));
      pretraining = panel->queue()->runFolder(0);
      finetuning = panel->queue()->runFolder(1);
    }
    QVERIFY(!pretraining.isEmpty() && !finetuning.isEmpty());
    bertwb::ui::MainWindow window(QStringLiteral("CPU"));
    QStringList errors;
    window.setErrorReporter([&errors](const QString& message) { errors << message; });
    QVERIFY(window.openWorkspace(workspace_->folder()));
    QVERIFY2(window.showRun(pretraining, bertwb::ui::RunRecord::Kind::Pretraining),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(window.currentStage(), bertwb::ui::StageId::PreTrain);
    QVERIFY2(window.showRun(finetuning, bertwb::ui::RunRecord::Kind::Finetuning),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(window.currentStage(), bertwb::ui::StageId::FineTune);
  }

  void stopMidCellThenResumeRunsOnlyWhatIsLeft() {
    auto panel = newPanel();
    QVERIFY(panel->addRecipe(parsed(tinyRecipe("tiny-stopped"))));
    // Stop at the first logged step of the first cell (the pre-training).
    connect(panel->queue(), &QTableWidget::itemChanged, panel.get(), [&panel] {
      if (panel->queue()->stateText(0).contains(QStringLiteral("step"))) panel->requestStop();
    });
    QVERIFY(runToEnd(*panel));
    QCOMPARE(panel->queue()->state(0), CellState::Stopped);
    QCOMPARE(panel->queue()->count(CellState::Done), 0);
    QVERIFY(panel->statusText().contains(QStringLiteral("Stopped")));
    disconnect(panel->queue(), &QTableWidget::itemChanged, panel.get(), nullptr);

    QVERIFY(runToEnd(*panel));
    QCOMPARE(panel->queue()->count(CellState::Done), 3);
    // And once more: nothing is left, so Start is off.
    QVERIFY(!panel->start());
  }

  void pauseHoldsTheCellAndContinueGoesOn() {
    auto panel = newPanel();
    QVERIFY(panel->addRecipe(parsed(tinyRecipe("tiny-paused"))));
    QVERIFY(panel->start());
    panel->setPaused(true);
    QVERIFY(panel->isPaused());
    QTest::qWait(300);
    QVERIFY(panel->isRunning());
    panel->setPaused(false);
    QVERIFY(panel->waitUntilStopped(kRunTimeoutMs));
    QCOMPARE(panel->queue()->count(CellState::Done), 3);
  }

  void theEditorNamesEveryProblemAndKeepsFormAndJsonInStep() {
    const bertwb::ExperimentRecipe base = bertwb::builtinExperiments().front();
    ExperimentRecipeEditor editor(
        base, [](const QString& name) { return name == QStringLiteral("taken"); });
    QVERIFY2(editor.isValid(), qPrintable(editor.problems()));
    // The form writes into the JSON.
    editor.seedsBox()->setValue(5);
    QCOMPARE(json::parse(editor.jsonText().toStdString())["seeds"].get<int>(), 5);
    // A JSON edit refills the form.
    json edited = json::parse(editor.jsonText().toStdString());
    edited["pretraining"]["steps"] = 321;
    editor.setJsonText(QString::fromStdString(edited.dump(2)));
    QCOMPARE(editor.stepsBox()->value(), 321);
    QVERIFY(editor.isValid());
    // Bad fields, each named by its path; a taken name; JSON that does not parse.
    edited["variants"][0]["objective"] = "sideways";
    edited["seeds"] = "three";
    editor.setJsonText(QString::fromStdString(edited.dump(2)));
    QVERIFY(!editor.isValid());
    QVERIFY2(editor.problems().contains(QStringLiteral("variants[0].objective")),
             qPrintable(editor.problems()));
    QVERIFY2(editor.problems().contains(QStringLiteral("seeds")), qPrintable(editor.problems()));
    edited = json::parse(experimentRecipeToJson(base).dump());
    edited["name"] = "taken";
    editor.setJsonText(QString::fromStdString(edited.dump(2)));
    QVERIFY(editor.problems().contains(QStringLiteral("exists already")));
    editor.setJsonText(QStringLiteral("{\"name\": "));
    QVERIFY(editor.problems().contains(QStringLiteral("does not parse")));
  }

  void panelScreenshots() {
    auto panel = newPanel();
    QVERIFY(panel->addRecipe(parsed(tinyRecipe("tiny-pictured"))));
    QVERIFY(runToEnd(*panel));
    const char* const names[] = {"about", "cells", "results", "loss-curves", "scores"};
    for (int tab = 0; tab < panel->tabs()->count(); ++tab) {
      panel->tabs()->setCurrentIndex(tab);
      panel->show();
      QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
      bertwb::test::saveScreenshot(
          *panel, QStringLiteral("experiments_%1.png").arg(QLatin1String(names[tab])));
    }
    ExperimentRecipeEditor editor(bertwb::builtinExperiments().front(), nullptr);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    bertwb::test::saveScreenshot(editor, QStringLiteral("experiments_recipe_editor.png"));
  }
};

QTEST_MAIN(TestExperimentsPanel)
#include "test_experiments_panel.moc"
