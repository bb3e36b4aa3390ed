// writeCorpusShards: the corpus tokenized once into id shards on disk, in bounded memory (a
// write buffer per file; nothing grows with the corpus), built in a staging folder and moved
// into place only when complete.
#include <fcntl.h>
#include <stdio.h>   // renameat2
#include <stdlib.h>  // mkdtemp
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "data/corpus_shards.h"
#include "data/corpus_shards_format.h"
#include "io/output_folder.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

std::string systemError() {
  return std::strerror(errno);
}

void syncFolder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// An append-only binary file with its own buffer; finish() flushes, syncs and closes it.
class BinaryFileWriter {
 public:
  // 1 MiB: large enough that writes cost little, small enough that five of them do not matter.
  static constexpr size_t kBufferBytes = size_t{1} << 20;

  explicit BinaryFileWriter(fs::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error("cannot create '" + path_.string() + "': " + systemError());
    buffer_.reserve(kBufferBytes);
  }
  ~BinaryFileWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  BinaryFileWriter(const BinaryFileWriter&) = delete;
  BinaryFileWriter& operator=(const BinaryFileWriter&) = delete;

  void append(const void* data, size_t size) {
    const char* bytes = static_cast<const char*>(data);
    if (buffer_.size() + size > kBufferBytes) flush();
    if (size >= kBufferBytes) {
      writeAll(bytes, size);
    } else {
      buffer_.insert(buffer_.end(), bytes, bytes + size);
    }
  }
  void appendInt64(int64_t value) { append(&value, sizeof value); }

  void finish() {
    flush();
    if (::fsync(fd_) != 0)
      throw Error("cannot flush '" + path_.string() + "' to disk: " + systemError());
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw Error("cannot close '" + path_.string() + "': " + systemError());
  }

 private:
  void flush() {
    writeAll(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  void writeAll(const char* bytes, size_t size) {
    while (size > 0) {
      const ssize_t written = ::write(fd_, bytes, size);
      if (written < 0) {
        if (errno == EINTR) continue;
        throw Error("cannot write '" + path_.string() + "': " + systemError() +
                    " (is the disk full?)");
      }
      bytes += written;
      size -= static_cast<size_t>(written);
    }
  }

  fs::path path_;
  int fd_ = -1;
  std::vector<char> buffer_;
};

// Receives the corpus sentence by sentence and writes the shards and indexes as it goes.
class ShardSink final : public CorpusSink {
 public:
  ShardSink(const fs::path& folder, int64_t shardTokens)
      : folder_(folder),
        shardTokens_(shardTokens),
        sentences_(folder / shards::kSentencesFile),
        documents_(folder / shards::kDocumentsFile),
        sources_(folder / shards::kSourcesFile) {
    sentences_.appendInt64(0);  // the first sentence starts at token 0
    documents_.appendInt64(0);
  }

  void addSentence(std::vector<int32_t>&& ids, size_t fileIndex, int64_t line) override {
    const auto size = static_cast<int64_t>(ids.size());
    // A shard ends between sentences, so every sentence is one contiguous span of one file.
    if (shard_ && shardFill_ > 0 && shardFill_ + size > shardTokens_) closeShard();
    if (!shard_) openShard();
    shard_->append(ids.data(), ids.size() * sizeof(int32_t));
    shardFill_ += size;
    tokens_ += size;
    ++sentenceCount_;
    sentences_.appendInt64(tokens_);
    if (!documentOpen_) {
      sources_.appendInt64(static_cast<int64_t>(fileIndex));
      sources_.appendInt64(line);
      documentOpen_ = true;
    }
  }

  void endDocument() override {
    documents_.appendInt64(sentenceCount_);
    documentOpen_ = false;
  }

  std::vector<CorpusShard> finish() {
    if (shard_) closeShard();
    sentences_.finish();
    documents_.finish();
    sources_.finish();
    return shards_;
  }

 private:
  void openShard() {
    shards_.push_back({shards::shardFileName(shards_.size()), 0});
    shard_ = std::make_unique<BinaryFileWriter>(folder_ / shards_.back().file);
    shardFill_ = 0;
  }
  void closeShard() {
    shard_->finish();
    shard_.reset();
    shards_.back().tokens = shardFill_;
  }

  fs::path folder_;
  int64_t shardTokens_;
  BinaryFileWriter sentences_, documents_, sources_;
  std::unique_ptr<BinaryFileWriter> shard_;
  std::vector<CorpusShard> shards_;
  int64_t shardFill_ = 0, tokens_ = 0, sentenceCount_ = 0;
  bool documentOpen_ = false;
};

// A fresh, empty hidden folder beside `target` (".name.<tag>-XXXXXX").
fs::path makeSiblingFolder(const fs::path& target, const std::string& tag) {
  std::string pattern =
      (target.parent_path() / ("." + target.filename().string() + "." + tag + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) {
    throw Error("cannot create a folder next to '" + target.string() + "': " + systemError() +
                " (is it writable?)");
  }
  return pattern;
}

// Refuses to go on when `target` holds anything but a prepared corpus with nothing else in
// it (its manifest parsed, every file its own): replacing it would destroy someone's files.
void checkReplaceable(const fs::path& target) {
  const FolderInspection found = inspectFolder(target.string());
  if (found.holds == FolderHolds::Nothing || found.holds == FolderHolds::Empty ||
      found.holds == FolderHolds::PreparedCorpus)
    return;
  throw Error("'" + target.string() + "' holds " + found.description +
              ", not a prepared corpus: choose a new or empty output folder so that nothing in it "
              "is replaced");
}

// Moves the complete `staging` folder to `target`, replacing a prepared corpus there.
void moveIntoPlace(const fs::path& staging, const fs::path& target) {
  checkReplaceable(target);
  std::error_code error;
  if (!fs::exists(target, error)) {
    if (::rename(staging.c_str(), target.c_str()) != 0) {
      throw Error("cannot move '" + staging.string() + "' to '" + target.string() +
                  "': " + systemError());
    }
    return;
  }
#ifdef RENAME_EXCHANGE
  // Swap the two folders in one step, then delete the old corpus (now at the staging name).
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(staging, error);
    return;
  }
#endif
  // No atomic swap on this file system: move the old folder aside first, and back on failure.
  const fs::path old = makeSiblingFolder(target, "old");
  if (::rename(target.c_str(), old.c_str()) != 0) {
    const std::string reason = systemError();
    fs::remove(old, error);
    throw Error("cannot move the previous corpus '" + target.string() + "' aside: " + reason);
  }
  if (::rename(staging.c_str(), target.c_str()) != 0) {
    const std::string reason = systemError();
    ::rename(old.c_str(), target.c_str());
    throw Error("cannot move '" + staging.string() + "' to '" + target.string() + "': " + reason);
  }
  fs::remove_all(old, error);
}

}  // namespace

CorpusManifest writeCorpusShards(const std::vector<std::string>& paths, const Tokenizer& tokenizer,
                                 const CorpusOptions& options, const std::string& outputFolder,
                                 const ShardOptions& shardOptions, const ProgressCallback& progress,
                                 const CancelFlag* cancel) {
  if (shardOptions.shardTokens < 1) throw Error("the shard size must be at least one token");
  fs::path target = fs::absolute(outputFolder).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();  // "out/" names the folder "out"
  const std::vector<std::string> files = corpusFiles(paths);
  checkReplaceable(target);  // before hours of tokenizing, not after
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  if (error)
    throw Error("cannot create the folder '" + target.parent_path().string() +
                "': " + error.message());

  CorpusManifest manifest;
  manifest.sourceFiles = files;
  manifest.paragraphPerLine = options.paragraphPerLine;
  manifest.tokenizer = tokenizerIdentity(tokenizer);
  const fs::path staging = makeSiblingFolder(target, "staging");
  try {
    {
      ShardSink sink(staging, shardOptions.shardTokens);
      CorpusReport report = streamCorpus(files, tokenizer, options, sink, progress, cancel);
      if (cancel && cancel->isRequested()) throw Cancelled();
      if (progress) progress({1.0, "writing the index"});
      manifest.shards = sink.finish();
      manifest.statistics = std::move(report.statistics);
      manifest.warnings = std::move(report.warnings);
    }
    writeFileAtomically((staging / kCorpusManifestFile).string(),
                        shards::manifestToJson(manifest).dump(2) + "\n");
    ::chmod(staging.c_str(), 0755);  // mkdtemp makes it private; a corpus folder is an ordinary one
    syncFolder(staging);
    moveIntoPlace(staging, target);
    syncFolder(target.parent_path());
  } catch (...) {
    fs::remove_all(staging, error);
    throw;
  }
  return manifest;
}

}  // namespace bertwb
