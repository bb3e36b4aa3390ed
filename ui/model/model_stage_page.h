#pragma once
// The Model stage: the workspace's model (size, exact parameter counts, memory, FLOPs) and
// the way to change it, a quick preset box or the full wizard (sizes and tokenizer).
#include <QWidget>

class QLabel;

namespace bertwb::ui {

class ModelSummaryWidget;
class Workspace;

class ModelStagePage : public QWidget {
  Q_OBJECT
 public:
  explicit ModelStagePage(Workspace* workspace, QWidget* parent = nullptr);
  ModelSummaryWidget* summary() const { return summary_; }

 public Q_SLOTS:
  void openWizard();

 private:
  void showWorkspaceModel();
  void usePreset(const QString& presetName);

  Workspace* workspace_;
  ModelSummaryWidget* summary_;
  QLabel* tokenizerLabel_;
};

}  // namespace bertwb::ui
