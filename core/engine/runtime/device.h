#pragma once
// Where the model runs and with how many CPU threads.
#include <torch/torch.h>

#include <string>

namespace bertwb {

// "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N". Throws bertwb::Error
// when CUDA is asked for but this build or machine has none.
torch::Device selectDevice(const std::string& name);

// Sets LibTorch's intra-op threads; 0 means one per core. Debian's LibTorch starts with a
// single thread, so every program calls this at start-up. Returns the count in effect.
int configureThreads(int requested);

// "CPU (2 threads)" or "CUDA device 0 (NVIDIA H100, 80 GiB)".
std::string describeDevice(const torch::Device& device);

}  // namespace bertwb
