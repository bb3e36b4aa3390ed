#pragma once
// The workbench window: the stages of a BERT's life in a sidebar (Data → Model → Pre-train
// → Fine-tune → Playground → Attention), the current stage beside it, device and model in
// the status bar.
#include <QMainWindow>

class QListWidget;
class QStackedWidget;
class QLabel;

namespace bertwb::ui {

class ModelSummaryWidget;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // `deviceDescription`: "CPU (2 threads)" or the GPU's name, from the app.
  explicit MainWindow(const QString& deviceDescription, QWidget* parent = nullptr);

  enum Stage { Data, Model, PreTrain, FineTune, Playground, Attention };
  void showStage(Stage stage);
  ModelSummaryWidget* modelSummary() const { return modelSummary_; }

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void updateStatus();
  void restoreLayout();

  QListWidget* stageList_;
  QStackedWidget* stages_;
  ModelSummaryWidget* modelSummary_;
  QLabel* deviceLabel_;
  QLabel* modelLabel_;
};

}  // namespace bertwb::ui
