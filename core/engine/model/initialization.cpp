#include "model/initialization.h"

#include <ATen/CPUGeneratorImpl.h>

namespace bertwb {

void initializeBertWeights(torch::nn::Module& module, double initializerRange, uint64_t seed) {
  torch::NoGradGuard noGrad;
  at::Generator generator = at::detail::createCPUGenerator(seed);
  for (const auto& child : module.modules(/*include_self=*/true)) {
    if (auto* linear = child->as<torch::nn::Linear>()) {
      linear->weight.normal_(0.0, initializerRange, generator);
      if (linear->bias.defined()) linear->bias.zero_();
    } else if (auto* embedding = child->as<torch::nn::Embedding>()) {
      embedding->weight.normal_(0.0, initializerRange, generator);
    } else if (auto* norm = child->as<torch::nn::LayerNorm>()) {
      norm->weight.fill_(1.0);
      norm->bias.zero_();
    }
  }
  // Output biases owned directly by a head (cls.predictions.bias) start at zero too.
  const std::string headBias = "predictions.bias";
  for (auto& item : module.named_parameters(/*recurse=*/true)) {
    const std::string& name = item.key();
    if (name.size() >= headBias.size() &&
        name.compare(name.size() - headBias.size(), headBias.size(), headBias) == 0) {
      item.value().zero_();
    }
  }
}

}  // namespace bertwb
