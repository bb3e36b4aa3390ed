#include "train/checkpoint_folders.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

namespace bertwb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrefix = "checkpoint-";
constexpr const char* kStagingSuffix = ".partial";
constexpr const char* kAsideSuffix = ".old";
constexpr const char* kPruningSuffix = ".pruning";
// Written last by a save (trainer_state.json) and the rest it needs to resume.
constexpr const char* kRequiredFiles[] = {"config.json", "model.safetensors", "optimizer.pt",
                                          "rng_state.safetensors", "trainer_state.json"};

bool allDigits(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ".checkpoint-000100.partial" → 100 with suffix ".partial"; -1 when the name is not one of ours.
int64_t hiddenStep(const std::string& name, std::string& suffix) {
  const std::string prefix = std::string(".") + kPrefix;
  if (name.rfind(prefix, 0) != 0) return -1;
  const size_t dot = name.find('.', prefix.size());
  if (dot == std::string::npos) return -1;
  const std::string digits = name.substr(prefix.size(), dot - prefix.size());
  if (!allDigits(digits)) return -1;
  suffix = name.substr(dot);
  return std::stoll(digits);
}

}  // namespace

std::string checkpointFolderName(int64_t step) {
  char name[40];
  std::snprintf(name, sizeof name, "%s%06lld", kPrefix, static_cast<long long>(step));
  return name;
}

std::string checkpointStagingName(int64_t step) {
  return "." + checkpointFolderName(step) + kStagingSuffix;
}
std::string checkpointAsideName(int64_t step) {
  return "." + checkpointFolderName(step) + kAsideSuffix;
}

bool isCompleteCheckpoint(const std::string& folder) {
  std::error_code error;
  for (const char* file : kRequiredFiles)
    if (!fs::is_regular_file(fs::path(folder) / file, error)) return false;
  return true;
}

std::vector<TrainingCheckpoint> listTrainingCheckpoints(const std::string& outputFolder) {
  std::vector<TrainingCheckpoint> found;
  std::error_code error;
  if (!fs::is_directory(outputFolder, error)) return found;
  const std::string prefix = kPrefix;
  for (const auto& entry : fs::directory_iterator(outputFolder, error)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory(error) || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (!allDigits(digits) || !isCompleteCheckpoint(entry.path().string())) continue;
    found.push_back({entry.path().string(), std::stoll(digits)});
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.step < b.step; });
  return found;
}

void pruneTrainingCheckpoints(const std::string& outputFolder, int keep) {
  if (keep <= 0) return;
  const auto checkpoints = listTrainingCheckpoints(outputFolder);
  std::error_code error;
  for (size_t i = 0; i + static_cast<size_t>(keep) < checkpoints.size(); ++i) {
    const fs::path folder(checkpoints[i].folder);
    const fs::path hidden =
        folder.parent_path() / ("." + folder.filename().string() + kPruningSuffix);
    fs::remove_all(hidden, error);
    fs::rename(folder, hidden, error);
    if (!error) fs::remove_all(hidden, error);
  }
}

void recoverCheckpointFolders(const std::string& outputFolder) {
  std::error_code error;
  if (!fs::is_directory(outputFolder, error)) return;
  struct Leftovers {
    fs::path staging, aside;
  };
  std::map<int64_t, Leftovers> byStep;
  std::vector<fs::path> rubbish;
  for (const auto& entry : fs::directory_iterator(outputFolder, error)) {
    std::string suffix;
    const int64_t step = hiddenStep(entry.path().filename().string(), suffix);
    if (step < 0) continue;
    if (suffix == kStagingSuffix) {
      byStep[step].staging = entry.path();
    } else if (suffix == kAsideSuffix) {
      byStep[step].aside = entry.path();
    } else {
      rubbish.push_back(entry.path());  // .pruning: already on its way out
    }
  }
  for (const auto& [step, left] : byStep) {
    const fs::path target = fs::path(outputFolder) / checkpointFolderName(step);
    if (!fs::exists(target, error)) {
      // A kill between the two renames of a same-step save: put a whole one back in place.
      for (const fs::path& candidate : {left.staging, left.aside}) {
        if (!candidate.empty() && isCompleteCheckpoint(candidate.string())) {
          fs::rename(candidate, target, error);
          if (!error) break;
        }
      }
    }
    for (const fs::path& leftover : {left.staging, left.aside})
      if (!leftover.empty() && fs::exists(leftover, error)) rubbish.push_back(leftover);
  }
  for (const fs::path& leftover : rubbish) fs::remove_all(leftover, error);
}

}  // namespace bertwb
