#pragma once
// The Model wizard's second page: which tokenizer the model reads with, since its
// vocabulary size sets the embedding table. Three choices: keep the workspace's tokenizer,
// use an existing vocab.txt / spiece.model, or train a new vocabulary on the workspace
// corpus. A chosen file or trained vocabulary is staged in a temporary folder and copied
// into the workspace's tokenizer/ only on Finish (installInto), so Cancel changes nothing.
#include <QTemporaryDir>
#include <QWizardPage>
#include <optional>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace bertwb::ui {

class VocabularyTrainingBox;
class Workspace;

class WizardTokenizerPage : public QWizardPage {
  Q_OBJECT
 public:
  enum Choice { KeepWorkspaceTokenizer, UseVocabularyFile, TrainNewVocabulary };

  explicit WizardTokenizerPage(Workspace* workspace, QWidget* parent = nullptr);

  Choice choice() const;
  void setChoice(Choice choice);
  // Stages `path` (a vocab.txt or spiece.model; a tokenizer_config.json beside a vocab.txt
  // comes along) and selects it; false, with the reason shown, when it cannot be loaded.
  bool useVocabularyFile(const QString& path);
  VocabularyTrainingBox* trainingBox() const { return trainingBox_; }

  // The vocabulary size of the chosen tokenizer (the workspace config's when there is none).
  int vocabSize() const;
  // True when Finish must replace the workspace tokenizer.
  bool changesTokenizer() const;
  // Copies the staged tokenizer into the workspace's tokenizer/ folder; throws bertwb::Error.
  void installInto(Workspace& workspace) const;
  QString resultText() const;

  bool isComplete() const override;

 Q_SIGNALS:
  void vocabSizeChanged(int vocabSize);

 private:
  void browseForFile();
  void onTrainingSucceeded();
  void refresh();
  QString stagingFolder(Choice choice) const;

  Workspace* workspace_;
  QTemporaryDir staging_;
  std::optional<int> workspaceVocab_;  // nothing: the workspace has no (loadable) tokenizer
  QString workspaceDescription_;
  std::optional<int> fileVocab_;
  QString fileDescription_;
  std::optional<int> trainedVocab_;
  QString trainedDescription_;
  QString fileProblem_;   // why the chosen file cannot be used
  QString trainProblem_;  // why training gave no usable vocabulary
  int lastReportedVocab_ = 0;
  QButtonGroup* choices_;
  QRadioButton* keepButton_;
  QRadioButton* fileButton_;
  QRadioButton* trainButton_;
  QLineEdit* fileEdit_;
  QPushButton* browseButton_;
  VocabularyTrainingBox* trainingBox_;
  QLabel* resultLabel_;
};

}  // namespace bertwb::ui
