#pragma once
// The feed-forward activations a BERT config can name.
#include <torch/torch.h>

#include <string>

namespace bertwb {

enum class Activation {
  GeluExact,  // "gelu": x·Φ(x) with the exact erf, as Hugging Face's "gelu"
  GeluTanh,   // "gelu_new" / "gelu_pytorch_tanh": the tanh approximation of the original TF BERT
  Relu,
};

// Throws bertwb::Error for a name the config validation would also reject.
Activation activationFromName(const std::string& name);

torch::Tensor applyActivation(Activation activation, const torch::Tensor& x);

}  // namespace bertwb
