#pragma once
// The Model wizard's first page: the model's size. A preset (Google's 24 small BERTs,
// BERT-Base, BERT-Large) fills L, H, A and I; every knob can then be edited ("Custom").
// Invalid combinations (H not divisible by A, ...) disable Next and say why, in the
// core's words (configProblems). The live cost summary sits underneath.
#include <QWizardPage>

#include "model/bert_config.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace bertwb::ui {

class ModelCostPanel;

class WizardSizePage : public QWizardPage {
  Q_OBJECT
 public:
  // Starts from `initial` (the workspace's model); `presetName` is a preset or "custom".
  WizardSizePage(const BertConfig& initial, const QString& presetName, QWidget* parent = nullptr);

  // The config the knobs describe (vocab_size as last set by setVocabSize).
  BertConfig config() const;
  // The preset whose shape the knobs match, or "custom".
  QString presetName() const;
  // Fills L, H, A and I from a preset; returns false (and changes nothing) for unknown names.
  bool setPreset(const QString& presetName);
  // The tokenizer decides the vocabulary; the summary follows it.
  void setVocabSize(int vocabSize);

  bool isComplete() const override;
  // Every problem with the knobs, one per line; empty when they make a valid model.
  QString validationMessage() const;

  QSpinBox* layersBox() const { return layersBox_; }
  QSpinBox* hiddenBox() const { return hiddenBox_; }
  QSpinBox* headsBox() const { return headsBox_; }
  QSpinBox* intermediateBox() const { return intermediateBox_; }
  ModelCostPanel* costPanel() const { return costPanel_; }

 Q_SIGNALS:
  void configChanged();

 private:
  void buildKnobs();
  void onKnobChanged();
  void selectMatchingPreset();

  BertConfig base_;  // the fields the page has no knob for (vocab_size, type_vocab_size, ...)
  bool applyingPreset_ = false;
  int previousHidden_ = 0;
  QComboBox* presetBox_ = nullptr;
  QSpinBox* layersBox_ = nullptr;
  QSpinBox* hiddenBox_ = nullptr;
  QSpinBox* headsBox_ = nullptr;
  QSpinBox* intermediateBox_ = nullptr;
  QSpinBox* positionsBox_ = nullptr;
  QDoubleSpinBox* hiddenDropoutBox_ = nullptr;
  QDoubleSpinBox* attentionDropoutBox_ = nullptr;
  QComboBox* activationBox_ = nullptr;
  QLabel* validationLabel_ = nullptr;
  ModelCostPanel* costPanel_ = nullptr;
};

}  // namespace bertwb::ui
