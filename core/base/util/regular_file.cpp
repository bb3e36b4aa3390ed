#include "util/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/format.h"

namespace bertwb {
namespace {

const char* describeType(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

// Closes the descriptor on every path out.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

std::string notAFile(const std::string& path, const char* what, mode_t mode) {
  return "'" + path + "' is " + describeType(mode) + ", not a file: give the " + what + "'s path";
}

// Checked twice: by stat() before opening, so a device is never even opened (opening some has
// effects), and on the open descriptor, so a file swapped in between is caught. O_NONBLOCK:
// opening a FIFO for reading would otherwise wait for a writer; it is harmless on a regular
// file, and only regular files get past the check. Returns the open descriptor, which the
// caller owns.
int openChecked(const std::string& path, const char* what, struct stat& info) {
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode))
    throw Error(notAFile(path, what, info.st_mode));
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    throw Error("cannot open " + std::string(what) + " '" + path + "': " + std::strerror(errno));
  }
  Descriptor closeOnError(fd);
  if (::fstat(fd, &info) != 0) {
    throw Error("cannot read what '" + path + "' is: " + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) throw Error(notAFile(path, what, info.st_mode));
  return closeOnError.release();
}

std::string tooLarge(const std::string& path, const FileKind& kind, uint64_t size) {
  return "'" + path + "' is " + formatBytes(static_cast<double>(size)) + ", larger than any " +
         kind.name + " should be (at most " + formatBytes(static_cast<double>(kind.maxBytes)) +
         "): is it the right file?";
}

}  // namespace

uint64_t requireRegularFile(const std::string& path, const char* what) {
  struct stat info {};
  const Descriptor fd(openChecked(path, what, info));
  return static_cast<uint64_t>(info.st_size);
}

std::ifstream openRegularFile(const std::string& path, const char* what, uint64_t* size) {
  const uint64_t bytes = requireRegularFile(path, what);
  if (size != nullptr) *size = bytes;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error("cannot open " + std::string(what) + " '" + path + "': " + std::strerror(errno));
  }
  return in;
}

std::string readRegularFile(const std::string& path, const FileKind& kind) {
  struct stat info {};
  const Descriptor fd(openChecked(path, kind.name, info));
  const auto size = static_cast<uint64_t>(info.st_size);
  if (size > kind.maxBytes) throw Error(tooLarge(path, kind, size));
  std::string bytes;
  bytes.reserve(size);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw Error("cannot read '" + path + "': " + std::strerror(errno));
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<size_t>(got));
    if (bytes.size() > kind.maxBytes) throw Error(tooLarge(path, kind, bytes.size()));
  }
  return bytes;
}

}  // namespace bertwb
