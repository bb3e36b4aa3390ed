#pragma once
// Feature-based use of BERT (paper §5.3): frozen activations of chosen layers as token and
// sentence vectors for another model, written as NumPy arrays and as TensorBoard-projector
// TSV files. Layer specs: "-1" (the last layer), "-2,-1" (those layers concatenated, in that
// order), "0" (the embedding output), "sum4" / "concat4" (the last four layers summed or
// concatenated, the paper's best feature-based choices), "sumN" / "concatN" likewise.
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/bert_model.h"
#include "text/tokenizer.h"

namespace bertwb {

struct LayerSelection {
  bool sum = false;         // sum the layers (else concatenate them in order)
  std::vector<int> layers;  // indices into hidden states: 0 = embeddings, L = last layer
};

// Parses a layer spec for a model of `layerCount` layers; throws bertwb::Error naming the
// spec and the valid range.
LayerSelection parseLayerSpec(const std::string& spec, int layerCount);

enum class SentencePooling { Cls, Mean };
SentencePooling sentencePoolingFromName(const std::string& name);  // "cls" | "mean"

struct FeatureOptions {
  std::string layers = "-1";
  SentencePooling pooling = SentencePooling::Cls;
  int maxSeqLength = 128;
  int batchSize = 32;
};

struct ExtractedFeatures {
  int64_t dimension = 0;
  // One row per word piece (no [CLS]/[SEP]): vectors (rows × dimension), the piece, and
  // the index of its input line.
  std::vector<float> tokenVectors;
  std::vector<std::string> tokenPieces;
  std::vector<int64_t> tokenLine;
  // One row per input line.
  std::vector<float> sentenceVectors;
  std::vector<std::string> sentences;
};

// The width of each vector: H, or H × the number of layers concatenated.
int64_t featureDimension(const BertConfig& config, const FeatureOptions& options);

// One line's vectors, handed to a sink as soon as its batch has run.
struct LineFeatures {
  size_t index = 0;                   // in the lines given
  std::vector<std::string> pieces;    // word pieces, no [CLS]/[SEP]
  std::vector<float> tokenVectors;    // pieces × dimension
  std::vector<float> sentenceVector;  // dimension
};
using LineFeatureSink = std::function<void(const LineFeatures&)>;

// Each line is a sentence, or "sentence A ||| sentence B" (the original extract_features.py
// convention) for a pair. The model runs in eval mode without gradients. Streams: memory is
// one batch's, whatever the number of lines.
void extractFeatures(BertModel& model, const Tokenizer& tokenizer,
                     const std::vector<std::string>& lines, const FeatureOptions& options,
                     const torch::Device& device, const LineFeatureSink& sink);

// The same, every vector collected (for a few lines: the GUI's embedding view, tests).
ExtractedFeatures extractFeatures(BertModel& model, const Tokenizer& tokenizer,
                                  const std::vector<std::string>& lines,
                                  const FeatureOptions& options, const torch::Device& device);

// folder/tokens.npy, sentences.npy, and the projector's vectors.tsv + metadata.tsv (tokens,
// with their line) and sentence_vectors.tsv + sentence_metadata.tsv (io/feature_files.h).
void writeFeatures(const ExtractedFeatures& features, const std::string& folder);

}  // namespace bertwb
