#include "util/folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "util/error.h"

namespace bertwb {
namespace {

constexpr size_t kHolderTextLimit = 512;

std::string holderText(int descriptor) {
  char buffer[kHolderTextLimit] = {};
  const ssize_t read = ::pread(descriptor, buffer, sizeof buffer - 1, 0);
  std::string text = read > 0 ? std::string(buffer, static_cast<size_t>(read)) : std::string();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "another process" : text;
}

std::string nowText() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[32] = {};
  std::tm local{};
  localtime_r(&now, &local);
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  return text;
}

}  // namespace

std::unique_ptr<FolderLock> FolderLock::acquire(const std::string& folder,
                                                const std::string& purpose) {
  std::error_code error;
  const bool createdFolder = !std::filesystem::exists(folder, error);
  std::filesystem::create_directories(folder, error);
  if (error) throw Error("cannot create the folder '" + folder + "': " + error.message());
  const std::string path = (std::filesystem::path(folder) / kFolderLockFile).string();
  const int descriptor = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (descriptor < 0)
    throw Error("cannot open the lock file '" + path + "': " + std::strerror(errno));
  if (::flock(descriptor, LOCK_EX | LOCK_NB) != 0) {
    const int reason = errno;
    const std::string holder = holderText(descriptor);
    ::close(descriptor);
    if (reason == EWOULDBLOCK) {
      throw Error("'" + folder + "' is in use by " + holder +
                  "; wait for that run to end (or stop it), or choose another folder");
    }
    throw Error("cannot lock '" + path + "': " + std::strerror(reason));
  }
  // Who holds it, for the message another process will show.
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const std::string holder = "process " + std::to_string(::getpid()) + " on " + host + " (" +
                             purpose + ", started " + nowText() + ")\n";
  if (::ftruncate(descriptor, 0) != 0 ||
      ::pwrite(descriptor, holder.data(), holder.size(), 0) < 0) {
    // The lock holds without the note; only the message would be vaguer.
  }
  return std::unique_ptr<FolderLock>(new FolderLock(folder, descriptor, createdFolder));
}

void FolderLock::removeFolderIfUnused() const {
  namespace fs = std::filesystem;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder_, error)) {
    if (entry.path().filename() != kFolderLockFile) return;  // the run wrote something: keep it
  }
  if (error) return;
  // Still holding the lock, so no other run can be inside; remove() refuses a non-empty folder.
  fs::remove(fs::path(folder_) / kFolderLockFile, error);
  fs::remove(folder_, error);
}

FolderLock::~FolderLock() {
  if (createdFolder_) removeFolderIfUnused();
  ::flock(descriptor_, LOCK_UN);
  ::close(descriptor_);
}

}  // namespace bertwb
