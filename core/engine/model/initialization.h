#pragma once
// Weight initialisation of the original BERT: every Linear and Embedding weight drawn from
// N(0, initializer_range²), biases 0, LayerNorm weight 1 and bias 0.
#include <torch/torch.h>

#include <cstdint>

namespace bertwb {

// Initialises every parameter of `module` (any BERT model or head) in registration order
// from a private generator seeded with `seed`: the same seed gives the same weights no
// matter what else used the global random state. Parameters must be on the CPU.
void initializeBertWeights(torch::nn::Module& module, double initializerRange, uint64_t seed);

}  // namespace bertwb
