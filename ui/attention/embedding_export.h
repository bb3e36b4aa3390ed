#pragma once
// Writes the Embedding stage's vectors with the core's feature-extraction writers, so a file
// saved here is the same as one `bert-workbench-cli extract-features` writes: tokens.npy,
// sentences.npy, and the TensorBoard projector's vectors.tsv + metadata.tsv (tokens) and
// sentence_vectors.tsv + sentence_metadata.tsv. Torch stays in the .cpp.
#include <string>
#include <vector>

#include "infer/predictor.h"

namespace bertwb::ui {

// One EmbeddingResult per line of `sentences`, as the panel computed them. Throws
// bertwb::Error naming the folder or file that cannot be written.
void writeEmbeddingFeatures(const std::vector<std::string>& sentences,
                            const std::vector<EmbeddingResult>& results, const std::string& folder);

}  // namespace bertwb::ui
