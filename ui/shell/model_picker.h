#pragma once
// The model chooser of the Playground and Attention stages: every model of the workspace
// (pre-training runs and their checkpoints, fine-tuned models, imported folders) named
// "run · step N" / "run · best" / "run · final", "Refresh" to re-read the folders, and
// "Browse…" for any checkpoint folder on disk (remembered as imported). Two pickers that follow
// the one PredictorService show the same model: a choice in either loads it for both.
#include <QString>
#include <QWidget>

class QComboBox;
class QPushButton;

namespace bertwb::ui {

class PredictorService;
class Workspace;

class ModelPicker : public QWidget {
  Q_OBJECT
 public:
  explicit ModelPicker(Workspace* workspace, QWidget* parent = nullptr);

  // Re-reads the workspace's models, keeping the current choice when it is still there.
  void refresh();
  // Shows `folder` as the choice (added to the list when the catalog does not hold it).
  void setCurrentFolder(const QString& folder);
  QString currentFolder() const;
  QComboBox* comboBox() const { return combo_; }
  // Shows whatever `service` loads, wherever it was chosen.
  void follow(PredictorService* service);
  // A folder from Browse…: a model is remembered, shown and chosen (true); anything else is
  // refused with `refused` saying why, and the current choice stays (false).
  bool chooseFolder(const QString& folder);

 Q_SIGNALS:
  void modelChosen(const QString& folder);  // the user picked a model
  void refused(const QString& why);         // Browse… found no model there

 private:
  void browse();

  Workspace* workspace_;
  QComboBox* combo_;
  QPushButton* refreshButton_;
  QPushButton* browseButton_;
};

}  // namespace bertwb::ui
