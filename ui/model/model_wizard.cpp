#include "model/model_wizard.h"

#include <QMessageBox>

#include "model/wizard_size_page.h"
#include "model/wizard_tokenizer_page.h"
#include "shell/workspace.h"
#include "util/error.h"

namespace bertwb::ui {
namespace {
// Wide enough for the two knob columns beside the summary's two boxes without clipping.
constexpr int kMinimumWidth = 900;
constexpr int kMinimumHeight = 640;
}  // namespace

ModelWizard::ModelWizard(Workspace* workspace, QWidget* parent)
    : QWizard(parent), workspace_(workspace) {
  setWindowTitle(tr("Model wizard — %1").arg(workspace->name()));
  setWizardStyle(QWizard::ModernStyle);
  setOption(QWizard::NoBackButtonOnStartPage);
  setMinimumSize(kMinimumWidth, kMinimumHeight);

  sizePage_ = new WizardSizePage(workspace->modelConfig(), workspace->modelPreset(), this);
  tokenizerPage_ = new WizardTokenizerPage(workspace, this);
  setPage(SizePageId, sizePage_);
  setPage(TokenizerPageId, tokenizerPage_);
  // The tokenizer owns the vocabulary size; the size page's summary follows it.
  sizePage_->setVocabSize(tokenizerPage_->vocabSize());
  connect(tokenizerPage_, &WizardTokenizerPage::vocabSizeChanged, sizePage_,
          &WizardSizePage::setVocabSize);
}

BertConfig ModelWizard::config() const {
  BertConfig c = sizePage_->config();
  c.vocab_size = tokenizerPage_->vocabSize();
  return c;
}

QString ModelWizard::presetName() const {
  return sizePage_->presetName();
}

bool ModelWizard::isConfigValid() const {
  return configProblems(config()).empty();
}

QString ModelWizard::validationMessage() const {
  QStringList lines;
  for (const std::string& problem : configProblems(config()))
    lines << QString::fromStdString(problem);
  return lines.join('\n');
}

void ModelWizard::accept() {
  try {
    const BertConfig model = config();
    // Checked before the tokenizer is installed, so a bad config changes nothing at all.
    validateConfig(model, "the Model wizard");
    const bool tokenizerChanges = tokenizerPage_->changesTokenizer();
    if (tokenizerChanges) tokenizerPage_->installInto(*workspace_);
    workspace_->setModelConfig(model, presetName());
    if (tokenizerChanges) workspace_->notifyTokenizerChanged();
  } catch (const std::exception& error) {
    lastError_ = QString::fromStdString(error.what());
    // open(), not exec(): the wizard keeps running its event loop (and tests are not blocked).
    auto* box = new QMessageBox(QMessageBox::Critical, tr("Cannot apply the model"), lastError_,
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return;
  }
  lastError_.clear();
  Q_EMIT modelApplied();
  QWizard::accept();
}

}  // namespace bertwb::ui
