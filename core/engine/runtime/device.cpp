#include "runtime/device.h"

#include <thread>

#include "util/error.h"

#ifdef BERTWB_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace bertwb {

torch::Device selectDevice(const std::string& name) {
  if (name == "auto")
    return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0)
                                       : torch::Device(torch::kCPU);
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw Error("device \"" + name +
                  "\" asked for, but no CUDA GPU is usable (this LibTorch build or machine has "
                  "none); use --device cpu");
    }
    torch::Device device(name == "cuda" ? "cuda:0" : name);
    if (device.index() >= static_cast<int>(torch::cuda::device_count())) {
      throw Error("device \"" + name + "\" does not exist: this machine has " +
                  std::to_string(torch::cuda::device_count()) + " CUDA device(s)");
    }
    return device;
  }
  throw Error("unknown device \"" + name + "\" (use auto, cpu, cuda or cuda:N)");
}

int configureThreads(int requested) {
  if (requested < 0)
    throw Error("thread count must be 0 (one per core) or positive, got " +
                std::to_string(requested));
  int threads = requested > 0 ? requested
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  return torch::get_num_threads();
}

std::string describeDevice(const torch::Device& device) {
  if (device.is_cpu()) return "CPU (" + std::to_string(torch::get_num_threads()) + " threads)";
  std::string text = "CUDA device " + std::to_string(device.index());
#ifdef BERTWB_WITH_CUDA
  const cudaDeviceProp* props = at::cuda::getDeviceProperties(device.index());
  text += " (" + std::string(props->name) + ", " + std::to_string(props->totalGlobalMem >> 30) +
          " GiB)";
#endif
  return text;
}

}  // namespace bertwb
