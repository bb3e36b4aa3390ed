#pragma once
// A workspace is one folder that holds everything a user makes: the corpus, the tokenizer,
// the chosen model size, pre-training runs and each panel's settings. Panels read and write
// through this object, which saves workspace.json at once (atomically) on every change, so
// closing the window at any moment loses nothing.
//
// Layout under folder():
//   workspace.json  format tag, name, the model (preset name + Hugging Face config), and one
//                   JSON object per panel ("masking", "pretrain", ...)
//   corpus/         text files: one sentence per line, a blank line between documents
//   tokenizer/      vocab.txt + tokenizer_config.json, or spiece.model
//   runs/NAME/      pre-training runs (metrics.jsonl, checkpoint-N/, the final model)
//   tasks/          fine-tuning files (the demo world writes some)
//   finetuned/NAME/ fine-tuning runs (metrics.jsonl, best/, the final model)
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

#include "model/bert_config.h"
#include "train/run_recipes.h"
#include "util/progress.h"

namespace bertwb {
class Tokenizer;
}

namespace bertwb::ui {

// The section the Pre-train and Training and Masking & NSP tabs share.
inline const QString kPretrainSection = QStringLiteral("pretrain");

class Workspace : public QObject {
  Q_OBJECT
 public:
  static bool isWorkspace(const QString& folder);
  // Opens an existing workspace; throws bertwb::Error naming the folder and what is wrong.
  static std::unique_ptr<Workspace> open(const QString& folder);
  // Makes `folder` (empty or missing) a new workspace with the Tiny model and no data.
  static std::unique_ptr<Workspace> create(const QString& folder, const QString& name);
  // Writes the demo world and its 2,000-piece WordPiece vocabulary into `folder` and opens it
  // (seconds; call it off the GUI thread). An existing workspace is opened as it is; any other
  // folder that is not empty is refused (nothing in it is touched).
  static std::unique_ptr<Workspace> createDemo(const QString& folder,
                                               const ProgressCallback& progress = nullptr,
                                               const CancelFlag* cancel = nullptr);
  // Where the first start puts the demo workspace (under the user's data folder).
  static QString defaultDemoFolder();

  QString folder() const { return folder_; }
  QString name() const { return name_; }
  // Made by createDemo: its corpus is the demo world's (corpus/pretrain.txt), so the stages
  // offer the demo's recipes. Saved in workspace.json, whatever the workspace is renamed to.
  bool isDemo() const { return demo_; }
  QString corpusFolder() const;
  QStringList corpusFiles() const;  // *.txt under corpus/, sorted
  QString tokenizerFolder() const;  // tokenizer/ (it may not hold a tokenizer yet)
  bool hasTokenizer() const;
  // Loads the workspace tokenizer; throws bertwb::Error when there is none or it is broken.
  std::shared_ptr<Tokenizer> tokenizer() const;
  QString runsFolder() const;
  QString tasksFolder() const;
  QString finetunedFolder() const;  // finetuned/ (made on first use by the Fine-tune stage)
  // experiments/ (made on first use by the Experiments stage): one folder per experiment.
  QString experimentsFolder() const;

  // The model the Pre-train stage builds: a preset name ("tiny", "base", "L-4_H-256") or
  // "custom", and its full config (vocab_size follows the tokenizer).
  QString modelPreset() const { return modelPreset_; }
  const BertConfig& modelConfig() const { return modelConfig_; }
  void setModelConfig(const BertConfig& config, const QString& presetName);

  // A path read from workspace.json (a model, a task file): relative paths are relative to
  // the workspace folder, never to wherever the program was started; empty stays empty.
  // Such paths are untrusted input: they are opened only under util/regular_file.h's rule.
  QString resolvePath(const QString& stored) const;

  // Panel settings, saved as you go. An unknown key gives an empty object. A change emits
  // sectionChanged, so two panels that show the same settings stay in step.
  QJsonObject section(const QString& key) const;
  void setSection(const QString& key, const QJsonObject& value);

  // The pre-training recipe the next run uses: the "pretrain" section over the defaults for
  // the model (the demo's measured recipe in the demo workspace). The Training tab edits
  // the optimizer's side, the Masking & NSP tab the instances' side
  // (setPretrainingDataOptions writes only those fields): one recipe, two views.
  PretrainingRecipe defaultPretrainingRecipe() const;
  PretrainingRecipe pretrainingRecipe() const;
  void setPretrainingDataOptions(const PretrainingDataOptions& options);

  // Saving never throws: when workspace.json cannot be written (a read-only folder, a full
  // disk, a removed medium) the workspace becomes read-only for the rest of the session —
  // what is on screen stays, nothing is written — and saveFailed says why, once.
  bool isReadOnly() const { return readOnly_; }

  // While a pre-training run trains the workspace model, the model and the tokenizer stay as
  // they are (setModelConfig refuses, the Model stage greys its controls): `lockedBy` names the
  // run ("Pre-training"); an empty name unlocks.
  void setModelLockedBy(const QString& lockedBy);
  bool isModelLocked() const { return !modelLockedBy_.isEmpty(); }
  QString modelLockReason() const;  // "Pre-training is running: stop it to change the model.
  QString readOnlyReason() const { return readOnlyReason_; }
  // What load() found wrong and replaced by defaults; the original file is kept beside it
  // (workspace.json.unreadable-DATE) before anything is written over it.
  QStringList loadWarnings() const { return loadWarnings_; }

  // Call after writing into corpus/ or tokenizer/ so panels reload.
  void notifyCorpusChanged() { Q_EMIT corpusChanged(); }
  void notifyTokenizerChanged();

 Q_SIGNALS:
  void modelConfigChanged();
  void corpusChanged();
  void tokenizerChanged();
  void saveFailed(const QString& reason);
  void modelLockChanged(bool locked);
  void sectionChanged(const QString& key);

 private:
  explicit Workspace(const QString& folder);
  void load();
  void save();
  void keepUnreadableCopy(const QString& what);
  void followTokenizerVocabulary();

  QString folder_;
  QString name_;
  bool demo_ = false;
  QString modelPreset_ = QStringLiteral("tiny");
  BertConfig modelConfig_;
  QJsonObject sections_;
  bool readOnly_ = false;
  QString modelLockedBy_;
  QString readOnlyReason_;
  QStringList loadWarnings_;
  mutable std::shared_ptr<Tokenizer> tokenizer_;  // loaded on first use
};

}  // namespace bertwb::ui
