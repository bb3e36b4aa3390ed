#pragma once
// The one rule for writing into a folder, used by every command and the GUI: write only into
// a folder that is absent, empty, or recognisably the same kind of output from an earlier
// run that the user asked to continue (--resume) or replace (--force). Outputs are
// recognised by parsing their manifests (workspace.json, corpus.json, demo-world.json,
// config.json, trainer_state.json, metrics.jsonl), never by a file name alone. Everything
// else is refused with a message naming the folder, what it holds and the flag (if any)
// that would allow it. Torch-free.
#include <string>

namespace bertwb {

// What a folder holds, as far as the workbench can tell.
enum class FolderHolds {
  Nothing,         // no such path
  Empty,           // a folder with nothing in it (a lock file aside)
  Workspace,       // workspace.json of the GUI
  PretrainingRun,  // checkpoints / metrics.jsonl of a pre-training run (with or without its final
                   // model)
  FinetuningRun,   // metrics.jsonl with evaluations, best/, eval_results.json
  Model,           // a model folder (config.json of a BERT) that is not a run
  Tokenizer,       // vocab.txt or spiece.model, no model
  PreparedCorpus,  // corpus.json and exactly its shard files
  DemoWorld,       // demo-world.json and the demo's files
  FeatureVectors,  // extract-features output (features.json)
  Experiment,      // an experiment's folder (recipe.json of an experiment, cells/)
  Other,           // anything else: someone's files
};
const char* folderHoldsName(FolderHolds holds);  // "a pre-training run", "a model", ...

struct FolderInspection {
  FolderHolds holds = FolderHolds::Nothing;
  std::string
      description;  // "a fine-tuning run (metrics.jsonl, best/)", "files: notes.txt, data/, …"
};

// Looks at `path` without changing anything.
FolderInspection inspectFolder(const std::string& path);

// What a command is about to write.
enum class OutputKind {
  PretrainingRun,  // pretrain --out
  FinetuningRun,   // finetune --out
  Model,           // init --out
  Tokenizer,       // train-tokenizer --out
  PreparedCorpus,  // prepare-corpus --out
  DemoWorld,       // demo-data --out, the demo world of pretrain --demo
  FeatureVectors,  // extract-features --output
  Experiment,      // experiment run --out: continued where it stopped (finished cells kept)
};

struct OutputPermission {
  bool resume = false;  // continue an earlier run of the same kind in the folder
  bool force = false;   // replace an earlier output of the same kind (or, for runs, a model)
};

// Checks that `kind` may be written into `path` and returns what the folder holds now.
// Throws bertwb::Error ("'DIR' holds <what>; add --force to replace it, or choose another
// --out") when writing would replace files that are not this command's to replace.
// `flag` names the command's output option in messages.
FolderInspection claimOutputFolder(const std::string& path, OutputKind kind,
                                   OutputPermission permission, const std::string& flag = "--out");

// For commands that write one file (forward --output, create-pretraining-data --output,
// evaluate --predictions): an existing file is replaced only with `force`; a folder at that
// path is refused.
void claimOutputFile(const std::string& path, bool force, const std::string& flag = "--output");

}  // namespace bertwb
