#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

std::string systemError() {
  return std::strerror(errno);
}

void writeAll(int fd, const void* data, size_t size, const std::string& path) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t written = ::write(fd, bytes, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      // EFBIG: past the file-size limit (runtime/process_signals.h). The target is named, not
      // the temporary file, and it is left as it was.
      if (errno == EFBIG)
        throw Error("cannot write '" + path +
                    "': the file grows past this process's file-size "
                    "limit (ulimit -f); nothing was replaced");
      throw Error("cannot write '" + path + "': " + systemError());
    }
    bytes += written;
    size -= static_cast<size_t>(written);
  }
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  namespace fs = std::filesystem;
  const fs::path target(path_);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tempTemplate = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  fd_ = ::mkstemp(tempTemplate.data());
  if (fd_ < 0) {
    throw Error("cannot create a temporary file next to '" + path_ + "': " + systemError() +
                " (is the folder writable?)");
  }
  tempPath_ = tempTemplate;
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!tempPath_.empty()) ::unlink(tempPath_.c_str());
}

void AtomicFileWriter::append(const void* data, size_t size) {
  writeAll(fd_, data, size, path_);
  size_ += size;
}

void AtomicFileWriter::overwriteAt(uint64_t offset, std::string_view bytes) {
  if (offset + bytes.size() > size_) throw Error("'" + path_ + "': overwrite past the end");
  if (::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset)) !=
      static_cast<ssize_t>(bytes.size()))
    throw Error("cannot write '" + path_ + "': " + systemError());
}

void AtomicFileWriter::commit() {
  namespace fs = std::filesystem;
  if (::fsync(fd_) != 0) throw Error("cannot flush '" + tempPath_ + "' to disk: " + systemError());
  // mkstemp creates files readable by the owner only; a checkpoint is an ordinary file.
  ::fchmod(fd_, 0644);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw Error("cannot close '" + tempPath_ + "': " + systemError());
  if (::rename(tempPath_.c_str(), path_.c_str()) != 0) {
    throw Error("cannot move '" + tempPath_ + "' over '" + path_ + "': " + systemError());
  }
  tempPath_.clear();  // it is the target now
  // Make the rename itself durable.
  const fs::path target(path_);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
}

void writeFileAtomically(
    const std::string& path,
    const std::function<void(const std::function<void(const void*, size_t)>&)>& produce) {
  AtomicFileWriter writer(path);
  produce([&](const void* data, size_t size) { writer.append(data, size); });
  writer.commit();
}

void writeFileAtomically(const std::string& path, std::string_view contents) {
  writeFileAtomically(path, [&](const std::function<void(const void*, size_t)>& append) {
    append(contents.data(), contents.size());
  });
}

std::string readWholeFile(const std::string& path) {
  return readRegularFile(path, kAnyFile);
}

}  // namespace bertwb
