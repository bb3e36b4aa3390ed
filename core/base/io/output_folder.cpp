#include "io/output_folder.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <vector>

#include "io/manifests.h"
#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/folder_lock.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

constexpr size_t kNamesShown = 4;           // entries listed when describing someone's folder
constexpr size_t kManifestLimit = 1 << 20;  // bytes read of any manifest: they are small

// The JSON in `path`, or null when it is missing, too large or does not parse.
nlohmann::json readSmallJson(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error) || fs::file_size(path, error) > kManifestLimit)
    return nullptr;
  try {
    return parseJsonOrDiscarded(readRegularFile(path.string(), kSettingsFile));
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool hasFormat(const nlohmann::json& manifest, const char* format) {
  return manifest.is_object() && jsonStringOr(manifest, "format") == format;
}

// The folder's entries, the lock file left out.
std::vector<std::string> entriesOf(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name != kFolderLockFile) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string listed(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < kNamesShown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > kNamesShown) text += ", … (" + std::to_string(names.size()) + " entries)";
  return text;
}

// The shard files a prepared corpus's corpus.json names, or nothing when it is not one of
// ours (another format or version, or shard names off the fixed pattern). Only what
// recognition needs; data/corpus_shards.cpp reads the whole manifest when opening the corpus.
std::optional<std::set<std::string>> preparedCorpusShardNames(const fs::path& manifestPath) try {
  const nlohmann::json manifest = readSmallJson(manifestPath);
  if (!manifest.is_object() || jsonStringOr(manifest, "format") != kCorpusShardsFormat ||
      manifest.value("version", nlohmann::json()) != nlohmann::json(kCorpusShardsVersion))
    return std::nullopt;
  const auto shards = manifest.find("shards");
  if (shards == manifest.end() || !shards->is_array() || shards->empty()) return std::nullopt;
  std::set<std::string> names;
  for (size_t i = 0; i < shards->size(); ++i) {
    const nlohmann::json& shard = (*shards)[i];
    char expected[32];
    std::snprintf(expected, sizeof expected, kCorpusShardNamePattern, i);
    if (!shard.is_object() || jsonStringOr(shard, "file") != expected) return std::nullopt;
    names.insert(expected);
  }
  return names;
} catch (const nlohmann::json::exception&) {  // a field of another type: not ours
  return std::nullopt;
}

// A prepared corpus is corpus.json and exactly the files it names: a user's file added to
// it makes the folder someone's, not ours to replace.
bool isCleanPreparedCorpus(const fs::path& folder, const std::vector<std::string>& names,
                           std::string& extra) {
  const std::optional<std::set<std::string>> shardNames =
      preparedCorpusShardNames(folder / kCorpusManifestFile);
  if (!shardNames) return false;
  std::set<std::string> own = {kCorpusManifestFile, kCorpusSentencesFile, kCorpusDocumentsFile,
                               kCorpusSourcesFile};
  own.insert(shardNames->begin(), shardNames->end());
  for (const std::string& name : names) {
    if (!own.count(name)) {
      extra = name;
      return false;
    }
  }
  return true;
}

bool isBertConfig(const nlohmann::json& config) {
  return config.is_object() && config.contains("hidden_size") &&
         config.contains("num_hidden_layers");
}

// A run folder's kind from its checkpoints' trainer_state.json, else from metrics.jsonl.
std::optional<FolderHolds> runKind(const fs::path& folder, const std::vector<std::string>& names) {
  bool checkpoints = false;
  for (const std::string& name : names) {
    if (name.rfind("checkpoint-", 0) != 0) continue;
    checkpoints = true;
    const nlohmann::json state = readSmallJson(folder / name / "trainer_state.json");
    if (!state.is_object()) continue;
    const std::string objective =
        jsonStringOr(state.value("run", nlohmann::json::object()), "objective");
    return objective == "finetuning" ? FolderHolds::FinetuningRun : FolderHolds::PretrainingRun;
  }
  const bool hasBest = std::find(names.begin(), names.end(), "best") != names.end();
  const bool hasResults =
      std::find(names.begin(), names.end(), kEvalResultsManifest) != names.end();
  if (hasBest || hasResults) return FolderHolds::FinetuningRun;
  std::ifstream metrics;
  try {
    metrics = openRegularFile((folder / "metrics.jsonl").string(), "metrics log");
  } catch (const Error&) {
  }
  if (metrics.is_open()) {
    bool pretraining = false, evaluation = false, any = false;
    for (std::string line; std::getline(metrics, line);) {
      const nlohmann::json record = parseJsonOrDiscarded(line);
      if (!record.is_object() || !record.contains("step")) continue;
      any = true;
      pretraining = pretraining || record.contains("mlm_loss");
      evaluation = evaluation || jsonBoolOr(record, "eval", false);
    }
    if (pretraining) return FolderHolds::PretrainingRun;
    if (evaluation) return FolderHolds::FinetuningRun;
    // An empty metrics.jsonl: a run stopped before its first line; say what its checkpoints say.
    if (!any && checkpoints) return FolderHolds::PretrainingRun;
    if (!any) return FolderHolds::FinetuningRun;  // fine-tuning keeps no checkpoints
  }
  if (checkpoints) return FolderHolds::PretrainingRun;
  return std::nullopt;
}

const char* kindName(OutputKind kind) {
  switch (kind) {
    case OutputKind::PretrainingRun:
      return "a pre-training run";
    case OutputKind::FinetuningRun:
      return "a fine-tuning run";
    case OutputKind::Model:
      return "a model";
    case OutputKind::Tokenizer:
      return "a tokenizer";
    case OutputKind::PreparedCorpus:
      return "a prepared corpus";
    case OutputKind::DemoWorld:
      return "the demo world";
    case OutputKind::FeatureVectors:
      return "feature vectors";
    case OutputKind::Experiment:
      return "an experiment";
  }
  return "output";
}

FolderHolds holdsOf(OutputKind kind) {
  switch (kind) {
    case OutputKind::PretrainingRun:
      return FolderHolds::PretrainingRun;
    case OutputKind::FinetuningRun:
      return FolderHolds::FinetuningRun;
    case OutputKind::Model:
      return FolderHolds::Model;
    case OutputKind::Tokenizer:
      return FolderHolds::Tokenizer;
    case OutputKind::PreparedCorpus:
      return FolderHolds::PreparedCorpus;
    case OutputKind::DemoWorld:
      return FolderHolds::DemoWorld;
    case OutputKind::FeatureVectors:
      return FolderHolds::FeatureVectors;
    case OutputKind::Experiment:
      return FolderHolds::Experiment;
  }
  return FolderHolds::Other;
}

}  // namespace

const char* folderHoldsName(FolderHolds holds) {
  switch (holds) {
    case FolderHolds::Nothing:
      return "nothing";
    case FolderHolds::Empty:
      return "nothing (an empty folder)";
    case FolderHolds::Workspace:
      return "a BERT Workbench workspace";
    case FolderHolds::PretrainingRun:
      return "a pre-training run";
    case FolderHolds::FinetuningRun:
      return "a fine-tuning run";
    case FolderHolds::Model:
      return "a model";
    case FolderHolds::Tokenizer:
      return "a tokenizer";
    case FolderHolds::PreparedCorpus:
      return "a prepared corpus";
    case FolderHolds::DemoWorld:
      return "the demo world";
    case FolderHolds::FeatureVectors:
      return "feature vectors";
    case FolderHolds::Experiment:
      return "an experiment";
    case FolderHolds::Other:
      return "other files";
  }
  return "other files";
}

FolderInspection inspectFolder(const std::string& path) {
  FolderInspection result;
  std::error_code error;
  const fs::path folder(path);
  if (!fs::exists(folder, error)) return result;
  if (!fs::is_directory(folder, error)) {
    result.holds = FolderHolds::Other;
    result.description = "a file, not a folder";
    return result;
  }
  const std::vector<std::string> names = entriesOf(folder);
  auto say = [&](FolderHolds holds, const std::string& detail) {
    result.holds = holds;
    result.description =
        std::string(folderHoldsName(holds)) + (detail.empty() ? "" : " (" + detail + ")");
    return result;
  };
  if (names.empty()) return say(FolderHolds::Empty, "");
  if (hasFormat(readSmallJson(folder / "workspace.json"), kWorkspaceFormat))
    return say(FolderHolds::Workspace, "");
  if (std::find(names.begin(), names.end(), kCorpusManifestFile) != names.end()) {
    std::string extra;
    if (isCleanPreparedCorpus(folder, names, extra))
      return say(FolderHolds::PreparedCorpus, "corpus.json");
    return say(FolderHolds::Other, extra.empty()
                                       ? "a corpus.json that is not a prepared corpus's"
                                       : "a prepared corpus with other files added: " + extra);
  }
  if (hasFormat(readSmallJson(folder / kDemoWorldManifest), kDemoWorldFormat))
    return say(FolderHolds::DemoWorld, "");
  if (hasFormat(readSmallJson(folder / kFeaturesManifest), kFeaturesFormat))
    return say(FolderHolds::FeatureVectors, "");
  if (hasFormat(readSmallJson(folder / kExperimentManifest), kExperimentManifestFormat))
    return say(FolderHolds::Experiment, "");
  if (const auto run = runKind(folder, names)) return say(*run, listed(names));
  if (isBertConfig(readSmallJson(folder / "config.json"))) {
    const nlohmann::json config = readSmallJson(folder / "config.json");
    const nlohmann::json architectures = config.value("architectures", nlohmann::json::array());
    const std::string architecture =
        architectures.is_array() && !architectures.empty() && architectures[0].is_string()
            ? architectures[0].get<std::string>()
            : std::string("BERT");
    return say(FolderHolds::Model, architecture + ", config.json");
  }
  const bool vocabulary = std::find(names.begin(), names.end(), "vocab.txt") != names.end() ||
                          std::find(names.begin(), names.end(), "spiece.model") != names.end();
  if (vocabulary) return say(FolderHolds::Tokenizer, listed(names));
  return say(FolderHolds::Other, listed(names));
}

FolderInspection claimOutputFolder(const std::string& path, OutputKind kind,
                                   OutputPermission permission, const std::string& flag) {
  const FolderInspection found = inspectFolder(path);
  if (found.holds == FolderHolds::Nothing || found.holds == FolderHolds::Empty) return found;
  const std::string where = "'" + path + "' holds " + found.description;
  const FolderHolds wanted = holdsOf(kind);
  const bool isRun = kind == OutputKind::PretrainingRun || kind == OutputKind::FinetuningRun ||
                     kind == OutputKind::Experiment;
  if (found.holds == wanted) {
    if (kind == OutputKind::PretrainingRun) {
      // A run is continued, never silently replaced: its checkpoints are hours of work.
      if (permission.resume) return found;
      throw Error(where + "; add --resume to continue it, or choose another " + flag);
    }
    if (permission.force || (permission.resume && isRun)) return found;
    throw Error(where + "; add --force to replace it, or choose another " + flag);
  }
  // A fine-tuning run (or init) may replace a model folder the user names explicitly.
  if (found.holds == FolderHolds::Model &&
      (kind == OutputKind::FinetuningRun || kind == OutputKind::Model)) {
    if (permission.force) return found;
    throw Error(where + "; add --force to replace it with " + kindName(kind) +
                ", or choose another " + flag);
  }
  throw Error(where + ", which " + kindName(kind) + " must not overwrite: choose a new or empty " +
              flag + " folder");
}

void claimOutputFile(const std::string& path, bool force, const std::string& flag) {
  std::error_code error;
  if (!fs::exists(path, error)) return;
  if (fs::is_directory(path, error))
    throw Error("'" + path + "' is a folder; " + flag + " names a file to write");
  if (!force)
    throw Error("'" + path + "' already exists; add --force to replace it, or choose another " +
                flag);
}

}  // namespace bertwb
