#pragma once
// The names and format tags by which the workbench recognises its own outputs (see
// output_folder.h): each kind of output carries a small JSON manifest with a format name and
// a version. Torch-free.
namespace bertwb {

constexpr const char* kWorkspaceManifest = "workspace.json";
constexpr const char* kWorkspaceFormat = "bert-workbench-workspace";
constexpr const char* kDemoWorldManifest = "demo-world.json";
constexpr const char* kDemoWorldFormat = "bert-workbench-demo-world";
constexpr int kDemoWorldFormatVersion = 1;
constexpr const char* kFeaturesManifest = "features.json";
constexpr const char* kFeaturesFormat = "bert-workbench-features";
constexpr int kFeaturesFormatVersion = 1;
constexpr const char* kExperimentManifest = "recipe.json";
constexpr const char* kExperimentManifestFormat = "bert-workbench-experiment";
// A prepared corpus (data/corpus_shards.h has the layout): corpus.json names its shard files,
// which follow one fixed pattern, next to three index files.
constexpr const char* kCorpusManifestFile = "corpus.json";
constexpr const char* kCorpusShardsFormat = "bertwb-corpus-shards";
constexpr int kCorpusShardsVersion = 1;
constexpr const char* kCorpusShardNamePattern = "tokens-%05zu.bin";  // tokens-00000.bin, ...
constexpr const char* kCorpusSentencesFile = "sentences.bin";
constexpr const char* kCorpusDocumentsFile = "documents.bin";
constexpr const char* kCorpusSourcesFile = "sources.bin";
// A run's scores: OUT/best/eval_results.json (the best evaluation), OUT/eval_results.json
// (the best and the last, written with the final model).
constexpr const char* kEvalResultsManifest = "eval_results.json";
// A fine-tuning run's best model on its dev set, one JSON line per scored example: source,
// text, gold, predicted and (classification) confidence. What the results' "misclassified"
// list reads.
constexpr const char* kDevPredictionsFile = "dev_predictions.jsonl";
// What a run was started with, as the program that started it names its settings (the GUI's
// form, the CLI's flags), beside the engine's own record (trainer_state.json, "run").
constexpr const char* kRunSettingsFile = "run_settings.json";

}  // namespace bertwb
