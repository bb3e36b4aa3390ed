#include "model/model_stage_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "model/model_summary_widget.h"
#include "model/model_wizard.h"
#include "model/presets.h"
#include "shell/workspace.h"
#include "text/tokenizer.h"
#include "util/error.h"

namespace bertwb::ui {

ModelStagePage::ModelStagePage(Workspace* workspace, QWidget* parent)
    : QWidget(parent), workspace_(workspace) {
  summary_ = new ModelSummaryWidget(this);
  tokenizerLabel_ = new QLabel(this);
  tokenizerLabel_->setWordWrap(true);
  auto* wizardButton = new QPushButton(tr("Model wizard…"), this);
  wizardButton->setToolTip(
      tr("Size the model freely (layers, hidden size, heads, feed-forward, positions, "
         "dropout) and choose or train its tokenizer, with live cost estimates."));
  connect(wizardButton, &QPushButton::clicked, this, &ModelStagePage::openWizard);

  auto* top = new QHBoxLayout;
  top->addWidget(tokenizerLabel_, 1);
  top->addWidget(wizardButton);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(summary_, 1);

  connect(summary_, &ModelSummaryWidget::presetChosen, this, &ModelStagePage::usePreset);
  // A running pre-training trains this model: nothing here may change it meanwhile.
  const auto showLock = [this, wizardButton](bool locked) {
    wizardButton->setEnabled(!locked);
    summary_->setPresetChoiceEnabled(!locked, workspace_->modelLockReason());
  };
  connect(workspace_, &Workspace::modelLockChanged, this, showLock);
  showLock(workspace_->isModelLocked());
  connect(workspace_, &Workspace::modelConfigChanged, this, &ModelStagePage::showWorkspaceModel);
  connect(workspace_, &Workspace::tokenizerChanged, this, &ModelStagePage::showWorkspaceModel);
  showWorkspaceModel();
}

void ModelStagePage::showWorkspaceModel() {
  summary_->setConfig(workspace_->modelConfig(), workspace_->modelPreset());
  if (!workspace_->hasTokenizer()) {
    tokenizerLabel_->setText(
        tr("<b>Tokenizer:</b> none yet. Open the model wizard to pick a vocab.txt or "
           "spiece.model, or to train one on the workspace corpus."));
    return;
  }
  try {
    const auto tokenizer = workspace_->tokenizer();
    tokenizerLabel_->setText(tr("<b>Tokenizer:</b> %1 with %2 pieces, in %3")
                                 .arg(QString::fromStdString(tokenizer->kind()))
                                 .arg(tokenizer->vocabSize())
                                 .arg(workspace_->tokenizerFolder()));
  } catch (const std::exception& e) {
    tokenizerLabel_->setText(
        tr("<b>Tokenizer:</b> cannot be loaded: %1").arg(QString::fromUtf8(e.what())));
  }
}

void ModelStagePage::usePreset(const QString& presetName) {
  // A preset keeps the workspace's vocabulary and position table, so the tokenizer still fits.
  const BertConfig& current = workspace_->modelConfig();
  try {
    workspace_->setModelConfig(
        presetConfig(presetName.toStdString(), current.vocab_size, current.max_position_embeddings),
        presetName);
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Model"), QString::fromUtf8(e.what()));
    showWorkspaceModel();
  }
}

void ModelStagePage::openWizard() {
  if (workspace_->isModelLocked()) {
    QMessageBox::information(this, tr("Model"), workspace_->modelLockReason());
    return;
  }
  ModelWizard wizard(workspace_, this);
  wizard.exec();
}

}  // namespace bertwb::ui
