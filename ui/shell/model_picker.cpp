#include "shell/model_picker.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QPushButton>

#include "shell/model_catalog.h"
#include "shell/predictor_service.h"
#include "shell/workspace.h"

namespace bertwb::ui {
namespace {

constexpr int kMinimumComboWidth = 360;

QString originName(CatalogModel::Origin origin) {
  switch (origin) {
    case CatalogModel::Origin::Pretrained:
      return ModelPicker::tr("pre-trained");
    case CatalogModel::Origin::FineTuned:
      return ModelPicker::tr("fine-tuned");
    case CatalogModel::Origin::Imported:
      return ModelPicker::tr("imported");
  }
  return {};
}

}  // namespace

ModelPicker::ModelPicker(Workspace* workspace, QWidget* parent)
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

  connect(refreshButton_, &QPushButton::clicked, this, &ModelPicker::refresh);
  connect(browseButton_, &QPushButton::clicked, this, &ModelPicker::browse);
  connect(combo_, &QComboBox::activated, this, [this](int index) {
    const QString folder = combo_->itemData(index).toString();
    if (!folder.isEmpty()) Q_EMIT modelChosen(folder);
  });
  refresh();
}

void ModelPicker::refresh() {
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

void ModelPicker::setCurrentFolder(const QString& folder) {
  const QString wanted = QDir::cleanPath(folder);
  for (int i = 0; i < combo_->count(); ++i) {
    if (QDir::cleanPath(combo_->itemData(i).toString()) == wanted) {
      combo_->setCurrentIndex(i);
      return;
    }
  }
  combo_->addItem(
      QStringLiteral("%1  —  %2").arg(modelDisplayName(folder), QDir::toNativeSeparators(folder)),
      folder);
  combo_->setCurrentIndex(combo_->count() - 1);
}

QString ModelPicker::currentFolder() const {
  return combo_->currentIndex() >= 0 ? combo_->currentData().toString() : QString();
}

void ModelPicker::browse() {
  const QString start = workspace_ ? workspace_->folder() : QDir::homePath();
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a model folder"), start);
  if (!folder.isEmpty()) chooseFolder(folder);
}

bool ModelPicker::chooseFolder(const QString& folder) {
  if (!isModelFolder(folder)) {
    Q_EMIT refused(tr("'%1' holds no model (a model folder has config.json and "
                      "model.safetensors or pytorch_model.bin); %2 stays loaded.")
                       .arg(QDir::toNativeSeparators(folder),
                            currentFolder().isEmpty() ? tr("nothing new")
                                                      : modelDisplayName(currentFolder())));
    return false;
  }
  if (workspace_) rememberImportedModel(*workspace_, folder);
  setCurrentFolder(folder);
  Q_EMIT modelChosen(folder);
  return true;
}

void ModelPicker::follow(PredictorService* service) {
  connect(service, &PredictorService::loaded, this, [this](const QString& folder) {
    refresh();  // a model saved since this list was read is listed by its name
    setCurrentFolder(folder);
  });
  if (service->isLoaded()) setCurrentFolder(service->folder());
}

}  // namespace bertwb::ui
