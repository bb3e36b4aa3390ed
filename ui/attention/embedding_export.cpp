#include "attention/embedding_export.h"

#include "infer/feature_extraction.h"
#include "util/error.h"

namespace bertwb::ui {

void writeEmbeddingFeatures(const std::vector<std::string>& sentences,
                            const std::vector<EmbeddingResult>& results,
                            const std::string& folder) {
  if (sentences.size() != results.size())
    throw Error("embedding export: " + std::to_string(sentences.size()) + " sentences but " +
                std::to_string(results.size()) + " results");
  if (results.empty()) throw Error("embedding export: there are no vectors to write yet");
  ExtractedFeatures features;
  features.dimension = results.front().dimension;
  for (size_t line = 0; line < results.size(); ++line) {
    const EmbeddingResult& result = results[line];
    if (result.dimension != features.dimension)
      throw Error("embedding export: line " + std::to_string(line + 1) + " has vectors of " +
                  std::to_string(result.dimension) + " values, the first line " +
                  std::to_string(features.dimension) +
                  " (compute them again with one layer choice)");
    features.tokenVectors.insert(features.tokenVectors.end(), result.pieceVectors.begin(),
                                 result.pieceVectors.end());
    for (const std::string& piece : result.pieces) {
      features.tokenPieces.push_back(piece);
      features.tokenLine.push_back(static_cast<int64_t>(line));
    }
    features.sentenceVectors.insert(features.sentenceVectors.end(), result.sentenceVector.begin(),
                                    result.sentenceVector.end());
    features.sentences.push_back(sentences[line]);
  }
  writeFeatures(features, folder);
}

}  // namespace bertwb::ui
