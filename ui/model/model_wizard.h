#pragma once
// The Model wizard: choose the model's size (preset or custom, validated as you type, with a
// live cost summary) and its tokenizer (keep, pick a file, or train one), then Finish writes
// both into the workspace. Nothing in the workspace changes before Finish.
#include <QWizard>

#include "model/bert_config.h"

namespace bertwb::ui {

class Workspace;
class WizardSizePage;
class WizardTokenizerPage;

class ModelWizard : public QWizard {
  Q_OBJECT
 public:
  enum PageId { SizePageId, TokenizerPageId };

  explicit ModelWizard(Workspace* workspace, QWidget* parent = nullptr);

  // The model the wizard would write: the size page's knobs with the chosen tokenizer's
  // vocabulary size.
  BertConfig config() const;
  // A preset name ("tiny", "base", "L-4_H-256") or "custom".
  QString presetName() const;
  bool isConfigValid() const;
  // Why the config is not valid, one problem per line (empty when it is).
  QString validationMessage() const;
  // The message of the last failed Finish (empty when none failed).
  QString lastError() const { return lastError_; }

  WizardSizePage* sizePage() const { return sizePage_; }
  WizardTokenizerPage* tokenizerPage() const { return tokenizerPage_; }

  // Writes the tokenizer (when it changed) and the model into the workspace; on an error the
  // wizard stays open and shows the message.
  void accept() override;

 Q_SIGNALS:
  // The workspace now holds the wizard's model (and tokenizer).
  void modelApplied();

 private:
  Workspace* workspace_;
  WizardSizePage* sizePage_;
  WizardTokenizerPage* tokenizerPage_;
  QString lastError_;
};

}  // namespace bertwb::ui
