#include "util/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "util/error.h"

namespace bertwb {

MappedFile::MappedFile(const std::string& path) : path_(path) {
  // O_NONBLOCK: a FIFO is refused below instead of waiting for a writer (util/regular_file.h).
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    throw Error("cannot read the size of '" + path + "': " + reason);
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    throw Error("'" + path + "' is not a regular file");
  }
  size_ = static_cast<size_t>(info.st_size);
  if (size_ > 0) {  // mmap refuses zero bytes; an empty file maps to nothing
    void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
    if (mapped == MAP_FAILED) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      throw Error("cannot map '" + path + "' into memory: " + reason);
    }
    data_ = mapped;
  }
  ::close(fd);  // the mapping keeps the file open
}

MappedFile::~MappedFile() {
  unmap();
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    unmap();
    path_ = std::move(other.path_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void MappedFile::unmap() {
  if (data_) ::munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

void MappedFile::releaseResidentPages() const {
  // MADV_DONTNEED on a read-only shared file mapping only drops this process's page-table
  // entries; the contents come back from the page cache (or the file) on the next access.
  if (data_) ::madvise(data_, size_, MADV_DONTNEED);
}

}  // namespace bertwb
