#pragma once
// The files extract-features writes (paper §5.3's feature-based use), streamed line by line
// so memory stays that of one line however many lines there are:
//   tokens.npy, sentences.npy          float32 (rows × dimension), NumPy's format
//   vectors.tsv + metadata.tsv         the projector's token vectors, with piece and line
//   sentence_vectors.tsv + sentence_metadata.tsv   one row per input line
//   features.json                      the manifest (io/manifests.h), written first
// Every file appears in place only at finish(); a run that fails or is killed leaves the
// manifest and no half-written vectors.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bertwb {

class FeatureFilesWriter {
 public:
  // Makes `folder` (or uses it) and writes the manifest. Throws bertwb::Error naming a file.
  FeatureFilesWriter(const std::string& folder, int64_t dimension);
  ~FeatureFilesWriter();
  FeatureFilesWriter(const FeatureFilesWriter&) = delete;
  FeatureFilesWriter& operator=(const FeatureFilesWriter&) = delete;

  // One input line: its pieces, their vectors (pieces.size() × dimension, row-major) and its
  // sentence vector (dimension floats). Lines are numbered in the order they are added.
  void addLine(const std::string& sentence, const std::vector<std::string>& pieces,
               const float* tokenVectors, const float* sentenceVector);
  // Fills in the arrays' shapes and moves every file into place.
  void finish();

  int64_t tokenCount() const { return tokens_; }
  int64_t lineCount() const { return lines_; }

 private:
  struct Files;
  std::unique_ptr<Files> files_;
  int64_t dimension_;
  int64_t tokens_ = 0;
  int64_t lines_ = 0;
};

}  // namespace bertwb
