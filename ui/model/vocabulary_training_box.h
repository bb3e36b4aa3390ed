#pragma once
// Trains a new vocabulary on the workspace corpus, off the GUI thread: WordPiece (vocab.txt,
// the original BERT's kind) or SentencePiece (spiece.model, unigram or BPE), with a progress
// bar, the time left and Cancel. The files land in a folder the caller chooses (the
// wizard's staging folder), so a cancelled or abandoned wizard never touches the workspace.
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace bertwb::ui {

class BackgroundJob;

class VocabularyTrainingBox : public QWidget {
  Q_OBJECT
 public:
  explicit VocabularyTrainingBox(QWidget* parent = nullptr);

  // The text files to learn from; Train is disabled (and says why) while there are none.
  void setCorpusFiles(const QStringList& files);
  // Where the trained files go; emptied of earlier tokenizer files before each training.
  void setOutputFolder(const QString& folder);

  // Returns false (and says why in the status line) when training cannot start.
  bool startTraining();
  void cancelTraining();
  bool isTraining() const;
  // "WordPiece", "SentencePiece (unigram)", ...: what the last training made.
  QString kindName() const;
  QString statusText() const;

  QSpinBox* sizeBox() const { return sizeBox_; }
  QComboBox* kindBox() const { return kindBox_; }

 Q_SIGNALS:
  void trainingStarted();
  void trainingSucceeded();
  void trainingFailed(const QString& message);
  void trainingCancelled();

 private:
  void updateButtons();
  void showStatus(const QString& text);

  QStringList corpusFiles_;
  QString outputFolder_;
  BackgroundJob* job_;
  QComboBox* kindBox_;
  QSpinBox* sizeBox_;
  QCheckBox* lowerCaseBox_;
  QPushButton* trainButton_;
  QPushButton* cancelButton_;
  QProgressBar* progressBar_;
  QLabel* statusLabel_;
};

}  // namespace bertwb::ui
