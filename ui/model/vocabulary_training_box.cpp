#include "model/vocabulary_training_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "model/tokenizer_files.h"
#include "shell/background_job.h"
#include "text/sentencepiece_trainer.h"
#include "text/wordpiece_trainer.h"
#include "util/format.h"

namespace bertwb::ui {
namespace {

enum Kind { WordPiece, SentencePieceUnigram, SentencePieceBpe };

// 30,522: the released English BERTs' WordPiece vocabulary. The trainers stop short on a
// corpus too small for it, so the default is safe everywhere.
constexpr int kDefaultVocabularySize = 30522;
// Five specials, every character in two forms and a few pieces need room; 100 is the least
// that still learns sub-words on a tiny corpus.
constexpr int kMinVocabularySize = 100;
// Larger than any BERT vocabulary published (mBERT 119,547; RemBERT 250,000).
constexpr int kMaxVocabularySize = 262144;
// The progress bar counts in thousandths, smooth enough for a fraction 0..1.
constexpr int kProgressSteps = 1000;

}  // namespace

VocabularyTrainingBox::VocabularyTrainingBox(QWidget* parent)
    : QWidget(parent), job_(new BackgroundJob(this)) {
  kindBox_ = new QComboBox(this);
  kindBox_->addItem(tr("WordPiece (vocab.txt)"), WordPiece);
  kindBox_->addItem(tr("SentencePiece unigram (spiece.model)"), SentencePieceUnigram);
  kindBox_->addItem(tr("SentencePiece BPE (spiece.model)"), SentencePieceBpe);
  kindBox_->setToolTip(
      tr("WordPiece: the original BERT's tokenizer (words split on spaces and punctuation, then "
         "into pieces; \"##\" marks a continuation). SentencePiece: treats the text as a raw "
         "stream, good for languages without spaces (ALBERT, multilingual models)."));
  sizeBox_ = new QSpinBox(this);
  sizeBox_->setObjectName(QStringLiteral("vocabularySize"));
  sizeBox_->setRange(kMinVocabularySize, kMaxVocabularySize);
  sizeBox_->setValue(kDefaultVocabularySize);
  sizeBox_->setGroupSeparatorShown(true);
  sizeBox_->setToolTip(
      tr("Vocabulary size V: pieces in the vocabulary, the five special tokens included. BERT's "
         "English models use 30,522; a small corpus supports only a few thousand (training stops "
         "short when it runs out). Every piece costs H parameters in the embedding table."));
  lowerCaseBox_ = new QCheckBox(tr("Lower-case and strip accents (uncased)"), this);
  lowerCaseBox_->setChecked(true);
  lowerCaseBox_->setToolTip(
      tr("Uncased: \"Hello\" and \"hello\" become one token, accents are removed. BERT's "
         "\"uncased\" models do this and are usually better unless case matters (names, NER)."));
  trainButton_ = new QPushButton(tr("Train"), this);
  trainButton_->setObjectName(QStringLiteral("trainVocabulary"));
  trainButton_->setToolTip(
      tr("Learn the vocabulary from the workspace corpus (in the background)."));
  cancelButton_ = new QPushButton(tr("Cancel"), this);
  cancelButton_->setToolTip(tr("Stop training; nothing is changed."));
  progressBar_ = new QProgressBar(this);
  progressBar_->setRange(0, kProgressSteps);
  progressBar_->setValue(0);
  statusLabel_ = new QLabel(this);
  statusLabel_->setWordWrap(true);

  auto* form = new QFormLayout;
  form->addRow(tr("Kind:"), kindBox_);
  form->addRow(tr("Vocabulary size:"), sizeBox_);
  form->addRow(QString(), lowerCaseBox_);
  auto* runRow = new QHBoxLayout;
  runRow->addWidget(trainButton_);
  runRow->addWidget(progressBar_, 1);
  runRow->addWidget(cancelButton_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addLayout(runRow);
  layout->addWidget(statusLabel_);

  connect(kindBox_, &QComboBox::currentIndexChanged, this, &VocabularyTrainingBox::updateButtons);
  connect(trainButton_, &QPushButton::clicked, this, &VocabularyTrainingBox::startTraining);
  connect(cancelButton_, &QPushButton::clicked, this, &VocabularyTrainingBox::cancelTraining);
  connect(
      job_, &BackgroundJob::progressed, this,
      [this](double fraction, const QString& message, double eta) {
        if (fraction >= 0) progressBar_->setValue(static_cast<int>(fraction * kProgressSteps));
        showStatus(
            eta >= 0
                ? tr("%1 — about %2 left").arg(message, QString::fromStdString(formatSeconds(eta)))
                : message);
      });
  connect(job_, &BackgroundJob::succeeded, this, [this] {
    progressBar_->setValue(kProgressSteps);
    showStatus(tr("Done: %1").arg(statusLabel_->text()));
    updateButtons();
    Q_EMIT trainingSucceeded();
  });
  connect(job_, &BackgroundJob::failed, this, [this](const QString& message) {
    progressBar_->setValue(0);
    showStatus(tr("Training failed: %1").arg(message));
    updateButtons();
    Q_EMIT trainingFailed(message);
  });
  connect(job_, &BackgroundJob::cancelled, this, [this] {
    progressBar_->setValue(0);
    showStatus(tr("Cancelled; nothing was changed."));
    updateButtons();
    Q_EMIT trainingCancelled();
  });
  updateButtons();
}

void VocabularyTrainingBox::setCorpusFiles(const QStringList& files) {
  corpusFiles_ = files;
  if (files.isEmpty())
    showStatus(tr(
        "The workspace corpus is empty: add text files in the Data stage to train a vocabulary."));
  else if (!isTraining())
    showStatus(tr("%n corpus file(s) to learn from.", nullptr, files.size()));
  updateButtons();
}

void VocabularyTrainingBox::setOutputFolder(const QString& folder) {
  outputFolder_ = folder;
}

bool VocabularyTrainingBox::isTraining() const {
  return job_->isRunning();
}

QString VocabularyTrainingBox::kindName() const {
  switch (kindBox_->currentData().toInt()) {
    case SentencePieceUnigram:
      return tr("SentencePiece (unigram)");
    case SentencePieceBpe:
      return tr("SentencePiece (BPE)");
    default:
      return tr("WordPiece");
  }
}

QString VocabularyTrainingBox::statusText() const {
  return statusLabel_->text();
}

bool VocabularyTrainingBox::startTraining() {
  if (isTraining()) return false;
  if (corpusFiles_.isEmpty() || outputFolder_.isEmpty()) {
    showStatus(tr("Nothing to train on: the workspace corpus is empty."));
    return false;
  }
  try {
    // No file from an earlier training may survive next to the new one.
    clearTokenizerFiles(outputFolder_);
  } catch (const std::exception& error) {
    showStatus(tr("Cannot train: %1").arg(QString::fromStdString(error.what())));
    return false;
  }

  std::vector<std::string> inputs;
  for (const QString& file : corpusFiles_)
    inputs.push_back(QDir::toNativeSeparators(file).toStdString());
  const std::string folder = QDir::toNativeSeparators(outputFolder_).toStdString();
  const int kind = kindBox_->currentData().toInt();
  const int size = sizeBox_->value();
  const bool lowerCase = lowerCaseBox_->isChecked();
  // Everything the worker needs is copied into the lambda: it must not touch the widgets.
  BackgroundJob::Work work = [=](const ProgressCallback& progress, const CancelFlag& cancel) {
    if (kind == WordPiece) {
      WordPieceTrainOptions options;
      options.inputFiles = inputs;
      options.outputFolder = folder;
      options.vocabSize = size;
      options.doLowerCase = lowerCase;
      trainWordPieceVocab(options, progress, &cancel);
    } else {
      SentencePieceTrainOptions options;
      options.inputFiles = inputs;
      options.outputFolder = folder;
      options.vocabSize = size;
      options.modelType = kind == SentencePieceBpe ? "bpe" : "unigram";
      // A workspace corpus is usually small: keep every character and let the size be a limit.
      options.characterCoverage = 1.0;
      options.allowSmallerVocabulary = true;
      trainSentencePiece(options, progress, &cancel);
    }
  };
  progressBar_->setValue(0);
  job_->start(tr("Training a %1 vocabulary").arg(kindName()), work);
  showStatus(tr("Training a %1 vocabulary of up to %2 pieces…")
                 .arg(kindName(), QString::fromStdString(formatCount(size))));
  updateButtons();
  Q_EMIT trainingStarted();
  return true;
}

void VocabularyTrainingBox::cancelTraining() {
  job_->cancel();
}

void VocabularyTrainingBox::updateButtons() {
  const bool training = isTraining();
  trainButton_->setEnabled(!training && !corpusFiles_.isEmpty());
  cancelButton_->setEnabled(training);
  kindBox_->setEnabled(!training);
  sizeBox_->setEnabled(!training);
  // SentencePiece keeps the text as it is: casing is a WordPiece option only.
  lowerCaseBox_->setEnabled(!training && kindBox_->currentData().toInt() == WordPiece);
}

void VocabularyTrainingBox::showStatus(const QString& text) {
  statusLabel_->setText(text);
}

}  // namespace bertwb::ui
