#pragma once
// AdamW as BERT trains it (paper §A.2 and the original optimization.py): β1 0.9, β2 0.999,
// ε 1e-6, weight decay 0.01 on weight matrices and embeddings only: LayerNorm weights and
// all biases are excluded, by parameter name.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace bertwb {

struct AdamWSettings {
  double learningRate = 1e-4;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-6;
  double weightDecay = 0.01;
};

// True for the parameters weight decay skips: any "bias", any LayerNorm parameter (also
// the TF-era "gamma"/"beta" names).
bool excludedFromWeightDecay(const std::string& parameterName);

struct ParameterSplit {
  std::vector<std::string> decayNames, noDecayNames;
  std::vector<torch::Tensor> decay, noDecay;
};

// Trainable parameters split by the rule above. A parameter shared under two names (the
// tied decoder) appears once.
ParameterSplit splitForWeightDecay(const torch::nn::Module& model);

// Two groups: [0] with decay, [1] without.
std::unique_ptr<torch::optim::AdamW> makeAdamW(const torch::nn::Module& model,
                                               const AdamWSettings& settings);

void setLearningRate(torch::optim::Optimizer& optimizer, double learningRate);

}  // namespace bertwb
