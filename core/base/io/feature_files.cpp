#include "io/feature_files.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/manifests.h"
#include "io/npy_writer.h"
#include "util/atomic_file.h"

namespace bertwb {
namespace {
namespace fs = std::filesystem;

// Room for any final shape: the header of the largest possible row count.
size_t reservedNpyHeaderBytes(int64_t dimension) {
  return npyHeaderFloat32({std::numeric_limits<int64_t>::max(), dimension}).size();
}

// TSV cells may hold no tabs or newlines.
std::string tsvCell(std::string text) {
  for (char& c : text)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return text;
}

std::string vectorRow(const float* values, int64_t dimension) {
  std::ostringstream out;
  out.precision(7);
  for (int64_t d = 0; d < dimension; ++d) out << (d > 0 ? "\t" : "") << values[d];
  out << '\n';
  return out.str();
}

}  // namespace

struct FeatureFilesWriter::Files {
  explicit Files(const fs::path& folder)
      : tokensNpy((folder / "tokens.npy").string()),
        sentencesNpy((folder / "sentences.npy").string()),
        vectorsTsv((folder / "vectors.tsv").string()),
        metadataTsv((folder / "metadata.tsv").string()),
        sentenceVectorsTsv((folder / "sentence_vectors.tsv").string()),
        sentenceMetadataTsv((folder / "sentence_metadata.tsv").string()) {}
  AtomicFileWriter tokensNpy, sentencesNpy, vectorsTsv, metadataTsv, sentenceVectorsTsv,
      sentenceMetadataTsv;
  size_t npyHeaderBytes = 0;
};

FeatureFilesWriter::FeatureFilesWriter(const std::string& folder, int64_t dimension)
    : dimension_(dimension) {
  fs::create_directories(folder);
  // The manifest first: a folder half-written by a killed process is still recognisably
  // extract-features output (io/output_folder.h).
  writeFileAtomically(
      (fs::path(folder) / kFeaturesManifest).string(),
      nlohmann::json{{"format", kFeaturesFormat}, {"version", kFeaturesFormatVersion}}.dump(2) +
          "\n");
  files_ = std::make_unique<Files>(folder);
  files_->npyHeaderBytes = reservedNpyHeaderBytes(dimension);
  const std::string placeholder(files_->npyHeaderBytes, ' ');
  files_->tokensNpy.append(placeholder);
  files_->sentencesNpy.append(placeholder);
  // The projector reads a metadata file with a header row when it has more than one column.
  files_->metadataTsv.append("piece\tline\n");
}

FeatureFilesWriter::~FeatureFilesWriter() = default;

void FeatureFilesWriter::addLine(const std::string& sentence,
                                 const std::vector<std::string>& pieces, const float* tokenVectors,
                                 const float* sentenceVector) {
  static_assert(sizeof(float) == 4, "float32 expected");
  const auto rowBytes = static_cast<size_t>(dimension_) * sizeof(float);  // little-endian host
  for (size_t i = 0; i < pieces.size(); ++i) {
    const float* row = tokenVectors + i * static_cast<size_t>(dimension_);
    files_->tokensNpy.append(row, rowBytes);
    files_->vectorsTsv.append(vectorRow(row, dimension_));
    files_->metadataTsv.append(tsvCell(pieces[i]) + "\t" + std::to_string(lines_) + "\n");
  }
  files_->sentencesNpy.append(sentenceVector, rowBytes);
  files_->sentenceVectorsTsv.append(vectorRow(sentenceVector, dimension_));
  files_->sentenceMetadataTsv.append(tsvCell(sentence) + "\n");  // one column: no header row
  tokens_ += static_cast<int64_t>(pieces.size());
  ++lines_;
}

void FeatureFilesWriter::finish() {
  files_->tokensNpy.overwriteAt(0, npyHeaderFloat32({tokens_, dimension_}, files_->npyHeaderBytes));
  files_->sentencesNpy.overwriteAt(0,
                                   npyHeaderFloat32({lines_, dimension_}, files_->npyHeaderBytes));
  for (AtomicFileWriter* file :
       {&files_->tokensNpy, &files_->sentencesNpy, &files_->vectorsTsv, &files_->metadataTsv,
        &files_->sentenceVectorsTsv, &files_->sentenceMetadataTsv})
    file->commit();
}

}  // namespace bertwb
