#pragma once
// The "Start from" and hyper-parameter part of the Fine-tune stage: a pre-trained checkpoint
// of the workspace, an imported Hugging Face folder or random initialisation (the paper's
// "no pre-training" comparison); learning rate (the paper's grid 5e-5 / 3e-5 / 2e-5), batch
// size, epochs, max_seq_length, warm-up, evaluation interval, a frozen-encoder switch
// (feature-based) and an optional cap on the training examples for a quick look.
#include <QWidget>

#include "finetune/finetune_settings.h"

class QButtonGroup;
class QCheckBox;
class QLabel;
class QComboBox;

namespace bertwb::ui {
class PrecisionBox;
}
class QDoubleSpinBox;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace bertwb::ui {

class Workspace;

class FinetuneSettingsForm : public QWidget {
  Q_OBJECT
 public:
  explicit FinetuneSettingsForm(Workspace* workspace, QWidget* parent = nullptr);

  // Only the start and hyper-parameter fields are read or written.
  void setSettings(const FinetuneSettings& settings);
  void applyTo(FinetuneSettings& settings) const;
  // Re-reads the workspace's checkpoints (after a pre-training run or an import).
  void refreshCheckpoints();
  int checkpointCount() const;
  // Where the hyper-parameters' defaults came from ("the paper's (A.3) …"), under the form.
  void setDefaultsSource(const QString& source);
  // The folder the run starts from (a checkpoint or an imported model); empty for random init.
  QString startFolder() const;

 Q_SIGNALS:
  void edited();
  void defaultsRequested();  // "Defaults for this model" was pressed

 private:
  void importFolder();
  void updateEnabled();

  Workspace* workspace_;
  QRadioButton* pretrainedButton_;
  QRadioButton* importedButton_;
  QRadioButton* randomButton_;
  QButtonGroup* startGroup_;
  QComboBox* checkpointBox_;
  QLineEdit* importedEdit_;
  QComboBox* learningRateBox_;
  QSpinBox* batchBox_;
  QSpinBox* epochsBox_;
  QSpinBox* maxSeqBox_;
  QDoubleSpinBox* warmupBox_;
  QSpinBox* evalEveryBox_;
  QSpinBox* maxExamplesBox_;
  QCheckBox* frozenBox_;
  QLabel* defaultsSource_;
  QSpinBox* seedBox_;
  PrecisionBox* precisionBox_;
  bool filling_ = false;
};

}  // namespace bertwb::ui
