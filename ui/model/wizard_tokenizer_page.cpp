#include "model/wizard_tokenizer_page.h"

#include <QButtonGroup>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include "model/tokenizer_files.h"
#include "model/vocabulary_training_box.h"
#include "shell/workspace.h"
#include "text/tokenizer.h"
#include "util/error.h"
#include "util/format.h"
#include "widgets/display_units.h"

namespace bertwb::ui {
namespace {

const QString kVocabFile = QStringLiteral("vocab.txt");
const QString kSentencePieceFile = QStringLiteral("spiece.model");
const QString kTokenizerConfigFile = QStringLiteral("tokenizer_config.json");
// SentencePiece models end in .model; anything else is read as a WordPiece vocab.txt.
const QString kSentencePieceSuffix = QStringLiteral("model");
// Indentation of the controls under each choice, so they read as belonging to it.
constexpr int kChoiceIndent = 24;

QString describe(const Tokenizer& tokenizer) {
  const QString kind = tokenizer.kind() == "wordpiece" ? QStringLiteral("WordPiece")
                                                       : QStringLiteral("SentencePiece");
  return QObject::tr("%1, %2 tokens").arg(kind, fromStd(formatCount(tokenizer.vocabSize())));
}

}  // namespace

WizardTokenizerPage::WizardTokenizerPage(Workspace* workspace, QWidget* parent)
    : QWizardPage(parent), workspace_(workspace) {
  setTitle(tr("Tokenizer"));
  setSubTitle(
      tr("The tokenizer cuts text into the pieces the model sees; its vocabulary size V "
         "sets the size of the embedding table (V × H parameters)."));
  if (workspace_->hasTokenizer()) {
    try {
      const auto tokenizer = workspace_->tokenizer();
      workspaceVocab_ = tokenizer->vocabSize();
      workspaceDescription_ = describe(*tokenizer);
    } catch (const std::exception& error) {
      workspaceDescription_ = tr("cannot be loaded: %1").arg(fromStd(error.what()));
    }
  } else {
    workspaceDescription_ = tr("none yet; the model keeps V = %1 until you make one")
                                .arg(fromStd(formatCount(workspace_->modelConfig().vocab_size)));
  }

  keepButton_ =
      new QRadioButton(tr("Keep the workspace tokenizer (%1)").arg(workspaceDescription_), this);
  keepButton_->setToolTip(tr("Use the vocabulary already in the workspace's tokenizer/ folder."));
  fileButton_ = new QRadioButton(tr("Use a vocabulary file"), this);
  fileButton_->setToolTip(
      tr("A vocab.txt (WordPiece, one token per line, as in Google's BERT downloads and Hugging "
         "Face checkpoints) or an spiece.model (SentencePiece). It is copied into the workspace."));
  trainButton_ = new QRadioButton(tr("Train a new vocabulary on the workspace corpus"), this);
  trainButton_->setToolTip(
      tr("Learn a vocabulary that fits your own text. Takes seconds to minutes."));
  choices_ = new QButtonGroup(this);
  choices_->addButton(keepButton_, KeepWorkspaceTokenizer);
  choices_->addButton(fileButton_, UseVocabularyFile);
  choices_->addButton(trainButton_, TrainNewVocabulary);
  keepButton_->setChecked(true);

  fileEdit_ = new QLineEdit(this);
  fileEdit_->setPlaceholderText(tr("path to vocab.txt or spiece.model"));
  fileEdit_->setToolTip(fileButton_->toolTip());
  browseButton_ = new QPushButton(tr("Browse…"), this);
  trainingBox_ = new VocabularyTrainingBox(this);
  trainingBox_->setCorpusFiles(workspace_->corpusFiles());
  trainingBox_->setOutputFolder(stagingFolder(TrainNewVocabulary));
  resultLabel_ = new QLabel(this);
  resultLabel_->setObjectName(QStringLiteral("tokenizerResult"));
  resultLabel_->setWordWrap(true);

  auto* grid = new QGridLayout;
  grid->setColumnMinimumWidth(0, kChoiceIndent);
  grid->addWidget(keepButton_, 0, 0, 1, 3);
  grid->addWidget(fileButton_, 1, 0, 1, 3);
  grid->addWidget(fileEdit_, 2, 1);
  grid->addWidget(browseButton_, 2, 2);
  grid->addWidget(trainButton_, 3, 0, 1, 3);
  grid->addWidget(trainingBox_, 4, 1, 1, 2);
  grid->setColumnStretch(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(grid);
  layout->addSpacing(kChoiceIndent / 2);
  layout->addWidget(resultLabel_);
  layout->addStretch(1);

  connect(choices_, &QButtonGroup::idClicked, this, &WizardTokenizerPage::refresh);
  connect(browseButton_, &QPushButton::clicked, this, &WizardTokenizerPage::browseForFile);
  connect(fileEdit_, &QLineEdit::editingFinished, this, [this] {
    if (!fileEdit_->text().isEmpty()) useVocabularyFile(fileEdit_->text());
  });
  connect(trainingBox_, &VocabularyTrainingBox::trainingStarted, this, [this] {
    trainedVocab_.reset();
    trainProblem_.clear();
    setChoice(TrainNewVocabulary);
  });
  connect(trainingBox_, &VocabularyTrainingBox::trainingSucceeded, this,
          &WizardTokenizerPage::onTrainingSucceeded);
  connect(trainingBox_, &VocabularyTrainingBox::trainingFailed, this,
          [this](const QString& message) {
            trainProblem_ = tr("Training failed: %1").arg(message);
            refresh();
          });
  connect(trainingBox_, &VocabularyTrainingBox::trainingCancelled, this,
          &WizardTokenizerPage::refresh);
  connect(workspace_, &Workspace::corpusChanged, this,
          [this] { trainingBox_->setCorpusFiles(workspace_->corpusFiles()); });
  lastReportedVocab_ = vocabSize();
  refresh();
}

QString WizardTokenizerPage::stagingFolder(Choice choice) const {
  return QDir(staging_.path())
      .filePath(choice == UseVocabularyFile ? QStringLiteral("file") : QStringLiteral("trained"));
}

WizardTokenizerPage::Choice WizardTokenizerPage::choice() const {
  return static_cast<Choice>(choices_->checkedId());
}

void WizardTokenizerPage::setChoice(Choice choice) {
  choices_->button(choice)->setChecked(true);
  refresh();
}

bool WizardTokenizerPage::useVocabularyFile(const QString& path) {
  fileEdit_->setText(path);
  fileVocab_.reset();
  const QFileInfo source(path);
  const QString folder = stagingFolder(UseVocabularyFile);
  try {
    if (!source.isFile()) throw Error("'" + localPath(path) + "' is not a file");
    clearTokenizerFiles(folder);
    const bool sentencePiece = source.suffix() == kSentencePieceSuffix;
    const QString stagedName = sentencePiece ? kSentencePieceFile : kVocabFile;
    if (!QFile::copy(path, QDir(folder).filePath(stagedName)))
      throw Error("cannot copy '" + localPath(path) + "' into the staging folder");
    // Casing and other WordPiece settings live beside the vocabulary; without them the
    // defaults (uncased) apply.
    const QString settings = source.dir().filePath(kTokenizerConfigFile);
    if (!sentencePiece && QFileInfo::exists(settings))
      QFile::copy(settings, QDir(folder).filePath(kTokenizerConfigFile));
    const auto tokenizer = loadTokenizer(localPath(folder));
    fileVocab_ = tokenizer->vocabSize();
    fileDescription_ = tr("%1, from %2").arg(describe(*tokenizer), source.fileName());
    fileProblem_.clear();
  } catch (const std::exception& error) {
    fileProblem_ = tr("That file cannot be used: %1").arg(fromStd(error.what()));
  }
  setChoice(UseVocabularyFile);
  return fileVocab_.has_value();
}

void WizardTokenizerPage::browseForFile() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Choose a vocabulary"), workspace_->folder(),
                                   tr("Vocabularies (*.txt *.model);;All files (*)"));
  if (!path.isEmpty()) useVocabularyFile(path);
}

void WizardTokenizerPage::onTrainingSucceeded() {
  try {
    const auto tokenizer = loadTokenizer(localPath(stagingFolder(TrainNewVocabulary)));
    trainedVocab_ = tokenizer->vocabSize();
    trainedDescription_ = tr("%1, trained on the workspace corpus").arg(describe(*tokenizer));
    trainProblem_.clear();
  } catch (const std::exception& error) {
    trainedVocab_.reset();
    trainProblem_ = tr("The trained vocabulary cannot be loaded: %1").arg(fromStd(error.what()));
  }
  refresh();
}

int WizardTokenizerPage::vocabSize() const {
  switch (choice()) {
    case UseVocabularyFile:
      if (fileVocab_) return *fileVocab_;
      break;
    case TrainNewVocabulary:
      if (trainedVocab_) return *trainedVocab_;
      break;
    case KeepWorkspaceTokenizer:
      break;
  }
  return workspaceVocab_.value_or(workspace_->modelConfig().vocab_size);
}

bool WizardTokenizerPage::changesTokenizer() const {
  return (choice() == UseVocabularyFile && fileVocab_) ||
         (choice() == TrainNewVocabulary && trainedVocab_);
}

void WizardTokenizerPage::installInto(Workspace& workspace) const {
  if (!changesTokenizer()) return;
  installTokenizerFiles(stagingFolder(choice()), workspace.tokenizerFolder());
}

bool WizardTokenizerPage::isComplete() const {
  switch (choice()) {
    case UseVocabularyFile:
      return fileVocab_.has_value();
    case TrainNewVocabulary:
      return trainedVocab_.has_value() && !trainingBox_->isTraining();
    case KeepWorkspaceTokenizer:
      return true;
  }
  return false;
}

QString WizardTokenizerPage::resultText() const {
  return resultLabel_->text();
}

void WizardTokenizerPage::refresh() {
  QString text;
  QString problem;
  switch (choice()) {
    case KeepWorkspaceTokenizer:
      text = tr("The model's vocabulary: V = %1 (workspace tokenizer: %2).")
                 .arg(fromStd(formatCount(vocabSize())), workspaceDescription_);
      break;
    case UseVocabularyFile:
      if (fileVocab_)
        text = tr("The model's vocabulary: V = %1 (%2).")
                   .arg(fromStd(formatCount(*fileVocab_)), fileDescription_);
      else
        problem = fileProblem_;
      if (text.isEmpty() && problem.isEmpty())
        text = tr("Choose a vocab.txt or spiece.model to continue.");
      break;
    case TrainNewVocabulary:
      if (trainingBox_->isTraining())
        text = tr("Training… Finish is enabled when the vocabulary is ready.");
      else if (trainedVocab_)
        text = tr("The model's vocabulary: V = %1 (%2).")
                   .arg(fromStd(formatCount(*trainedVocab_)), trainedDescription_);
      else
        problem = trainProblem_;
      if (text.isEmpty() && problem.isEmpty())
        text = tr("Click Train to learn a vocabulary, then Finish.");
      break;
  }
  // Red only for real problems; guidance and results stay in the normal colour.
  resultLabel_->setText(problem.isEmpty() ? text : problem);
  resultLabel_->setStyleSheet(
      problem.isEmpty() ? QStringLiteral("QLabel { font-weight: bold; }")
                        : QStringLiteral("QLabel { color: #b00020; font-weight: bold; }"));
  Q_EMIT completeChanged();
  const int vocab = vocabSize();
  if (vocab != lastReportedVocab_) {
    lastReportedVocab_ = vocab;
    Q_EMIT vocabSizeChanged(vocab);
  }
}

}  // namespace bertwb::ui
