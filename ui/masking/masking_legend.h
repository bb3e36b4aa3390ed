#pragma once
// The key to the instance view, always on screen beside it: sample chips for [CLS]/[SEP],
// segment A, segment B and the three things masking does, each with its current share.
#include <QWidget>

#include "data/pretraining_sampler.h"

class QLabel;

namespace bertwb::ui {

class MaskingLegend : public QWidget {
  Q_OBJECT
 public:
  explicit MaskingLegend(QWidget* parent = nullptr);
  // The shares in the descriptions follow the knobs ("→ [MASK] (80% of chosen)").
  void setOptions(const PretrainingDataOptions& options);

 private:
  QLabel* maskDescription_;
  QLabel* randomDescription_;
  QLabel* keptDescription_;
};

}  // namespace bertwb::ui
