#pragma once
// A whole file mapped read-only into memory (POSIX mmap). The kernel pages it in on demand
// and may drop clean pages under memory pressure, so mapping a file of any size costs
// address space, not RAM.
#include <cstddef>
#include <string>

namespace bertwb {

class MappedFile {
 public:
  MappedFile() = default;
  // Throws bertwb::Error naming the file when it cannot be opened or mapped.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const void* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

  // Unmaps the pages this process has touched (they stay in the kernel's page cache, and
  // pointers into the mapping stay valid: the next access maps them again), e.g. after one
  // pass over a whole file that is then read only here and there.
  void releaseResidentPages() const;

 private:
  void unmap();

  std::string path_;
  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace bertwb
