#pragma once
// The Embedding stage's numbers without its widgets: the vectors the model gave a list of
// sentences, stacked as the scatter needs them, and their 2-D projections. Torch-free and
// Qt-free, so the panel's worker runs it off the GUI thread and tests call it directly.
#include <vector>

#include "attention/pca_projection.h"
#include "infer/predictor.h"

namespace bertwb::ui {

// The vectors of a sentence list and both of their projections (sentences and pieces), made
// on the worker thread so switching the points shown needs no new PCA.
struct EmbeddingComputation {
  std::vector<EmbeddingResult> results;
  PcaProjection sentenceProjection, pieceProjection;
};
EmbeddingComputation projectBoth(std::vector<EmbeddingResult> results);
// The sentence vectors (or every piece vector) of `results` stacked row-major.
std::vector<float> stackVectors(const std::vector<EmbeddingResult>& results, bool sentences,
                                int* count, int* dimension);

}  // namespace bertwb::ui
