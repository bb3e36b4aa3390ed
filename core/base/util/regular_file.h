#pragma once
// The one rule for opening a file the user named: it must be a regular file, and a file read
// whole must not be larger than any file of its kind.
//
// Why: a FIFO where a config or task file is expected blocks open() until a writer comes
// (forever, and in the GUI on the GUI thread), and /dev/zero or a multi-gigabyte file named
// as a config reads until memory runs out. Every open here is non-blocking, the type is
// checked on the open descriptor (no race with a rename), and whole-file reads stop at the
// cap of their kind.
#include <cstdint>
#include <fstream>
#include <string>

namespace bertwb {

// A kind of file and the most bytes one may have. The name is what messages call it.
struct FileKind {
  const char* name;
  uint64_t maxBytes;
};

constexpr uint64_t kMiB = uint64_t{1} << 20;
// Sized far above any real file of the kind (BERT-Large's config is 600 bytes; a 10M-piece
// vocabulary, configProblems' limit, is about 150 MB), far below what would exhaust memory.
inline constexpr FileKind kConfigFile{"model config", 16 * kMiB};
inline constexpr FileKind kVocabularyFile{"vocabulary", 512 * kMiB};
inline constexpr FileKind kTokenizerModelFile{"SentencePiece model", 512 * kMiB};
inline constexpr FileKind kSettingsFile{"settings file", 64 * kMiB};  // workspace, recipes, states
inline constexpr FileKind kJsonInputFile{"JSON input", 1024 * kMiB};  // forward --input, SQuAD
inline constexpr FileKind kCheckpointFile{"checkpoint", 64 * 1024 * kMiB};
inline constexpr FileKind kAnyFile{"file", 64 * 1024 * kMiB};

// Throws bertwb::Error naming the path when it is missing, cannot be opened, or is not a
// regular file (a folder, FIFO, socket or device: "is a FIFO, not a file"). Returns its size.
// Never blocks, whatever the path names.
uint64_t requireRegularFile(const std::string& path, const char* what = "file");

// requireRegularFile, then a binary stream on it (for readers that go line by line and so
// need no size cap), with the file's size in *size when given. Throws bertwb::Error naming
// the path.
std::ifstream openRegularFile(const std::string& path, const char* what = "file",
                              uint64_t* size = nullptr);

// The whole file, when it is a regular file no larger than kind.maxBytes; otherwise throws
// bertwb::Error naming the path, its size and the cap. A file that grows while it is read is
// cut off at the cap, with the same error.
std::string readRegularFile(const std::string& path, const FileKind& kind);

}  // namespace bertwb
