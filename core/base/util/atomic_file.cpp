#include "util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.h"

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

void writeFileAtomically(
    const std::string& path,
    const std::function<void(const std::function<void(const void*, size_t)>&)>& produce) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tempTemplate = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(tempTemplate.data());
  if (fd < 0) {
    throw Error("cannot create a temporary file next to '" + path + "': " + systemError() +
                " (is the folder writable?)");
  }
  const std::string tempPath = tempTemplate;
  try {
    produce([&](const void* data, size_t size) { writeAll(fd, data, size, path); });
    if (::fsync(fd) != 0) throw Error("cannot flush '" + tempPath + "' to disk: " + systemError());
    // mkstemp creates files readable by the owner only; a checkpoint is an ordinary file.
    ::fchmod(fd, 0644);
    if (::close(fd) != 0) {
      fd = -1;
      throw Error("cannot close '" + tempPath + "': " + systemError());
    }
    fd = -1;
    if (::rename(tempPath.c_str(), path.c_str()) != 0) {
      throw Error("cannot move '" + tempPath + "' over '" + path + "': " + systemError());
    }
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tempPath.c_str());
    throw;
  }
  // Make the rename itself durable.
  int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
}

void writeFileAtomically(const std::string& path, std::string_view contents) {
  writeFileAtomically(path, [&](const std::function<void(const void*, size_t)>& append) {
    append(contents.data(), contents.size());
  });
}

std::string readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open '" + path + "': " + systemError());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw Error("cannot read '" + path + "'");
  return buffer.str();
}

}  // namespace bertwb
