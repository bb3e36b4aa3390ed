#pragma once
// A tokenized corpus on disk. writeCorpusShards() tokenizes the text once, streaming ids into
// shard files in bounded memory (a multi-GB corpus never has to fit in RAM); ShardedCorpus
// reads the folder back through memory-mapped files as a CorpusView, so the sampler makes
// exactly the instances it makes from the same corpus in memory.
//
// The folder (format "bertwb-corpus-shards", version 1; every number little-endian):
//   corpus.json       format, version, statistics, warnings, source files, shards, tokenizer
//   tokens-00000.bin  int32 token ids of consecutive sentences; a shard ends between sentences
//   sentences.bin     int64 × (sentences + 1): where each sentence starts in the token stream
//                     (the shards one after another); the last entry is the token count
//   documents.bin     int64 × (documents + 1): each document's first sentence; the last entry
//                     is the sentence count
//   sources.bin       int64 × 2 × documents: (source file index, line) of each document's start
#include <cstdint>
#include <string>
#include <vector>

#include "data/corpus.h"
#include "data/corpus_view.h"
#include "io/manifests.h"  // the folder's file names, format and version
#include "text/tokenizer.h"
#include "text/tokenizer_identity.h"
#include "util/mapped_file.h"
#include "util/progress.h"

namespace bertwb {

struct ShardOptions {
  // 64 Mi tokens = 256 MiB per file: a few files for a multi-GB corpus, each easy to copy.
  int64_t shardTokens = int64_t{64} << 20;
};

struct CorpusShard {
  std::string file;  // name inside the folder: tokens-00000.bin, ...
  int64_t tokens = 0;
};

// What corpus.json holds.
struct CorpusManifest {
  int version = kCorpusShardsVersion;
  CorpusStatistics statistics;
  std::vector<std::string> warnings;
  std::vector<std::string> sourceFiles;  // the text files as given; sources.bin indexes them
  std::vector<CorpusShard> shards;
  TokenizerIdentity tokenizer;
  bool paragraphPerLine = false;
};

// Tokenizes the corpus files or folders at `paths` (as readCorpus does) into a shard folder
// at `outputFolder`. The folder is built in a hidden staging folder beside it and renamed into
// place at the end, so a failure or a cancel leaves no half-written folder, and an existing
// prepared corpus there is replaced only once the new one is complete. A folder there that is
// not a prepared corpus (no corpus.json) and not empty is never replaced: that is an error.
// Throws bertwb::Error (naming the file) or bertwb::Cancelled.
CorpusManifest writeCorpusShards(const std::vector<std::string>& paths, const Tokenizer& tokenizer,
                                 const CorpusOptions& options, const std::string& outputFolder,
                                 const ShardOptions& shardOptions = {},
                                 const ProgressCallback& progress = nullptr,
                                 const CancelFlag* cancel = nullptr);

// True when `path` is a folder holding a corpus.json (checked properly only on opening).
bool isCorpusShardFolder(const std::string& path);

struct ShardedCorpusOptions {
  // Read every token id once on opening and check it against the vocabulary size recorded in
  // corpus.json (about a second per GB); off trusts the files.
  bool verifyTokenIds = true;
};

// A prepared corpus folder, opened read-only. Everything is checked on opening (format and
// version, file sizes against the index, offsets increasing and in range, sentences inside one
// shard, token ids below the vocabulary size): a truncated or tampered folder gives one
// bertwb::Error naming the file and what is wrong, never a crash later.
//
// Memory: the process allocates nothing per sentence; the files are mapped, so the pages it
// reads are the kernel's page cache, counted in its resident set while mapped but dropped by
// the kernel whenever memory is wanted elsewhere (and read again from disk when needed).
class ShardedCorpus final : public CorpusView {
 public:
  explicit ShardedCorpus(const std::string& folder, const ShardedCorpusOptions& options = {});

  size_t documentCount() const override {
    return static_cast<size_t>(manifest_.statistics.documents);
  }
  size_t sentenceCount(size_t document) const override {
    return static_cast<size_t>(documentStarts_[document + 1] - documentStarts_[document]);
  }
  TokenSpan sentence(size_t document, size_t index) const override;
  std::string documentSource(size_t document) const override;

  const CorpusManifest& manifest() const { return manifest_; }
  const CorpusStatistics& statistics() const { return manifest_.statistics; }
  const std::string& folder() const { return folder_; }
  // Throws bertwb::Error when `tokenizer` is not the one the corpus was prepared with.
  void checkTokenizer(const Tokenizer& tokenizer) const;
  // Unmaps the pages read so far from the process (spans handed out stay valid).
  void releaseResidentPages() const;

 private:
  void validate();

  std::string folder_;
  ShardedCorpusOptions options_;
  CorpusManifest manifest_;
  MappedFile sentenceFile_, documentFile_, sourceFile_;
  std::vector<MappedFile> shardFiles_;
  std::vector<int64_t> shardStarts_;  // shards + 1: each shard's first token in the stream
  const int64_t* sentenceStarts_ = nullptr;
  const int64_t* documentStarts_ = nullptr;
  const int64_t* sources_ = nullptr;
};

}  // namespace bertwb
