#include "attention/embedding_computation.h"

#include <utility>

namespace bertwb::ui {

std::vector<float> stackVectors(const std::vector<EmbeddingResult>& results, bool sentences,
                                int* count, int* dimension) {
  std::vector<float> vectors;
  *count = 0;
  *dimension = results.empty() ? 0 : static_cast<int>(results.front().dimension);
  for (const EmbeddingResult& result : results) {
    if (sentences) {
      vectors.insert(vectors.end(), result.sentenceVector.begin(), result.sentenceVector.end());
      ++*count;
    } else {
      vectors.insert(vectors.end(), result.pieceVectors.begin(), result.pieceVectors.end());
      *count += static_cast<int>(result.pieces.size());
    }
  }
  return vectors;
}

EmbeddingComputation projectBoth(std::vector<EmbeddingResult> results) {
  EmbeddingComputation computation;
  computation.results = std::move(results);
  int count = 0, dimension = 0;
  std::vector<float> vectors =
      stackVectors(computation.results, /*sentences=*/true, &count, &dimension);
  computation.sentenceProjection = projectTo2d(vectors, count, dimension);
  vectors = stackVectors(computation.results, /*sentences=*/false, &count, &dimension);
  computation.pieceProjection = projectTo2d(vectors, count, dimension);
  return computation;
}

}  // namespace bertwb::ui
