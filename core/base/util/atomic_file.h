#pragma once
// Atomic file replacement: write to a temporary file in the same folder, flush and fsync,
// then rename over the target. A save killed at any moment leaves either the old file or
// the new one, never a torn mixture.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace bertwb {

// Replaces `path` with `contents`; throws bertwb::Error naming the file on any I/O failure
// (the target is then untouched).
void writeFileAtomically(const std::string& path, std::string_view contents);

// For large payloads written in pieces: `produce` is called with an append function.
void writeFileAtomically(
    const std::string& path,
    const std::function<void(const std::function<void(const void*, size_t)>&)>& produce);

// A file written in pieces, over any length of time, that appears at `path` only when
// commit() succeeds: until then the bytes go to a temporary file beside it, removed if the
// writer is destroyed uncommitted (an error, a cancel). For outputs streamed as they are made
// (extract-features' vectors), where holding everything to write at once would not fit.
class AtomicFileWriter {
 public:
  // Throws bertwb::Error naming `path` when the folder is not writable.
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void append(const void* data, size_t size);
  void append(std::string_view text) { append(text.data(), text.size()); }
  // Overwrites bytes already appended (a header whose numbers are known only at the end).
  void overwriteAt(uint64_t offset, std::string_view bytes);
  uint64_t size() const { return size_; }
  // Flushes to disk and renames over `path`; throws bertwb::Error naming it (nothing is
  // replaced then).
  void commit();

 private:
  std::string path_;
  std::string tempPath_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Reads a whole file; throws bertwb::Error naming the path when it cannot.
std::string readWholeFile(const std::string& path);

}  // namespace bertwb
