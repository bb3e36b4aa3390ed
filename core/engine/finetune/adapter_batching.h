#pragma once
// What the task adapters share: padding a batch of token sequences to its longest one (not to
// max_seq_length: short batches stay cheap), labels padded alongside, and tensors read back
// into plain vectors for the torch-free decoders. Shape legend: B batch, S sequence.
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "data/ignored_label.h"
#include "model/bert_model.h"
#include "text/tokenizer.h"

namespace bertwb {

// A sequence's ids and segment ids, borrowed from a feature.
struct TokenSequence {
  const std::vector<int32_t>* ids = nullptr;
  const std::vector<int32_t>* segmentIds = nullptr;
};

struct PaddedBatch {
  BertInputs inputs;       // (B, S) each, S = the longest sequence of the batch
  int64_t realTokens = 0;  // non-padding tokens
  int64_t length = 0;      // S
};

// The id padding positions carry: the tokenizer's [PAD], else 0 (the attention mask hides it).
int32_t paddingIdOf(const Tokenizer& tokenizer);

PaddedBatch padSequences(const std::vector<TokenSequence>& sequences, int32_t paddingId,
                         const torch::Device& device);

// Per-position labels (B, S), each row padded with kIgnoreLabel to `length`.
torch::Tensor padLabelRows(const std::vector<const std::vector<int64_t>*>& rows, int64_t length,
                           const torch::Device& device);

torch::Tensor int64Tensor(const std::vector<int64_t>& values, const torch::Device& device);
torch::Tensor floatTensor(const std::vector<float>& values, const torch::Device& device);

// A tensor's values on the CPU as float32, in row-major order.
std::vector<float> floatValues(const torch::Tensor& tensor);

// Calls visit(first, last) for consecutive batches [first, last) of [0, count).
void forEachBatch(size_t count, int batchSize, const std::function<void(size_t, size_t)>& visit);

}  // namespace bertwb
