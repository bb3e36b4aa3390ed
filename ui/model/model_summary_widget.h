#pragma once
// The Model stage's summary: pick a preset, see its shape, exact parameter counts by part
// (as a table and a bar chart), memory for weights and for Adam training, FLOPs per token.
#include <QWidget>

#include "model/bert_config.h"

class QComboBox;
class QLabel;
class QTableWidget;
class QCustomPlot;

namespace bertwb::ui {

class ModelSummaryWidget : public QWidget {
  Q_OBJECT
 public:
  explicit ModelSummaryWidget(QWidget* parent = nullptr);

  void setPreset(const QString& presetName);
  // Shows a workspace's model without emitting presetChosen; a config that matches no preset
  // shows as "Custom".
  void setConfig(const BertConfig& config, const QString& presetName);
  const BertConfig& config() const { return config_; }
  // Greys the preset box (a run trains this model); `why` becomes its tooltip.
  void setPresetChoiceEnabled(bool enabled, const QString& why = {});
  // The table's text, row by row ("embeddings\t23,837,184\t21.6%"), for tests.
  QStringList parameterRows() const;

 Q_SIGNALS:
  void configChanged();
  // The user picked a preset in the box (not emitted by setPreset/setConfig).
  void presetChosen(const QString& presetName);

 private:
  void showConfig();

  bool settingFromCode_ = false;
  BertConfig config_;
  QComboBox* presetBox_;
  QString presetTip_;  // the box's own tooltip, shown again when it is enabled
  QLabel* shapeLabel_;
  QTableWidget* parameterTable_;
  QCustomPlot* parameterChart_;
  QLabel* costLabel_;
};

}  // namespace bertwb::ui
