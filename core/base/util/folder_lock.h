#pragma once
// An advisory lock (flock) on a run folder for the life of a run, so two runs never write
// into one folder: the second is refused with a message naming the process that holds it.
// The kernel drops the lock when its process ends, however it ends, so a crashed run leaves
// no stale lock (the small lock file stays; it means nothing without the lock). A folder the
// lock created and nothing else wrote into is removed again at release, so a run refused
// after taking its lock (a missing input file, say) leaves no empty folder behind.
#include <memory>
#include <string>

namespace bertwb {

constexpr const char* kFolderLockFile = ".bertwb.lock";

class FolderLock {
 public:
  // Creates `folder` when missing and locks it for `purpose` ("pre-training", ...). Throws
  // bertwb::Error naming the holder ("'runs/x' is in use by process 1234 (pre-training,
  // started …); wait for it to end or choose another folder") when another lock is held,
  // also by this same process.
  static std::unique_ptr<FolderLock> acquire(const std::string& folder, const std::string& purpose);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  const std::string& folder() const { return folder_; }

 private:
  FolderLock(std::string folder, int descriptor, bool createdFolder)
      : folder_(std::move(folder)), descriptor_(descriptor), createdFolder_(createdFolder) {}
  void removeFolderIfUnused() const;
  std::string folder_;
  int descriptor_;
  bool createdFolder_;  // the folder did not exist before acquire()
};

}  // namespace bertwb
