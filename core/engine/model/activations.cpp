#include "model/activations.h"

#include "util/error.h"

namespace bertwb {

Activation activationFromName(const std::string& name) {
  if (name == "gelu") return Activation::GeluExact;
  if (name == "gelu_new" || name == "gelu_pytorch_tanh") return Activation::GeluTanh;
  if (name == "relu") return Activation::Relu;
  throw Error("hidden_act \"" + name +
              "\" is not supported (use gelu, gelu_new, gelu_pytorch_tanh or relu)");
}

torch::Tensor applyActivation(Activation activation, const torch::Tensor& x) {
  switch (activation) {
    case Activation::GeluExact:
      return torch::gelu(x);
    case Activation::GeluTanh:
      return torch::gelu(x, /*approximate=*/"tanh");
    case Activation::Relu:
      return torch::relu(x);
  }
  TORCH_INTERNAL_ASSERT(false, "unhandled activation");
}

}  // namespace bertwb
