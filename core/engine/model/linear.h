#pragma once
// input · weightᵀ + bias, the way every Linear layer of the model runs. Under CPU autocast
// LibTorch 1.13 lowers the product to bf16 but adds the fp32 bias into the bf16 result in
// place through an fp32 copy of the whole output: at Base size that add took six times as
// long as the product itself. Giving the bias the product's dtype first keeps it a plain
// bf16 add; outside autocast (and on CUDA, whose autocast casts the bias itself) nothing
// changes, so the fp32 path is exactly torch's linear.
#include <torch/torch.h>

namespace bertwb {

torch::Tensor linearForward(const torch::Tensor& input, const torch::Tensor& weight,
                            const torch::Tensor& bias);

inline torch::Tensor linearForward(const torch::nn::Linear& layer, const torch::Tensor& input) {
  return linearForward(input, layer->weight, layer->bias);
}

}  // namespace bertwb
