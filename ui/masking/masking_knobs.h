#pragma once
// The knobs of masked-LM and next-sentence data, each with a tooltip that says what it does
// and the paper's default. Every change emits `changed` at once, so the instance redraws
// while the student drags a spin box.
#include <QJsonObject>
#include <QWidget>

#include "data/pretraining_sampler.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace bertwb::ui {

class MaskingKnobs : public QWidget {
  Q_OBJECT
 public:
  explicit MaskingKnobs(QWidget* parent = nullptr);

  // The knobs as sampler options (the seed is the panel's business and stays at its default).
  PretrainingDataOptions options() const;
  void setOptions(const PretrainingDataOptions& options);  // emits `changed` once
  // Settings saved in the workspace: {"maskedLmProb": 0.15, "maskTokenShare": 0.8, ...}.
  QJsonObject toJson() const;
  // Missing or out-of-range keys keep the paper's defaults.
  void fromJson(const QJsonObject& json);

 Q_SIGNALS:
  void changed();

 private:
  void updateKeptShare();

  QDoubleSpinBox* maskProbability_;
  QDoubleSpinBox* maskShare_;
  QDoubleSpinBox* randomShare_;
  QLabel* keptShare_;
  QCheckBox* wholeWord_;
  QSpinBox* maxPredictions_;
  QSpinBox* sequenceLength_;
  QDoubleSpinBox* shortSequenceProbability_;
  QPushButton* paperDefaults_;
  PretrainingDataOptions shown_;  // the last options set, for the fields without a knob
  bool settingOptions_ = false;   // one `changed` for a whole setOptions()
};

}  // namespace bertwb::ui
