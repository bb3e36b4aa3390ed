#pragma once
// Weights stored in a low precision for inference under autocast.
#include <torch/torch.h>

namespace bertwb {

// Stores every Linear and Embedding layer's parameters in `dtype` (bf16, fp16), for inference
// under that precision's autocast: the products then read their weights as they are instead
// of casting all of them again on every forward pass (at batch 1 and Base size that cast
// took longer than the products), and the model takes half the memory. The tied MLM decoder
// is the word-embedding matrix, so it comes along. LayerNorm parameters stay fp32, and the
// model sums embeddings and normalises in fp32. Never for training: the optimizer needs fp32
// master weights.
void storeWeightsForInference(torch::nn::Module& model, torch::ScalarType dtype);

}  // namespace bertwb
