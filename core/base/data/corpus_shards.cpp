// The shard folder's corpus.json, the tokenizer identity, and ShardedCorpus (the reader).
// The writer is in corpus_shard_writer.cpp.
#include "data/corpus_shards.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string_view>

#include "data/corpus_shards_format.h"
#include "util/atomic_file.h"
#include "util/bounded_json.h"
#include "util/error.h"
#include "util/regular_file.h"

namespace bertwb {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Counts far beyond any real corpus are refused before they are multiplied into file sizes.
constexpr int64_t kMaxCount = int64_t{1} << 48;

template <typename T>
T field(const json& object, const char* name, const std::string& path) {
  const auto it = object.find(name);
  if (it == object.end()) throw Error("'" + path + "': the field '" + name + "' is missing");
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    throw Error("'" + path + "': the field '" + name + "' has the wrong type (" + it->type_name() +
                ")");
  }
}

int64_t countField(const json& object, const char* name, const std::string& path,
                   int64_t minimum = 0) {
  const json& value = object.contains(name) ? object.at(name) : json();
  if (!value.is_number_integer()) {
    throw Error("'" + path + "': the field '" + name + "' is missing or not a whole number");
  }
  const int64_t count = value.get<int64_t>();
  if (count < minimum || count > kMaxCount) {
    throw Error("'" + path + "': the field '" + name + "' is " + std::to_string(count) +
                ", outside " + std::to_string(minimum) + ".." + std::to_string(kMaxCount));
  }
  return count;
}

}  // namespace

bool isCorpusShardFolder(const std::string& path) {
  std::error_code error;
  return fs::is_directory(path, error) &&
         fs::is_regular_file(fs::path(path) / kCorpusManifestFile, error);
}

namespace shards {

std::string shardFileName(size_t index) {
  char name[32];
  std::snprintf(name, sizeof name, kCorpusShardNamePattern, index);
  return name;
}

json manifestToJson(const CorpusManifest& manifest) {
  const CorpusStatistics& s = manifest.statistics;
  json shardList = json::array();
  for (const auto& shard : manifest.shards)
    shardList.push_back({{"file", shard.file}, {"tokens", shard.tokens}});
  return {{"format", kCorpusShardsFormat},
          {"version", manifest.version},
          {"statistics",
           {{"documents", s.documents},
            {"sentences", s.sentences},
            {"tokens", s.tokens},
            {"unknown_tokens", s.unknownTokens},
            {"invalid_utf8_lines", s.invalidUtf8Lines},
            {"sentence_length_counts", s.sentenceLengthCounts}}},
          {"warnings", manifest.warnings},
          {"paragraph_per_line", manifest.paragraphPerLine},
          {"source_files", manifest.sourceFiles},
          {"shards", shardList},
          {"tokenizer",
           {{"kind", manifest.tokenizer.kind},
            {"vocab_size", manifest.tokenizer.vocabSize},
            {"fingerprint", manifest.tokenizer.fingerprint}}}};
}

CorpusManifest manifestFromJson(const std::string& text, const std::string& path) {
  json root;
  try {
    root = parseJson(text);
  } catch (const json::parse_error& e) {
    throw Error("'" + path + "' is not valid JSON (" + jsonErrorText(e) +
                "): prepare the corpus again");
  }
  if (!root.is_object()) throw Error("'" + path + "' is not a JSON object");
  const auto format = field<std::string>(root, "format", path);
  if (format != kCorpusShardsFormat) {
    throw Error("'" + path + "' has format '" + format + "', not '" + kCorpusShardsFormat + "'");
  }
  CorpusManifest manifest;
  manifest.version = field<int>(root, "version", path);
  if (manifest.version != kCorpusShardsVersion) {
    throw Error("'" + path + "' is format version " + std::to_string(manifest.version) +
                "; this program reads version " + std::to_string(kCorpusShardsVersion) +
                " (prepare the corpus again with prepare-corpus)");
  }
  const auto statistics = field<json>(root, "statistics", path);
  CorpusStatistics& s = manifest.statistics;
  s.documents = countField(statistics, "documents", path);
  s.sentences = countField(statistics, "sentences", path);
  s.tokens = countField(statistics, "tokens", path);
  s.unknownTokens = countField(statistics, "unknown_tokens", path);
  s.invalidUtf8Lines = countField(statistics, "invalid_utf8_lines", path);
  s.sentenceLengthCounts = field<std::vector<int64_t>>(statistics, "sentence_length_counts", path);
  if (s.sentenceLengthCounts.empty())
    throw Error("'" + path + "': 'sentence_length_counts' is empty");
  manifest.warnings = field<std::vector<std::string>>(root, "warnings", path);
  manifest.paragraphPerLine = field<bool>(root, "paragraph_per_line", path);
  manifest.sourceFiles = field<std::vector<std::string>>(root, "source_files", path);
  const auto shardList = field<json>(root, "shards", path);
  if (!shardList.is_array() || shardList.empty())
    throw Error("'" + path + "': 'shards' must be a non-empty list");
  for (size_t i = 0; i < shardList.size(); ++i) {
    CorpusShard shard;
    shard.file = field<std::string>(shardList[i], "file", path);
    // The names are fixed, so a tampered list cannot point outside the folder.
    if (shard.file != shardFileName(i)) {
      throw Error("'" + path + "': shard " + std::to_string(i) + " is named '" + shard.file +
                  "', expected '" + shardFileName(i) + "'");
    }
    shard.tokens = countField(shardList[i], "tokens", path, /*minimum=*/1);
    manifest.shards.push_back(shard);
  }
  const auto tokenizer = field<json>(root, "tokenizer", path);
  manifest.tokenizer.kind = field<std::string>(tokenizer, "kind", path);
  const int64_t vocabSize = countField(tokenizer, "vocab_size", path, /*minimum=*/1);
  if (vocabSize > std::numeric_limits<int32_t>::max())
    throw Error("'" + path + "': the tokenizer's 'vocab_size' " + std::to_string(vocabSize) +
                " is too large");
  manifest.tokenizer.vocabSize = static_cast<int32_t>(vocabSize);
  manifest.tokenizer.fingerprint = field<std::string>(tokenizer, "fingerprint", path);
  return manifest;
}

}  // namespace shards

// ---------------------------------------------------------------------------------------
// ShardedCorpus

ShardedCorpus::ShardedCorpus(const std::string& folder, const ShardedCorpusOptions& options)
    : folder_(folder), options_(options) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw Error(
        "the prepared corpus folder '" + folder + "' does not exist" +
        (fs::exists(folder, error) ? " (it is a file; prepare-corpus writes a folder)" : ""));
  }
  const fs::path root(folder);
  const std::string manifestPath = (root / kCorpusManifestFile).string();
  if (!fs::is_regular_file(manifestPath, error)) {
    throw Error("'" + folder +
                "' is not a prepared corpus: it has no corpus.json (make one with prepare-corpus)");
  }
  manifest_ = shards::manifestFromJson(readRegularFile(manifestPath, kSettingsFile), manifestPath);
  sentenceFile_ = MappedFile((root / shards::kSentencesFile).string());
  documentFile_ = MappedFile((root / shards::kDocumentsFile).string());
  sourceFile_ = MappedFile((root / shards::kSourcesFile).string());
  for (const auto& shard : manifest_.shards) shardFiles_.emplace_back((root / shard.file).string());
  validate();
  // Validation read every index page; none of them is needed until sampling asks for it.
  releaseResidentPages();
}

void ShardedCorpus::validate() {
  const CorpusStatistics& stats = manifest_.statistics;
  const int64_t documents = stats.documents, sentences = stats.sentences, tokens = stats.tokens;
  auto fail = [](const MappedFile& file, const std::string& what) {
    throw Error("'" + file.path() + "' " + what +
                " (the folder is damaged or incomplete: prepare the corpus again)");
  };
  auto expectSize = [&](const MappedFile& file, int64_t count, int64_t bytesEach,
                        const std::string& what) {
    const auto wanted = static_cast<uint64_t>(count) * static_cast<uint64_t>(bytesEach);
    if (file.size() != wanted) {
      fail(file, "is " + std::to_string(file.size()) + " bytes, but " + what + " take " +
                     std::to_string(wanted));
    }
  };
  if (documents < 1 || sentences < documents || tokens < sentences) {
    throw Error("'" + folder_ + "/corpus.json' counts " + std::to_string(documents) +
                " documents, " + std::to_string(sentences) + " sentences and " +
                std::to_string(tokens) +
                " tokens: every document needs a sentence and every sentence a token");
  }
  expectSize(documentFile_, documents + 1, sizeof(int64_t),
             "the " + std::to_string(documents) + " documents of corpus.json");
  expectSize(sentenceFile_, sentences + 1, sizeof(int64_t),
             "the " + std::to_string(sentences) + " sentences of corpus.json");
  expectSize(sourceFile_, documents * shards::kSourceFields, sizeof(int64_t),
             "the sources of " + std::to_string(documents) + " documents");
  shardStarts_.assign(1, 0);
  for (size_t i = 0; i < shardFiles_.size(); ++i) {
    expectSize(
        shardFiles_[i], manifest_.shards[i].tokens, sizeof(int32_t),
        "the " + std::to_string(manifest_.shards[i].tokens) + " tokens corpus.json lists for it");
    shardStarts_.push_back(shardStarts_.back() + manifest_.shards[i].tokens);
  }
  if (shardStarts_.back() != tokens) {
    throw Error("'" + folder_ + "/corpus.json': its shards hold " +
                std::to_string(shardStarts_.back()) + " tokens but its statistics count " +
                std::to_string(tokens));
  }
  documentStarts_ = static_cast<const int64_t*>(documentFile_.data());
  sentenceStarts_ = static_cast<const int64_t*>(sentenceFile_.data());
  sources_ = static_cast<const int64_t*>(sourceFile_.data());

  // Documents: from sentence 0, each starting after the one before, the last ending at the end.
  if (documentStarts_[0] != 0 || documentStarts_[documents] != sentences) {
    fail(documentFile_, "must run from sentence 0 to " + std::to_string(sentences) +
                            " but runs from " + std::to_string(documentStarts_[0]) + " to " +
                            std::to_string(documentStarts_[documents]));
  }
  for (int64_t d = 0; d < documents; ++d) {
    if (documentStarts_[d + 1] <= documentStarts_[d]) {
      fail(documentFile_, "has document " + std::to_string(d + 1) + " starting at sentence " +
                              std::to_string(documentStarts_[d + 1]) + ", not after document " +
                              std::to_string(d) + " (at " + std::to_string(documentStarts_[d]) +
                              ")");
    }
  }
  // Sentences: the same, and each inside one shard (a span must be contiguous memory).
  if (sentenceStarts_[0] != 0 || sentenceStarts_[sentences] != tokens) {
    fail(sentenceFile_, "must run from token 0 to " + std::to_string(tokens) + " but runs from " +
                            std::to_string(sentenceStarts_[0]) + " to " +
                            std::to_string(sentenceStarts_[sentences]));
  }
  const size_t shardCount = shardFiles_.size();
  size_t shard = 0;
  for (int64_t i = 0; i < sentences; ++i) {
    const int64_t begin = sentenceStarts_[i], end = sentenceStarts_[i + 1];
    if (end <= begin) {
      fail(sentenceFile_, "has sentence " + std::to_string(i) + " ending at token " +
                              std::to_string(end) + ", not after its start (" +
                              std::to_string(begin) + ")");
    }
    while (shard + 1 < shardCount && begin >= shardStarts_[shard + 1]) ++shard;
    if (end > shardStarts_[shard + 1]) {
      fail(sentenceFile_, "has sentence " + std::to_string(i) + " (tokens " +
                              std::to_string(begin) + ".." + std::to_string(end) +
                              ") running past the end of " + manifest_.shards[shard].file);
    }
  }
  for (int64_t d = 0; d < documents; ++d) {
    const int64_t file = sources_[shards::kSourceFields * d],
                  line = sources_[shards::kSourceFields * d + 1];
    if (file < 0 || file >= static_cast<int64_t>(manifest_.sourceFiles.size()) || line < 1) {
      fail(sourceFile_, "gives document " + std::to_string(d) + " the source (file " +
                            std::to_string(file) + ", line " + std::to_string(line) +
                            "), but corpus.json lists " +
                            std::to_string(manifest_.sourceFiles.size()) + " source files");
    }
  }
  if (!options_.verifyTokenIds) return;
  const auto vocabSize = static_cast<uint32_t>(manifest_.tokenizer.vocabSize);
  for (const MappedFile& file : shardFiles_) {
    const auto* ids = static_cast<const int32_t*>(file.data());
    const size_t count = file.size() / sizeof(int32_t);
    // One unsigned comparison catches negative ids too.
    const auto* bad = std::find_if(ids, ids + count, [vocabSize](int32_t id) {
      return static_cast<uint32_t>(id) >= vocabSize;
    });
    if (bad != ids + count) {
      fail(file, "holds the id " + std::to_string(*bad) + " at token " + std::to_string(bad - ids) +
                     ", outside the vocabulary of " + std::to_string(vocabSize) + " tokens");
    }
  }
}

TokenSpan ShardedCorpus::sentence(size_t document, size_t index) const {
  const int64_t i = documentStarts_[document] + static_cast<int64_t>(index);
  const int64_t begin = sentenceStarts_[i], end = sentenceStarts_[i + 1];
  const size_t shard =
      static_cast<size_t>(std::upper_bound(shardStarts_.begin(), shardStarts_.end(), begin) -
                          shardStarts_.begin()) -
      1;
  const auto* ids =
      static_cast<const int32_t*>(shardFiles_[shard].data()) + (begin - shardStarts_[shard]);
  return {ids, static_cast<size_t>(end - begin)};
}

std::string ShardedCorpus::documentSource(size_t document) const {
  const int64_t* source = sources_ + shards::kSourceFields * document;
  return manifest_.sourceFiles[static_cast<size_t>(source[0])] + ":" + std::to_string(source[1]);
}

void ShardedCorpus::checkTokenizer(const Tokenizer& tokenizer) const {
  const TokenizerIdentity given = tokenizerIdentity(tokenizer);
  const TokenizerIdentity& used = manifest_.tokenizer;
  if (given == used) return;
  auto describe = [](const TokenizerIdentity& t) {
    return t.kind + " tokenizer of " + std::to_string(t.vocabSize) + " tokens (fingerprint " +
           t.fingerprint + ")";
  };
  throw Error(
      "the corpus in '" + folder_ + "' was prepared with a " + describe(used) +
      ", but the tokenizer given is a " + describe(given) +
      ": pass the tokenizer it was prepared with, or prepare it again with this one" +
      (given.kind == used.kind && given.vocabSize == used.vocabSize
           ? " (same size: a different vocabulary, or cased where it was uncased or the reverse?)"
           : ""));
}

void ShardedCorpus::releaseResidentPages() const {
  sentenceFile_.releaseResidentPages();
  documentFile_.releaseResidentPages();
  sourceFile_.releaseResidentPages();
  for (const MappedFile& file : shardFiles_) file.releaseResidentPages();
}

}  // namespace bertwb
