#pragma once
// The label of a position or example that no loss learns from: cross-entropy's ignore index
// (PyTorch's and Hugging Face's -100). Masked-LM batches pad their prediction slots with it,
// the task featurisers give it to [CLS]/[SEP], non-first word pieces and unlabelled examples,
// and every loss passes it as ignore_index: one constant, so they cannot disagree.
#include <cstdint>

namespace bertwb {

constexpr int64_t kIgnoreLabel = -100;

}  // namespace bertwb
