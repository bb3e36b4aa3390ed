#pragma once
// The Playground's model chooser: every model of the workspace (pre-training runs and their
// checkpoints, fine-tuned models, imported folders) in a list, "Refresh" to re-read the
// folders, and "Browse…" for any checkpoint folder on disk (remembered as imported).
#include <QString>
#include <QWidget>

class QComboBox;
class QPushButton;

namespace bertwb::ui {

class Workspace;

class PlaygroundModelPicker : public QWidget {
  Q_OBJECT
 public:
  explicit PlaygroundModelPicker(Workspace* workspace, QWidget* parent = nullptr);

  // Re-reads the workspace's models, keeping the current choice when it is still there.
  void refresh();
  // Shows `folder` as the choice (added to the list when the catalog does not hold it).
  void setCurrentFolder(const QString& folder);
  QString currentFolder() const;
  QComboBox* comboBox() const { return combo_; }

 Q_SIGNALS:
  void modelChosen(const QString& folder);  // the user picked a model

 private:
  void browse();

  Workspace* workspace_;
  QComboBox* combo_;
  QPushButton* refreshButton_;
  QPushButton* browseButton_;
};

}  // namespace bertwb::ui
