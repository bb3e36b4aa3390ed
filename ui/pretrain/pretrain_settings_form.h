#pragma once
// The hyper-parameter form of the Pre-training panel: one editor per knob, each with a
// tooltip that says what it does and what the BERT paper used.
#include <QWidget>

#include "pretrain/pretrain_settings.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace bertwb::ui {
class PrecisionBox;
}

namespace bertwb::ui {

class PretrainSettingsForm : public QWidget {
  Q_OBJECT
 public:
  explicit PretrainSettingsForm(QWidget* parent = nullptr);

  // The probe fields are not on this form: they pass through unchanged.
  void setSettings(const PretrainSettings& settings);
  PretrainSettings settings() const;
  // The longest sequence the model can take (its position embeddings).
  void setMaxSequenceLimit(int positions);

 Q_SIGNALS:
  void edited();

 private:
  QSpinBox* addSpinBox(int minimum, int maximum, const QString& tooltip);

  PretrainSettings base_;  // carries the fields the form does not show
  QLineEdit* runName_;
  QSpinBox* steps_;
  QSpinBox* batchSize_;
  QSpinBox* maxSeqLength_;
  QLineEdit* learningRate_;
  QSpinBox* warmup_;
  QComboBox* schedule_;
  QSpinBox* accumulate_;
  PrecisionBox* precision_;
  QSpinBox* seed_;
  QSpinBox* saveEvery_;
  QCheckBox* nsp_;
  QSpinBox* logEvery_;
  QSpinBox* probeEvery_;
};

}  // namespace bertwb::ui
