#pragma once
// A pre-training corpus in the original BERT format: UTF-8 text, one sentence per line,
// a blank line between documents; a file or a folder of files. Tokenized once into ids.
#include <cstdint>
#include <string>
#include <vector>

#include "text/tokenizer.h"
#include "util/progress.h"

namespace bertwb {

struct CorpusDocument {
  std::vector<std::vector<int32_t>> sentences;  // token ids, no specials
  std::string source;                           // "file.txt:12" (line of its first sentence)
};

struct CorpusStatistics {
  int64_t documents = 0;
  int64_t sentences = 0;
  int64_t tokens = 0;
  int64_t unknownTokens = 0;
  int64_t invalidUtf8Lines = 0;
  std::vector<int64_t>
      sentenceLengthCounts;  // [n] = sentences of n tokens (last bucket: n or more)
  double unknownRate() const { return tokens ? static_cast<double>(unknownTokens) / tokens : 0.0; }
};

struct TokenizedCorpus {
  std::vector<CorpusDocument> documents;
  CorpusStatistics statistics;
  std::vector<std::string> warnings;  // e.g. the first invalid UTF-8 line of each file
};

struct CorpusOptions {
  // false: the original format (a sentence per line). true: a paragraph per line, cut into
  // sentences by splitSentences() below; documents are still separated by blank lines.
  bool paragraphPerLine = false;
  int lengthHistogramBuckets = 128;
};

// Where a corpus's text goes as it is tokenized: into memory (readCorpus) or into id shards on
// disk (data/corpus_shards.h). streamCorpus() does the reading once for both, so the two hold
// exactly the same documents and sentences.
class CorpusSink {
 public:
  virtual ~CorpusSink() = default;
  // A sentence of the current document (never empty). `fileIndex` indexes the file list given
  // to streamCorpus(); `line` counts from 1.
  virtual void addSentence(std::vector<int32_t>&& ids, size_t fileIndex, int64_t line) = 0;
  // The current document is complete (called only after at least one sentence).
  virtual void endDocument() = 0;
};

// What streaming a corpus found, besides the sentences themselves.
struct CorpusReport {
  CorpusStatistics statistics;
  std::vector<std::string> warnings;
};

// The corpus's files: each path a file, or a folder (every regular file inside, sorted by
// name). Throws bertwb::Error for a missing path or an empty folder.
std::vector<std::string> corpusFiles(const std::vector<std::string>& paths);

// Tokenizes `files` line by line into `sink`: blank lines and file ends end documents, lines
// with invalid UTF-8 are counted (and the first of each file listed in the warnings).
// Progress and the cancel flag are checked every few thousand lines. Throws bertwb::Error for
// an unreadable file or a corpus with no sentences, bertwb::Cancelled when asked to stop.
CorpusReport streamCorpus(const std::vector<std::string>& files, const Tokenizer& tokenizer,
                          const CorpusOptions& options, CorpusSink& sink,
                          const ProgressCallback& progress = nullptr,
                          const CancelFlag* cancel = nullptr);

// Files, or folders (every regular file inside, sorted by name), all in memory. Throws
// bertwb::Error for a missing path or a corpus with no sentences, bertwb::Cancelled when asked
// to stop.
TokenizedCorpus readCorpus(const std::vector<std::string>& paths, const Tokenizer& tokenizer,
                           const CorpusOptions& options = {},
                           const ProgressCallback& progress = nullptr,
                           const CancelFlag* cancel = nullptr);

// Rule-based sentence splitter for paragraph-per-line text: a sentence ends at ".", "!" or
// "?" (optionally followed by closing quotes or brackets) followed by whitespace and an
// upper-case letter, a digit or an opening quote, unless the word before the period is a
// known abbreviation ("Dr.", "e.g.") or a single letter (an initial: "J. Smith").
std::vector<std::string> splitSentences(const std::string& paragraph);

}  // namespace bertwb
