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
// A run's scores: OUT/best/eval_results.json (the best evaluation), OUT/eval_results.json
// (the best and the last, written with the final model).
constexpr const char* kEvalResultsManifest = "eval_results.json";

}  // namespace bertwb
