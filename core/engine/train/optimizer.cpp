#include "train/optimizer.h"

#include <set>

namespace bertwb {

bool excludedFromWeightDecay(const std::string& name) {
  const auto endsWith = [&](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return endsWith("bias") || name.find("LayerNorm") != std::string::npos || endsWith("gamma") ||
         endsWith("beta");
}

ParameterSplit splitForWeightDecay(const torch::nn::Module& model) {
  ParameterSplit split;
  std::set<const void*> seen;
  for (const auto& item : model.named_parameters(/*recurse=*/true)) {
    const torch::Tensor& parameter = item.value();
    if (!parameter.requires_grad() || !seen.insert(parameter.unsafeGetTensorImpl()).second)
      continue;
    if (excludedFromWeightDecay(item.key())) {
      split.noDecayNames.push_back(item.key());
      split.noDecay.push_back(parameter);
    } else {
      split.decayNames.push_back(item.key());
      split.decay.push_back(parameter);
    }
  }
  return split;
}

std::unique_ptr<torch::optim::AdamW> makeAdamW(const torch::nn::Module& model,
                                               const AdamWSettings& settings) {
  const ParameterSplit split = splitForWeightDecay(model);
  auto options = [&](double decay) {
    auto o = std::make_unique<torch::optim::AdamWOptions>(settings.learningRate);
    o->betas({settings.beta1, settings.beta2}).eps(settings.epsilon).weight_decay(decay);
    return o;
  };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(split.decay, options(settings.weightDecay));
  groups.emplace_back(split.noDecay, options(0.0));
  return std::make_unique<torch::optim::AdamW>(std::move(groups),
                                               torch::optim::AdamWOptions(settings.learningRate));
}

void setLearningRate(torch::optim::Optimizer& optimizer, double learningRate) {
  for (auto& group : optimizer.param_groups())
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(learningRate);
}

}  // namespace bertwb
