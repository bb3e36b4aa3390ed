#include "data/corpus.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

#include "text/unicode_text.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;

bool isBlank(const std::string& line) {
  return std::all_of(line.begin(), line.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace

std::vector<std::string> corpusFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    if (fs::is_directory(path)) {
      std::vector<std::string> inside;
      for (const auto& entry : fs::directory_iterator(path))
        if (entry.is_regular_file()) inside.push_back(entry.path().string());
      std::sort(inside.begin(), inside.end());
      files.insert(files.end(), inside.begin(), inside.end());
    } else if (fs::is_regular_file(path)) {
      files.push_back(path);
    } else {
      throw Error("corpus path '" + path + "' does not exist");
    }
  }
  if (files.empty()) throw Error("the corpus folder holds no files");
  return files;
}

std::vector<std::string> splitSentences(const std::string& paragraph) {
  static const std::set<std::string> abbreviations = {"mr", "mrs", "ms", "dr",  "prof", "st",
                                                      "jr", "sr",  "vs", "etc", "e.g",  "i.e",
                                                      "no", "fig", "mt", "inc", "ltd",  "co"};
  std::vector<std::string> sentences;
  size_t start = 0;
  const size_t n = paragraph.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = paragraph[i];
    if (c != '.' && c != '!' && c != '?') continue;
    size_t end = i + 1;
    while (end < n && (paragraph[end] == '"' || paragraph[end] == '\'' || paragraph[end] == ')' ||
                       paragraph[end] == ']'))
      ++end;
    if (end >= n || !std::isspace(static_cast<unsigned char>(paragraph[end]))) continue;
    size_t next = end;
    while (next < n && std::isspace(static_cast<unsigned char>(paragraph[next]))) ++next;
    if (next >= n) break;
    const unsigned char following = static_cast<unsigned char>(paragraph[next]);
    if (!(std::isupper(following) || std::isdigit(following) || following == '"' ||
          following == '\'' || following >= 0x80))
      continue;
    if (c == '.') {
      size_t wordStart = i;
      while (wordStart > start &&
             !std::isspace(static_cast<unsigned char>(paragraph[wordStart - 1])))
        --wordStart;
      std::string word = paragraph.substr(wordStart, i - wordStart);
      std::transform(word.begin(), word.end(), word.begin(),
                     [](unsigned char ch) { return std::tolower(ch); });
      if (abbreviations.count(word) ||
          (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]))))
        continue;
    }
    sentences.push_back(paragraph.substr(start, end - start));
    start = next;
    i = next - 1;
  }
  if (start < n) {
    std::string rest = paragraph.substr(start);
    if (!isBlank(rest)) sentences.push_back(rest);
  }
  return sentences;
}

CorpusReport streamCorpus(const std::vector<std::string>& files, const Tokenizer& tokenizer,
                          const CorpusOptions& options, CorpusSink& sink,
                          const ProgressCallback& progress, const CancelFlag* cancel) {
  if (files.empty()) throw Error("the corpus has no files");
  uintmax_t totalBytes = 0, doneBytes = 0;
  for (const auto& file : files) totalBytes += fs::file_size(file);
  const int32_t unknownId = tokenizer.specialTokenIds().unk;

  CorpusReport report;
  CorpusStatistics& stats = report.statistics;
  stats.sentenceLengthCounts.assign(
      static_cast<size_t>(std::max(1, options.lengthHistogramBuckets)), 0);
  bool documentOpen = false;  // the current document has a sentence
  auto finishDocument = [&] {
    if (!documentOpen) return;
    sink.endDocument();
    ++stats.documents;
    documentOpen = false;
  };
  auto addSentence = [&](const std::string& text, size_t fileIndex, int64_t lineNumber) {
    std::vector<int32_t> ids;
    for (const Piece& piece : tokenizer.tokenize(text)) {
      ids.push_back(piece.id);
      if (piece.id == unknownId) ++stats.unknownTokens;
    }
    if (ids.empty()) return;  // a line of only control characters: nothing to learn
    stats.tokens += static_cast<int64_t>(ids.size());
    ++stats.sentences;
    ++stats.sentenceLengthCounts[std::min(ids.size(), stats.sentenceLengthCounts.size() - 1)];
    sink.addSentence(std::move(ids), fileIndex, lineNumber);
    documentOpen = true;
  };

  for (size_t fileIndex = 0; fileIndex < files.size(); ++fileIndex) {
    const std::string& file = files[fileIndex];
    if (cancel && cancel->isRequested()) throw Cancelled();
    std::ifstream in = openRegularFile(file, "corpus file");
    std::string line;
    int64_t lineNumber = 0;
    bool reportedInvalid = false;
    while (std::getline(in, line)) {
      ++lineNumber;
      doneBytes += line.size() + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (isBlank(line)) {
        finishDocument();
        continue;
      }
      const DecodedText decoded = decodeUtf8(line);
      if (decoded.invalidSequences > 0) {
        ++stats.invalidUtf8Lines;
        if (!reportedInvalid) {
          report.warnings.push_back(file + ":" + std::to_string(lineNumber) +
                                    ": invalid UTF-8 at byte " +
                                    std::to_string(decoded.firstInvalidByte) +
                                    " replaced (later lines of this file are counted, not listed)");
          reportedInvalid = true;
        }
      }
      if (options.paragraphPerLine) {
        for (const auto& sentence : splitSentences(line))
          addSentence(sentence, fileIndex, lineNumber);
      } else {
        addSentence(line, fileIndex, lineNumber);
      }
      if (lineNumber % 4096 == 0) {
        if (cancel && cancel->isRequested()) throw Cancelled();
        if (progress) {
          progress({static_cast<double>(doneBytes) / std::max<uintmax_t>(1, totalBytes),
                    "tokenizing: " + std::to_string(stats.sentences) + " sentences"});
        }
      }
    }
    if (in.bad())
      throw Error("cannot read corpus file '" + file + "' (line " + std::to_string(lineNumber + 1) +
                  ")");
    finishDocument();  // a file ends a document
  }
  if (stats.sentences == 0) {
    throw Error("the corpus (" + std::to_string(files.size()) + " file(s), first '" +
                files.front() +
                "') has no sentences: expected UTF-8 text, one sentence per line, blank lines "
                "between documents");
  }
  if (progress) progress({1.0, "tokenized " + std::to_string(stats.sentences) + " sentences"});
  return report;
}

namespace {

// Keeps every document in memory.
class InMemorySink final : public CorpusSink {
 public:
  InMemorySink(const std::vector<std::string>& files, std::vector<CorpusDocument>& documents)
      : files_(files), documents_(documents) {}
  void addSentence(std::vector<int32_t>&& ids, size_t fileIndex, int64_t line) override {
    if (current_.sentences.empty())
      current_.source = files_[fileIndex] + ":" + std::to_string(line);
    current_.sentences.push_back(std::move(ids));
  }
  void endDocument() override {
    documents_.push_back(std::move(current_));
    current_ = CorpusDocument();
  }

 private:
  const std::vector<std::string>& files_;
  std::vector<CorpusDocument>& documents_;
  CorpusDocument current_;
};

}  // namespace

TokenizedCorpus readCorpus(const std::vector<std::string>& paths, const Tokenizer& tokenizer,
                           const CorpusOptions& options, const ProgressCallback& progress,
                           const CancelFlag* cancel) {
  const std::vector<std::string> files = corpusFiles(paths);
  TokenizedCorpus corpus;
  InMemorySink sink(files, corpus.documents);
  CorpusReport report = streamCorpus(files, tokenizer, options, sink, progress, cancel);
  corpus.statistics = std::move(report.statistics);
  corpus.warnings = std::move(report.warnings);
  return corpus;
}

}  // namespace bertwb
