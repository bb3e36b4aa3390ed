#pragma once
// The checkpoint-N folders of a run, kept "complete or absent" through every kill point:
// a checkpoint is saved in a hidden staging folder and swapped into place (util/folder_swap.h),
// pruned by renaming it to a hidden name before deleting it, and listed only when every file
// of it is there. A run's start recovers what a kill left behind instead of deleting it.
// Torch-free: the GUI's checkpoint list uses it too.
#include <cstdint>
#include <string>
#include <vector>

namespace bertwb {

struct TrainingCheckpoint {
  std::string folder;
  int64_t step = 0;
};

// "checkpoint-000100"
std::string checkpointFolderName(int64_t step);
// OUT/.checkpoint-000100.partial (a save in progress) and OUT/.checkpoint-000100.old (the
// previous checkpoint of the same step, moved aside where the file system cannot swap).
std::string checkpointStagingName(int64_t step);
std::string checkpointAsideName(int64_t step);

// The files every complete checkpoint holds.
bool isCompleteCheckpoint(const std::string& folder);

// Complete checkpoints in OUT, oldest first; staging leftovers and incomplete folders are
// never listed.
std::vector<TrainingCheckpoint> listTrainingCheckpoints(const std::string& outputFolder);

// Removes all but the newest `keep` complete checkpoints (keep ≤ 0: none), each renamed to a
// hidden name first so a kill never leaves a half-deleted folder under a checkpoint-* name.
void pruneTrainingCheckpoints(const std::string& outputFolder, int keep);

// What an earlier process killed mid-save left: where checkpoint-N is missing, a complete
// .checkpoint-N.partial (the newer save) or else .checkpoint-N.old (the previous one) takes its
// name again; then every hidden staging, aside or pruning leftover is deleted.
void recoverCheckpointFolders(const std::string& outputFolder);

}  // namespace bertwb
