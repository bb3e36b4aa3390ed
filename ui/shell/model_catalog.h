#pragma once
// The models a workspace holds, for the pickers of the Fine-tune, Playground, Attention and
// Embedding stages: pre-training runs (runs/NAME/ and its checkpoint-N/ folders), fine-tuned
// models (finetuned/NAME/ and NAME/best/), and Hugging Face folders the user imported
// (remembered in workspace.json's "models" section). A folder is a model when it holds
// config.json and model.safetensors (or pytorch_model.bin); its config.json's "architectures"
// says what it can do. Torch-free and cheap: it only lists folders and reads small JSON files.
#include <QString>
#include <QStringList>
#include <vector>

namespace bertwb::ui {

class Workspace;

struct CatalogModel {
  enum class Origin { Pretrained, FineTuned, Imported };
  Origin origin = Origin::Pretrained;
  QString folder;         // absolute path
  QString name;           // what a picker shows: "demo-1 · step 1000", "sentiment · best"
  QString architecture;   // config.json "architectures"[0]; "BertModel" when absent
  QString task;           // fine-tuned: the task name ("classify", "tag", ...) when known
  qint64 step = -1;       // checkpoint-N: N; a run's final model: -1
  qint64 modifiedMs = 0;  // model file's modification time (newest first in lists)
};

// Everything under the workspace, newest first within each origin (pre-trained, fine-tuned,
// imported).
std::vector<CatalogModel> listWorkspaceModels(const Workspace& workspace);
// True when `folder` holds config.json and a weights file.
bool isModelFolder(const QString& folder);
// Reads `folder`/config.json's first architecture ("" when the file is missing or broken).
QString modelArchitecture(const QString& folder);
// How a picker names the model in `folder`, from its place in a run: "demo-1 · step 1000"
// (checkpoint-N), "sentiment-1 · best" (best/), "demo-1 · final" (a run's root with a model),
// else the folder's name.
QString modelDisplayName(const QString& folder);
// Remembers an imported Hugging Face folder in the workspace (kept across sessions).
void rememberImportedModel(Workspace& workspace, const QString& folder);

}  // namespace bertwb::ui
