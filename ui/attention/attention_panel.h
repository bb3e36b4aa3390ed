#pragma once
// The Attention stage: what each head of the loaded model attends to for the Playground's
// current input (a sentence, a pair, or a question and its context). A layer and a head are
// chosen with the selectors or by clicking a picture in the "All heads" grid; the chosen head
// shows as a heatmap and as lines between two columns of pieces. Options hide [CLS]/[SEP],
// keep only sentence A → B (or B → A) for pairs, and renormalise rows. The maps are computed
// by the shared PredictorService off the GUI thread; the current view exports to PNG or SVG.
#include <QString>
#include <QWidget>
#include <optional>

#include "attention/attention_selection.h"
#include "infer/predictor.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTimer;
class QToolButton;

namespace bertwb::ui {

class AttentionGrid;
class AttentionHeatmap;
class AttentionLines;
class ModelPicker;
class PredictorService;
class Workspace;

class AttentionPanel : public QWidget {
  Q_OBJECT
 public:
  enum class View { Heatmap, Lines, Grid };

  // With a `workspace`, the stage has its own model picker (in step with the Playground's:
  // both choose for the one PredictorService); without one it shows whatever is loaded.
  explicit AttentionPanel(PredictorService* service, Workspace* workspace = nullptr,
                          QWidget* parent = nullptr);

  // The text to look at (B empty: a single sentence). Asks the model at once when one is loaded.
  void setInput(const QString& textA, const QString& textB = QString());
  QString textA() const;
  QString textB() const;
  // Shows maps computed elsewhere (what a finished request does).
  void setMaps(const AttentionMaps& maps);
  bool hasMaps() const { return maps_.has_value(); }
  const AttentionMaps& maps() const { return *maps_; }

  void setHead(int layer, int head);
  int layer() const;
  int head() const;
  AttentionViewOptions options() const;
  void setOptions(const AttentionViewOptions& options);
  void setView(View view);
  View view() const;

  // The message shown instead of (or above) the views: no model, empty input, an error.
  QString message() const;
  QString modelName() const;                            // "demo-1 · step 1000"
  ModelPicker* modelPicker() const { return picker_; }  // null without a workspace

  AttentionHeatmap* heatmap() const { return heatmap_; }
  AttentionLines* lines() const { return lines_; }
  AttentionGrid* grid() const { return grid_; }
  QTabWidget* viewTabs() const { return tabs_; }

  // Exports the view on show; false with `error` set when it cannot be written.
  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportSvg(const QString& path, QString* error = nullptr);

 Q_SIGNALS:
  void mapsShown();  // new maps arrived and the views show them

 private:
  void buildControls();
  void requestMaps();
  void onModelChanged();
  void refillHeadSelectors();
  void refreshViews();
  void refreshSingleHead();
  void showMessage(const QString& text, bool error = false);
  void exportWithDialog(bool svg);
  QString headTitle() const;

  PredictorService* service_;
  std::optional<AttentionMaps> maps_;
  QLabel* modelLabel_;
  ModelPicker* picker_ = nullptr;
  Workspace* workspace_;
  QLabel* messageLabel_;
  QLabel* timingLabel_;
  QLineEdit* textAEdit_;
  QLineEdit* textBEdit_;
  QComboBox* layerBox_;
  QComboBox* headBox_;
  QComboBox* directionBox_;
  QCheckBox* hideSpecialBox_;
  QCheckBox* normaliseBox_;
  QToolButton* zoomOutButton_;
  QToolButton* zoomInButton_;
  QPushButton* pngButton_;
  QPushButton* svgButton_;
  QTabWidget* tabs_;
  AttentionHeatmap* heatmap_;
  AttentionLines* lines_;
  AttentionGrid* grid_;
  QTimer* debounce_;
  bool updatingSelectors_ = false;
};

}  // namespace bertwb::ui
