#pragma once
// The shard folder's file names and corpus.json, shared by the writer and the reader
// (internal to core/data).
#include <nlohmann/json.hpp>
#include <string>

#include "data/corpus_shards.h"

namespace bertwb::shards {

// Only little-endian hosts read and write the files natively (the format is little-endian).
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "corpus shards are read and written as little-endian");

constexpr const char* kSentencesFile = kCorpusSentencesFile;
constexpr const char* kDocumentsFile = kCorpusDocumentsFile;
constexpr const char* kSourcesFile = kCorpusSourcesFile;
constexpr int kSourceFields = 2;  // (file index, line) per document

std::string shardFileName(size_t index);  // tokens-00000.bin

nlohmann::json manifestToJson(const CorpusManifest& manifest);
// Throws bertwb::Error naming `path` and the field for anything missing, mistyped or of
// another format or version.
CorpusManifest manifestFromJson(const std::string& text, const std::string& path);

}  // namespace bertwb::shards
