#include "model/inference_weights.h"

namespace bertwb {

void storeWeightsForInference(torch::nn::Module& model, torch::ScalarType dtype) {
  for (const auto& module : model.modules(/*include_self=*/true)) {
    if (auto* linear = module->as<torch::nn::Linear>()) linear->to(dtype);
    if (auto* embedding = module->as<torch::nn::Embedding>()) embedding->to(dtype);
  }
}

}  // namespace bertwb
