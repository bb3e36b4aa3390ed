// The Model wizard: validation blocks Next and says why, presets fill the knobs, the summary
// shows exact counts and memory, the step time appears once the benchmark ran, the tokenizer
// page trains (and cancels) a vocabulary off the GUI thread, Finish writes the workspace.
// Each page is saved as a PNG ($BERTWB_SCREENSHOT_DIR, or screenshots/ in the build folder).
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "model/model_cost_panel.h"
#include "model/model_stats.h"
#include "model/model_wizard.h"
#include "model/vocabulary_training_box.h"
#include "model/wizard_size_page.h"
#include "model/wizard_tokenizer_page.h"
#include "screenshots.h"
#include "shell/workspace.h"
#include "text/tokenizer.h"
#include "util/format.h"

using bertwb::ui::ModelWizard;
using bertwb::ui::VocabularyTrainingBox;
using bertwb::ui::WizardTokenizerPage;
using bertwb::ui::Workspace;

namespace {

// Long enough for a slow, shared CI machine; the work itself takes well under a second.
constexpr int kBackgroundTimeoutMs = 30000;
constexpr int kSmallVocabulary = 200;

// A few short documents: enough words for a vocabulary of a couple of hundred pieces.
const char* const kCorpusText =
    "The quick brown fox jumps over the lazy dog.\n"
    "A small model learns quickly on a small corpus.\n"
    "\n"
    "Tokenizers split words into pieces such as play and ##ing.\n"
    "Playing, played and player share the piece play.\n"
    "\n"
    "Transformers attend to every token in the sequence at once.\n"
    "Attention heads look at different relations between words.\n";

void savePage(QWidget* widget, const QString& name) {
  bertwb::test::saveScreenshot(*widget, name);
}

}  // namespace

class TestModelWizard : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir folder_;
  std::unique_ptr<Workspace> workspace_;
  int workspaceCount_ = 0;

  // A fresh workspace with a tiny corpus for each test.
  void makeWorkspace() {
    workspace_.reset();
    const QString path =
        QDir(folder_.path()).filePath(QStringLiteral("workspace-%1").arg(++workspaceCount_));
    workspace_ = Workspace::create(path, QStringLiteral("wizard test"));
    QFile corpus(QDir(workspace_->corpusFolder()).filePath(QStringLiteral("tiny.txt")));
    QVERIFY(corpus.open(QIODevice::WriteOnly));
    corpus.write(kCorpusText);
    corpus.close();
    workspace_->notifyCorpusChanged();
  }

 private Q_SLOTS:
  void init() { makeWorkspace(); }

  void headsMustDivideHidden() {
    ModelWizard wizard(workspace_.get());
    wizard.show();
    QVERIFY(wizard.sizePage()->setPreset(QStringLiteral("base")));
    QVERIFY(wizard.isConfigValid());
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    auto* validation = wizard.sizePage()->findChild<QLabel*>(QStringLiteral("validation"));
    QVERIFY(validation);
    QVERIFY(validation->isHidden());

    wizard.sizePage()->hiddenBox()->setValue(100);
    wizard.sizePage()->headsBox()->setValue(3);
    QVERIFY(!wizard.isConfigValid());
    QVERIFY(!wizard.sizePage()->isComplete());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(validation->isVisible());
    QVERIFY2(validation->text().contains(QStringLiteral("(100)")) &&
                 validation->text().contains(QStringLiteral("(3)")),
             qPrintable(validation->text()));
    QVERIFY(wizard.validationMessage().contains(QStringLiteral("divisible")));
    QCOMPARE(wizard.presetName(), QStringLiteral("custom"));
    savePage(&wizard, QStringLiteral("wizard-size-invalid.png"));

    wizard.sizePage()->headsBox()->setValue(4);  // 100 / 4 = 25: valid again
    QVERIFY(wizard.isConfigValid());
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(validation->isHidden());
  }

  void presetFillsKnobs_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("heads");
    QTest::newRow("tiny") << "tiny" << 2 << 128 << 2;
    QTest::newRow("L-6_H-256") << "L-6_H-256" << 6 << 256 << 4;
    QTest::newRow("large") << "large" << 24 << 1024 << 16;
  }
  void presetFillsKnobs() {
    QFETCH(QString, preset);
    QFETCH(int, layers);
    QFETCH(int, hidden);
    QFETCH(int, heads);
    ModelWizard wizard(workspace_.get());
    auto* presetBox = wizard.sizePage()->findChild<QComboBox*>(QStringLiteral("preset"));
    QVERIFY(presetBox);
    // Picking from the combo box, as a user would.
    presetBox->setCurrentIndex(presetBox->findData(preset));
    QCOMPARE(wizard.sizePage()->layersBox()->value(), layers);
    QCOMPARE(wizard.sizePage()->hiddenBox()->value(), hidden);
    QCOMPARE(wizard.sizePage()->headsBox()->value(), heads);
    QCOMPARE(wizard.sizePage()->intermediateBox()->value(), 4 * hidden);
    QCOMPARE(wizard.presetName(), preset);
    QCOMPARE(wizard.config().num_hidden_layers, layers);
  }

  void summaryShowsExactCountsAndMemory() {
    ModelWizard wizard(workspace_.get());
    QVERIFY(wizard.sizePage()->setPreset(QStringLiteral("base")));
    // A workspace without a tokenizer keeps BERT's own vocabulary, 30,522.
    QCOMPARE(wizard.config().vocab_size, 30522);
    auto* panel = wizard.sizePage()->costPanel();
    panel->setTrainingShape(32, 128);
    const QString text = panel->summaryText();
    QVERIFY2(text.contains(QStringLiteral("109,482,240")), qPrintable(text));  // BertModel
    QVERIFY2(text.contains(QStringLiteral("110,106,428")),
             qPrintable(text));  // + MLM and NSP heads
    // 110,106,428 fp32 weights = 440,425,712 bytes; Adam doubles them twice over plus
    // activations (hand-computed from the estimate's formula at batch 32 × 128).
    QVERIFY2(text.contains(QStringLiteral("Weights (fp32): 420.0 MiB")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("two moments 840.0 MiB")), qPrintable(text));
    const auto memory = bertwb::estimateTrainingMemory(wizard.config(), 32, 128);
    QCOMPARE(memory.trainingBytes(), int64_t(5'146'506'176));
    QVERIFY2(text.contains(QString::fromStdString(bertwb::formatBytes(5'146'506'176.0))),
             qPrintable(text));

    // Memory follows the batch: half the batch, half the activations.
    panel->setTrainingShape(16, 128);
    QVERIFY(!panel->summaryText().contains(
        QString::fromStdString(bertwb::formatBytes(5'146'506'176.0))));

    // The step time appears once the background benchmark is done.
    QTRY_VERIFY_WITH_TIMEOUT(panel->isRateMeasured(), kBackgroundTimeoutMs);
    QVERIFY2(!panel->summaryText().contains(QStringLiteral("measuring")),
             qPrintable(panel->summaryText()));
    QVERIFY2(panel->summaryText().contains(QStringLiteral("GFLOP/s")),
             qPrintable(panel->summaryText()));
  }

  void trainsVocabularyAndFinishWritesWorkspace() {
    ModelWizard wizard(workspace_.get());
    wizard.resize(wizard.minimumSize());
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QVERIFY(wizard.sizePage()->setPreset(QStringLiteral("tiny")));
    QTRY_VERIFY_WITH_TIMEOUT(wizard.sizePage()->costPanel()->isRateMeasured(),
                             kBackgroundTimeoutMs);
    savePage(&wizard, QStringLiteral("wizard-size.png"));

    wizard.next();
    QCOMPARE(wizard.currentId(), int(ModelWizard::TokenizerPageId));
    WizardTokenizerPage* page = wizard.tokenizerPage();
    VocabularyTrainingBox* training = page->trainingBox();
    training->sizeBox()->setValue(kSmallVocabulary);
    QSignalSpy succeeded(training, &VocabularyTrainingBox::trainingSucceeded);
    QSignalSpy vocabChanged(page, &WizardTokenizerPage::vocabSizeChanged);
    QVERIFY(training->startTraining());
    QVERIFY(
        !wizard.button(QWizard::FinishButton)->isEnabled());  // not before the vocabulary exists
    QVERIFY(succeeded.wait(kBackgroundTimeoutMs));
    QVERIFY(page->isComplete());
    QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
    const int vocab = page->vocabSize();
    QVERIFY2(vocab > 5 && vocab <= kSmallVocabulary, qPrintable(QString::number(vocab)));
    QCOMPARE(wizard.config().vocab_size, vocab);
    QCOMPARE(vocabChanged.count(), 1);
    QVERIFY(page->resultText().contains(QString::fromStdString(bertwb::formatCount(vocab))));
    // Nothing reaches the workspace before Finish.
    QVERIFY(!workspace_->hasTokenizer());
    savePage(&wizard, QStringLiteral("wizard-tokenizer.png"));

    QSignalSpy tokenizerChanged(workspace_.get(), &Workspace::tokenizerChanged);
    QSignalSpy modelChanged(workspace_.get(), &Workspace::modelConfigChanged);
    wizard.accept();
    QVERIFY2(wizard.lastError().isEmpty(), qPrintable(wizard.lastError()));
    QCOMPARE(modelChanged.count(), 1);
    QCOMPARE(tokenizerChanged.count(), 1);
    QVERIFY(workspace_->hasTokenizer());
    QCOMPARE(workspace_->tokenizer()->vocabSize(), vocab);
    QCOMPARE(workspace_->modelConfig().vocab_size, vocab);
    QCOMPARE(workspace_->modelConfig().hidden_size, 128);
    QCOMPARE(workspace_->modelPreset(), QStringLiteral("tiny"));
  }

  void cancelLeavesNothing() {
    ModelWizard wizard(workspace_.get());
    wizard.next();
    WizardTokenizerPage* page = wizard.tokenizerPage();
    VocabularyTrainingBox* training = page->trainingBox();
    training->sizeBox()->setValue(kSmallVocabulary);
    QSignalSpy cancelled(training, &VocabularyTrainingBox::trainingCancelled);
    QSignalSpy succeeded(training, &VocabularyTrainingBox::trainingSucceeded);
    QVERIFY(training->startTraining());
    QVERIFY(training->isTraining());
    training->cancelTraining();
    QVERIFY(cancelled.wait(kBackgroundTimeoutMs));
    QCOMPARE(succeeded.count(), 0);
    QVERIFY(!training->isTraining());
    QVERIFY(!page->isComplete());
    QVERIFY(!page->changesTokenizer());
    QVERIFY(training->statusText().contains(QStringLiteral("Cancelled")));
    QCOMPARE(page->vocabSize(), workspace_->modelConfig().vocab_size);
  }

  void badVocabularyFileIsRefused() {
    ModelWizard wizard(workspace_.get());
    wizard.next();
    WizardTokenizerPage* page = wizard.tokenizerPage();
    QVERIFY(!page->useVocabularyFile(
        QDir(folder_.path()).filePath(QStringLiteral("missing/vocab.txt"))));
    QCOMPARE(page->choice(), WizardTokenizerPage::UseVocabularyFile);
    QVERIFY(!page->isComplete());
    QVERIFY2(page->resultText().contains(QStringLiteral("missing")),
             qPrintable(page->resultText()));
  }
};

QTEST_MAIN(TestModelWizard)
#include "test_model_wizard.moc"
