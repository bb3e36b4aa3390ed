#include "playground/playground_model_picker.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QPushButton>

#include "shell/model_catalog.h"
#include "shell/workspace.h"

namespace bertwb::ui {
namespace {

constexpr int kMinimumComboWidth = 360;

QString originName(CatalogModel::Origin origin) {
  switch (origin) {
    case CatalogModel::Origin::Pretrained:
      return PlaygroundModelPicker::tr("pre-trained");
    case CatalogModel::Origin::FineTuned:
      return PlaygroundModelPicker::tr("fine-tuned");
    case CatalogModel::Origin::Imported:
      return PlaygroundModelPicker::tr("imported");
  }
  return {};
}

}  // namespace

PlaygroundModelPicker::PlaygroundModelPicker(Workspace* workspace, QWidget* parent)
    : QWidget(parent), workspace_(workspace) {
  combo_ = new QComboBox(this);
  combo_->setMinimumWidth(kMinimumComboWidth);
  combo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  combo_->setPlaceholderText(tr("Choose a model…"));
  combo_->setToolTip(tr("Pre-trained models fill in [MASK]s; fine-tuned models do their task."));
  refreshButton_ = new QPushButton(tr("Refresh"), this);
  refreshButton_->setToolTip(
      tr("Look again for models in the workspace (new checkpoints, fine-tuning runs)."));
  browseButton_ = new QPushButton(tr("Browse…"), this);
  browseButton_->setToolTip(tr(
      "Open any checkpoint folder (config.json + weights + vocab), e.g. a Hugging Face download."));

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(combo_, 1);
  layout->addWidget(refreshButton_);
  layout->addWidget(browseButton_);

  connect(refreshButton_, &QPushButton::clicked, this, &PlaygroundModelPicker::refresh);
  connect(browseButton_, &QPushButton::clicked, this, &PlaygroundModelPicker::browse);
  connect(combo_, &QComboBox::activated, this, [this](int index) {
    const QString folder = combo_->itemData(index).toString();
    if (!folder.isEmpty()) Q_EMIT modelChosen(folder);
  });
  refresh();
}

void PlaygroundModelPicker::refresh() {
  const QString current = currentFolder();
  combo_->clear();
  if (workspace_) {
    for (const CatalogModel& model : listWorkspaceModels(*workspace_)) {
      const QString text = QStringLiteral("%1  —  %2 · %3")
                               .arg(model.name, originName(model.origin), model.architecture);
      combo_->addItem(text, model.folder);
      combo_->setItemData(combo_->count() - 1, QDir::toNativeSeparators(model.folder),
                          Qt::ToolTipRole);
    }
  }
  if (!current.isEmpty()) setCurrentFolder(current);
}

void PlaygroundModelPicker::setCurrentFolder(const QString& folder) {
  const QString wanted = QDir::cleanPath(folder);
  for (int i = 0; i < combo_->count(); ++i) {
    if (QDir::cleanPath(combo_->itemData(i).toString()) == wanted) {
      combo_->setCurrentIndex(i);
      return;
    }
  }
  combo_->addItem(
      QStringLiteral("%1  —  %2").arg(QDir(folder).dirName(), QDir::toNativeSeparators(folder)),
      folder);
  combo_->setCurrentIndex(combo_->count() - 1);
}

QString PlaygroundModelPicker::currentFolder() const {
  return combo_->currentIndex() >= 0 ? combo_->currentData().toString() : QString();
}

void PlaygroundModelPicker::browse() {
  const QString start = workspace_ ? workspace_->folder() : QDir::homePath();
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a model folder"), start);
  if (folder.isEmpty()) return;
  if (workspace_ && isModelFolder(folder)) rememberImportedModel(*workspace_, folder);
  setCurrentFolder(folder);
  Q_EMIT modelChosen(folder);
}

}  // namespace bertwb::ui
